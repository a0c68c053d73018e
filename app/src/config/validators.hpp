// Value checks shared by every configuration source.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "httpkit/app/config.hpp"

namespace httpkit::app_detail {

// valid_address accepts Go's listen syntax with a numeric port: ":8080",
// "127.0.0.1:0", "[::1]:8443", "localhost:8080".
bool valid_address(std::string_view addr, std::string& reason);
// valid_log_level accepts spdlog's level names.
bool valid_log_level(std::string_view level, std::string& reason);
std::optional<LogFormat> parse_log_format(std::string_view text);

}  // namespace httpkit::app_detail
