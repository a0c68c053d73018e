// Internal: the syntax of one field line (RFC 9112 section 5), shared by the request
// head parser and the chunked trailer parser.
#pragma once

#include <string_view>

namespace httpkit::http1::detail {

struct FieldLine {
  std::string_view name;   // a token, not yet canonicalised
  std::string_view value;  // without leading and trailing OWS
};

// parse_field_line splits a field line (without its CRLF) into name and value.
// Returns "" on success, else a short static message for the 400 body:
// obs-fold (section 5.2), whitespace before the colon (section 5.1), a name that is not
// a token, or a value byte that is not field-vchar/SP/HTAB/obs-text (NUL, bare CR).
std::string_view parse_field_line(std::string_view line, FieldLine& out) noexcept;

}  // namespace httpkit::http1::detail
