// new_request: a Request for testing a handler directly (Go's httptest.NewRequest).
#pragma once

#include <string>
#include <string_view>

#include "httpkit/request.hpp"

namespace httpkit::test {

// new_request returns a server-side Request for method and target, which is a path
// ("/a?b=c") or an absolute URL ("https://example.com/a"). As Go's, it sets
// remote_addr "192.0.2.1:1234", host from the URL or "example.com", HTTP/1.1, and
// content_length from body. It throws std::invalid_argument on an unparsable target.
Request new_request(std::string_view method, std::string_view target, std::string body = {});

}  // namespace httpkit::test
