// The Date header value, formatted at most once a second per thread (RFC 9110 6.6.1).
#pragma once

#include <string_view>

namespace httpkit::detail {

// http_date_now returns the current IMF-fixdate; the view stays valid on this thread
// until the next call.
std::string_view http_date_now() noexcept;

}  // namespace httpkit::detail
