// request_id: give every request an id that logs, errors and the client can quote.
//
// Place it near the outside, after recover and before access_log, so that everything
// inside (logs, error reports, the handler) sees the id:
//   chain(h, {recover(), request_id(), access_log(...), ...})
#pragma once

#include <string>
#include <string_view>

#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// kRequestIdHeader is the request and response header that carries the id.
inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";
// kMaxRequestIdLength bounds an incoming id we accept (a log field, not a payload).
inline constexpr std::size_t kMaxRequestIdLength = 128;

// request_id keeps a valid incoming X-Request-Id (see valid_request_id) or makes a new
// one (new_request_id), sets it on the response header and stores it in the request's
// context for the handler and the inner middleware (request_id_of).
Middleware request_id();

// request_id_of returns the id request_id stored in r's context, or "" when none. The
// view is valid as long as r's context (and copies of it) live.
std::string_view request_id_of(const Request& r) noexcept;

// new_request_id returns a UUIDv7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds,
// so ids sort by time, then a per-thread counter and 32 random bits per thread, so ids
// are unique across threads and processes without coordination.
std::string new_request_id();

// valid_request_id: 1 to kMaxRequestIdLength characters from [A-Za-z0-9._:+=/-], which
// covers UUIDs, ULIDs and base64 ids and keeps logs and headers free of injection.
bool valid_request_id(std::string_view id) noexcept;

}  // namespace httpkit::middleware
