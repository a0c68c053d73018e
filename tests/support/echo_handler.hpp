// echo_handler: a test handler that answers with the request body it read, the
// declared length (X-Length) and the trailer X-Sum (X-Trailer-Sum).
#pragma once

#include <string>

#include "httpkit/handler.hpp"

namespace httpkit::testing {

inline void echo_handler(ResponseWriter& w, Request& r) {
  auto body = read_all(r.body());
  if (!body) {
    error(w, body.error().message(), 400);
    return;
  }
  w.header().set("X-Length", std::to_string(r.content_length()));
  w.header().set("X-Trailer-Sum", std::string(r.trailer().get("X-Sum")));
  w.write(*body);
}

}  // namespace httpkit::testing
