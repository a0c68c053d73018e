#include "config/fields.hpp"

#include <array>
#include <charconv>

#include "config/duration.hpp"
#include "config/validators.hpp"

namespace httpkit::app_detail {
namespace {

// Each row names a key and where it lives in AppConfig. The order is the order of
// config/app.toml in the template, so listings read like the file.
constexpr std::array kFields{
    Field{"server.addr", Kind::address, [](AppConfig& c) -> FieldRef { return &c.server.addr; }},
    Field{"server.read_timeout", Kind::duration, [](AppConfig& c) -> FieldRef { return &c.server.read_timeout; }},
    Field{"server.read_header_timeout", Kind::duration,
          [](AppConfig& c) -> FieldRef { return &c.server.read_header_timeout; }},
    Field{"server.write_timeout", Kind::duration, [](AppConfig& c) -> FieldRef { return &c.server.write_timeout; }},
    Field{"server.idle_timeout", Kind::duration, [](AppConfig& c) -> FieldRef { return &c.server.idle_timeout; }},
    Field{"server.handler_timeout", Kind::duration,
          [](AppConfig& c) -> FieldRef { return &c.server.handler_timeout; }},
    Field{"server.max_header_bytes", Kind::size, [](AppConfig& c) -> FieldRef { return &c.server.max_header_bytes; }},
    Field{"server.max_body_bytes", Kind::size, [](AppConfig& c) -> FieldRef { return &c.server.max_body_bytes; }},
    Field{"server.threads", Kind::threads, [](AppConfig& c) -> FieldRef { return &c.server.threads; }},
    Field{"server.shutdown_grace", Kind::duration, [](AppConfig& c) -> FieldRef { return &c.server.shutdown_grace; }},
    Field{"server.pre_stop_delay", Kind::duration, [](AppConfig& c) -> FieldRef { return &c.server.pre_stop_delay; }},
    Field{"tls.cert_file", Kind::path, [](AppConfig& c) -> FieldRef { return &c.tls.cert_file; }},
    Field{"tls.key_file", Kind::path, [](AppConfig& c) -> FieldRef { return &c.tls.key_file; }},
    Field{"http2.enabled", Kind::boolean, [](AppConfig& c) -> FieldRef { return &c.http2.enabled; }},
    Field{"http2.h2c", Kind::boolean, [](AppConfig& c) -> FieldRef { return &c.http2.h2c; }},
    Field{"log.level", Kind::log_level, [](AppConfig& c) -> FieldRef { return &c.log.level; }},
    Field{"log.format", Kind::log_format, [](AppConfig& c) -> FieldRef { return &c.log.format; }},
    Field{"log.access_log", Kind::boolean, [](AppConfig& c) -> FieldRef { return &c.log.access_log; }},
    Field{"debug.addr", Kind::optional_address, [](AppConfig& c) -> FieldRef { return &c.debug.addr; }},
};

// parse_unsigned reads a whole decimal number no larger than max.
std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v > max) return std::nullopt;
  return v;
}

std::optional<std::string> set_number(const Field& f, AppConfig& cfg, std::string_view text) {
  // 1024 threads is far above any core count we run on; more is a typo.
  constexpr std::uint64_t kMaxThreads = 1024;
  const std::uint64_t max = f.kind == Kind::threads ? kMaxThreads : std::uint64_t{1} << 40;
  auto v = parse_unsigned(text, max);
  if (!v) return "expected a whole number from 0 to " + std::to_string(max) + ", got \"" + std::string(text) + "\"";
  if (f.kind == Kind::threads) *std::get<int*>(f.ref(cfg)) = static_cast<int>(*v);
  else *std::get<std::size_t*>(f.ref(cfg)) = static_cast<std::size_t>(*v);
  return std::nullopt;
}

std::optional<std::string> set_boolean(const Field& f, AppConfig& cfg, std::string_view text) {
  bool& out = *std::get<bool*>(f.ref(cfg));
  if (text == "true" || text == "1") out = true;
  else if (text == "false" || text == "0") out = false;
  else return "expected true or false, got \"" + std::string(text) + "\"";
  return std::nullopt;
}

std::optional<std::string> set_string(const Field& f, AppConfig& cfg, std::string_view text) {
  std::string reason;
  const bool ok = f.kind == Kind::address            ? valid_address(text, reason)
                  : f.kind == Kind::optional_address ? (text.empty() || valid_address(text, reason))
                  : f.kind == Kind::log_level        ? valid_log_level(text, reason)
                                                     : true;
  if (!ok) return reason;
  *std::get<std::string*>(f.ref(cfg)) = std::string(text);
  return std::nullopt;
}

}  // namespace

std::span<const Field> fields() { return kFields; }

const Field* find_field(std::string_view key) {
  for (const auto& f : kFields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

std::string_view toml_type_name(Kind kind) {
  switch (kind) {
    case Kind::size:
    case Kind::threads: return "integer";
    case Kind::boolean: return "boolean";
    default: return "string";
  }
}

std::optional<std::string> set_from_text(const Field& f, AppConfig& cfg, std::string_view text) {
  switch (f.kind) {
    case Kind::size:
    case Kind::threads: return set_number(f, cfg, text);
    case Kind::boolean: return set_boolean(f, cfg, text);
    case Kind::duration: {
      std::string reason;
      auto d = parse_duration(text, reason);
      if (!d) return reason;
      *std::get<Duration*>(f.ref(cfg)) = *d;
      return std::nullopt;
    }
    case Kind::log_format: {
      auto fmt = parse_log_format(text);
      if (!fmt) return "expected \"auto\", \"text\" or \"json\", got \"" + std::string(text) + "\"";
      *std::get<LogFormat*>(f.ref(cfg)) = *fmt;
      return std::nullopt;
    }
    default: return set_string(f, cfg, text);
  }
}

}  // namespace httpkit::app_detail
