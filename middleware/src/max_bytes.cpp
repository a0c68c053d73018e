// max_bytes: Go's MaxBytesReader (net/http/request.go) and MaxBytesHandler (server.go).
#include "httpkit/middleware/max_bytes.hpp"

#include <algorithm>
#include <system_error>

#include "httpkit/status.hpp"
#include "recording_writer.hpp"

namespace httpkit::middleware {

// read asks for one byte more than remains, as Go does, so that a body of exactly the
// limit reads to EOF while one byte more is detected at once.
IoResult MaxBytesReader::read(std::span<std::byte> buf) {
  if (hit_) return {0, errc::body_too_large};
  if (buf.empty()) return {0, {}};
  const auto remaining = static_cast<std::size_t>(std::max<std::int64_t>(limit_ - read_, 0));
  if (buf.size() > remaining + 1) buf = buf.first(remaining + 1);
  IoResult r = body_.read(buf);
  if (r.n <= remaining) {
    read_ += static_cast<std::int64_t>(r.n);
    return r;
  }
  read_ = limit_;
  hit_ = true;
  // Go's requestTooLarge: close after the reply; say so while the header is open.
  w_.header().set("Connection", "close");
  return {remaining, errc::body_too_large};
}

std::shared_ptr<MaxBytesReader> max_bytes_reader(ResponseWriter& w, Body& body, std::int64_t n) {
  return std::make_shared<MaxBytesReader>(w, body, n);
}

namespace {

void too_large(ResponseWriter& w) {
  w.header().set("Connection", "close");
  error(w, status_text(kStatusRequestEntityTooLarge), kStatusRequestEntityTooLarge);
}

}  // namespace

Middleware max_bytes(std::int64_t n) {
  return [n](Handler next) -> Handler {
    return [n, next = std::move(next)](ResponseWriter& w, Request& r) {
      detail::RecordingWriter rec(w);
      MaxBytesReader limited(rec, r.body(), n);
      Request inner = r;  // a copy keeps the original body (and its owner) alive
      inner.set_body(&limited);
      try {
        next(rec, inner);
      } catch (const std::system_error& e) {
        if (e.code() != errc::body_too_large || rec.wrote()) throw;
        too_large(rec);
      }
      if (!rec.wrote() && limited.hit()) too_large(rec);
      r.set_pattern(inner.pattern());  // what the mux inside set, for outer middleware
    };
  };
}

Handler max_bytes_handler(Handler h, std::int64_t n) { return max_bytes(n)(std::move(h)); }

}  // namespace httpkit::middleware
