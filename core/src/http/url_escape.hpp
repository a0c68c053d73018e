// Internal: Go's net/url escaping modes and the allocation-free helpers that URL
// parsing shares with escape()/unescape().
#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace httpkit::detail {

// Encoding is Go's url.encoding: which characters a URL component must escape.
enum class Encoding { path, path_segment, host, zone, user_password, query_component, fragment };

bool should_escape(unsigned char c, Encoding mode) noexcept;
// escape_append appends s escaped for mode to out.
void escape_append(std::string_view s, Encoding mode, std::string& out);
// escapes_to reports whether escaping s for mode yields exactly escaped (no allocation).
bool escapes_to(std::string_view s, Encoding mode, std::string_view escaped) noexcept;
// unescape_into replaces out with s unescaped for mode; on error out is unspecified.
std::error_code unescape_into(std::string_view s, Encoding mode, std::string& out);
// valid_encoded is Go's validEncoded: s only uses bytes mode allows unescaped, plus
// sub-delims, '[', ']' and '%'.
bool valid_encoded(std::string_view s, Encoding mode) noexcept;

}  // namespace httpkit::detail
