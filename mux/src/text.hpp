// Small text helpers the mux needs without allocating: percent-decoding of one path segment (Go's url.PathUnescape) and Go's
// %q quoting for error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace httpkit::mux_detail {

// unescape_to percent-decodes in into out, which must hold in.size() bytes, and
// returns the decoded length; returns npos when in holds a bad escape ("%zz", "%4"),
// in which case Go keeps the segment as it is (routing_tree.go pathUnescape).
// '+' is not special in a path (url.PathUnescape).
std::size_t unescape_to(std::string_view in, char* out) noexcept;
inline constexpr std::size_t kBadEscape = static_cast<std::size_t>(-1);

// path_unescape returns in decoded, or in unchanged when it holds a bad escape.
std::string path_unescape(std::string_view in);

// go_quote renders s as Go's %q does for ASCII: double quotes, with \" \\ \n \t \r
// and \xNN for other control bytes. Bytes >= 0x80 are copied (Go keeps printable
// UTF-8 as is).
std::string go_quote(std::string_view s);

}  // namespace httpkit::mux_detail
