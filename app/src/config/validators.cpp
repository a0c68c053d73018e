#include "config/validators.hpp"

#include <array>
#include <charconv>

namespace httpkit::app_detail {

bool valid_address(std::string_view addr, std::string& reason) {
  const auto colon = addr.rfind(':');
  if (colon == std::string_view::npos) {
    reason = "address \"" + std::string(addr) + "\" needs a port, as in \":8080\" or \"127.0.0.1:8080\"";
    return false;
  }
  const std::string_view host = addr.substr(0, colon);
  const std::string_view port = addr.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    reason = "port \"" + std::string(port) + "\" must be a number from 0 to 65535";
    return false;
  }
  if (host.find(':') != std::string_view::npos && !(host.starts_with('[') && host.ends_with(']'))) {
    reason = "an IPv6 host must be in brackets, as in \"[::1]:8080\"";
    return false;
  }
  return true;
}

bool valid_log_level(std::string_view level, std::string& reason) {
  constexpr std::array<std::string_view, 7> kLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (auto l : kLevels) {
    if (l == level) return true;
  }
  reason = "log level \"" + std::string(level) + "\" must be one of trace, debug, info, warn, error, critical, off";
  return false;
}

std::optional<LogFormat> parse_log_format(std::string_view text) {
  if (text == "auto") return LogFormat::automatic;
  if (text == "text") return LogFormat::text;
  if (text == "json") return LogFormat::json;
  return std::nullopt;
}

}  // namespace httpkit::app_detail
