// Sans-I/O HTTP/1.1 request parsing (RFC 9112): bytes in, a Request head or an error out.
// Nothing here touches a socket; the connection loop (server/conn.cpp) drives it and
// fuzzers and unit tests feed it plain buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpkit/header.hpp"
#include "httpkit/request.hpp"

namespace httpkit::http1 {

// Limits a request head must stay within.
struct Limits {
  // max_header_bytes bounds the request line plus header fields (Go's MaxHeaderBytes;
  // Go adds 4096 bytes of slack for the request line, and so do we).
  std::size_t max_header_bytes = std::size_t{1} << 20;
};

// How the request body is delimited (RFC 9112 section 6.3).
enum class BodyKind { none, content_length, chunked };

struct BodyFraming {
  BodyKind kind = BodyKind::none;
  std::int64_t length = 0;       // for content_length
  bool expect_continue = false;  // "Expect: 100-continue" on HTTP/1.1
  bool keep_alive = true;        // false: close after this request (Connection, HTTP/1.0 rules)
};

enum class ParseStatus { complete, need_more, error };

// HeadResult is the outcome of one parse attempt.
// - complete: consumed is the length of the head including the blank line.
// - need_more: nothing is consumed; call again with the same bytes plus more. When the
//   buffer already holds max_header_bytes (+4096) without a complete head, the result is
//   an error with status 431 instead.
// - error: error_status is the response code to send (400, 417, 431, 501, 505; never 414:
//   see decision 0003) and error_message a
//   short text for the body ("malformed Host header"); the connection must close.
struct HeadResult {
  ParseStatus status = ParseStatus::need_more;
  std::size_t consumed = 0;
  int error_status = 0;
  std::string_view error_message;  // static storage
};

// parse_request_head parses a request head at the start of buf into req and framing.
// Header names are canonicalised in place in buf, and req's header fields, method,
// target and host are views into or copies from buf: buf must outlive the request.
// req must be reset() by the caller; the parser fills method, url (parsed target),
// proto, host, request_uri, header, content_length (-1 for chunked), close.
// Rules (Go's readRequest + RFC 9112): leading CRLFs before the request line are skipped
// (RFC 9112 section 2.2); bare CR, obs-fold (section 5.2: rejected with 400), invalid
// token methods, invalid header names or values, missing Host on HTTP/1.1, duplicate
// Host, Content-Length with Transfer-Encoding (rejected with 400 so that the connection
// closes and no second request is smuggled: section 6.1), differing duplicate
// Content-Lengths, Transfer-Encoding other than "chunked" (501), HTTP versions other
// than 1.0/1.1 (505), request-targets that are not origin-form, absolute-form,
// authority-form (CONNECT only) or asterisk-form (OPTIONS only).
// Also (Go's conn.serve): "Expect: 100-continue" sets framing.expect_continue on an
// HTTP/1.1 request with a body, and any other non-empty Expect is an error with 417.
// A head longer than max_header_bytes + 4096 is refused with 431, whatever its shape
// (a long request line included: see docs/decisions/0003-large-request-line-431.md).
//
// scan (optional) makes repeated need_more calls linear instead of quadratic: pass the
// same value-initialised HeadScan for every attempt at one head, with buf starting at
// the same byte each time; the parser records how far it has seen complete lines.
struct HeadScan {
  std::size_t scanned = 0;
};
HeadResult parse_request_head(std::span<char> buf, const Limits& limits, Request& req,
                              BodyFraming& framing, HeadScan* scan = nullptr);

// ChunkedDecoder decodes a chunked body (RFC 9112 section 7.1) incrementally and
// without copying: feed() returns a view of body bytes inside the input.
class ChunkedDecoder {
 public:
  enum class Status { data, need_more, done, error };
  struct Step {
    Status status = Status::need_more;
    std::size_t consumed = 0;   // input bytes used by this step (including any data)
    std::string_view data;      // body bytes (a view into the input), for Status::data
    std::string_view error;     // for Status::error, static storage
  };
  // feed consumes from in. Call repeatedly: each call returns at most one run of data.
  // Every status reports in consumed the input bytes used up (need_more too: drop them
  // and call again with the rest plus more input; a partial line is never consumed).
  // Chunk extensions are checked for syntax and skipped; trailer fields are copied into
  // trailer (owned). Chunk sizes are strict hex below 2^63; lines end in CRLF; a chunk
  // line longer than 4096 bytes is an error (Go's maxLineLength). After done, feed
  // returns done and consumes nothing.
  Step feed(std::string_view in, Header& trailer, std::size_t max_trailer_bytes);
  // unread gives back the last n bytes of the previous data step that the caller did
  // not take (its buffer was smaller); the next feed, whose input must start at the
  // first byte not taken, returns them again.
  void unread(std::size_t n) noexcept {
    if (n == 0) return;
    remaining_ += n;
    state_ = State::data;
  }
  bool done() const noexcept { return state_ == State::done; }
  void reset() noexcept { *this = ChunkedDecoder{}; }

 private:
  enum class State { size, data, data_crlf, trailer, done };
  State state_ = State::size;
  std::uint64_t remaining_ = 0;
  std::size_t trailer_bytes_ = 0;
};

}  // namespace httpkit::http1
