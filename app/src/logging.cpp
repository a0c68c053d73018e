#include "logging.hpp"

#include <unistd.h>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace httpkit::app_detail {
namespace {

// JsonEscapedPayload writes the message as the body of a JSON string, so a message with
// quotes, backslashes or newlines still makes one valid JSON line.
class JsonEscapedPayload final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : msg.payload) append(c, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedPayload>(); }

 private:
  static void append(char c, spdlog::memory_buf_t& dest) {
    static constexpr char kHex[] = "0123456789abcdef";
    switch (c) {
      case '"': dest.append(std::string_view("\\\"")); return;
      case '\\': dest.append(std::string_view("\\\\")); return;
      case '\n': dest.append(std::string_view("\\n")); return;
      case '\t': dest.append(std::string_view("\\t")); return;
      case '\r': dest.append(std::string_view("\\r")); return;
      default: break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
      dest.append(esc, esc + sizeof esc);
      return;
    }
    dest.push_back(c);
  }
};

std::unique_ptr<spdlog::formatter> json_formatter() {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<JsonEscapedPayload>('*').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","logger":"%n","msg":"%*"})");
  return f;
}

}  // namespace

LogFormat resolve_format(LogFormat f) {
  if (f != LogFormat::automatic) return f;
  return ::isatty(STDERR_FILENO) ? LogFormat::text : LogFormat::json;
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const AppConfig::LogSection& log) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  if (resolve_format(log.format) == LogFormat::json) logger->set_formatter(json_formatter());
  else logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  logger->set_level(spdlog::level::from_str(log.level));
  return logger;
}

}  // namespace httpkit::app_detail
