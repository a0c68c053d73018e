// HTTP dates (RFC 9110 section 5.6.7): IMF-fixdate out, all three formats in.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace httpkit {

// kTimeFormatLen is the length of "Mon, 02 Jan 2006 15:04:05 GMT" (Go's TimeFormat).
inline constexpr std::size_t kTimeFormatLen = 29;

// format_http_date writes t as IMF-fixdate into out (exactly 29 bytes).
void format_http_date(std::chrono::system_clock::time_point t, char out[kTimeFormatLen]) noexcept;
std::string format_http_date(std::chrono::system_clock::time_point t);
// parse_http_date accepts IMF-fixdate, RFC 850 and asctime forms (Go's ParseTime).
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) noexcept;

}  // namespace httpkit
