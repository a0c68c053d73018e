// strip_prefix: serve a request with a prefix removed from its path (Go's StripPrefix).
#pragma once

#include <string>
#include <string_view>

#include "httpkit/handler.hpp"

namespace httpkit {

// strip_prefix returns a handler that removes prefix from the request's url().path
// (and url().raw_path when set) and runs h with a copy of the request so changed;
// a request whose path does not start with prefix — including one where the prefix
// appears only escaped in raw_path — gets "404 page not found". An empty prefix
// returns h itself. Path values and the pattern set by a mux are kept.
Handler strip_prefix(std::string_view prefix, Handler h);

}  // namespace httpkit
