// The field names nearly every message carries, in canonical form, so a Header can
// keep a view of static text instead of copying and canonicalising the key (Go's
// textproto commonHeader interns the same names).
#pragma once

#include <string_view>

namespace httpkit::detail {

// common_header_key returns the canonical spelling of key when it is a common field
// name, whatever its case ("content-type" -> "Content-Type"), and "" otherwise. The
// returned view is static.
std::string_view common_header_key(std::string_view key) noexcept;

}  // namespace httpkit::detail
