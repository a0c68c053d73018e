// ResponseWriter and its optional capabilities (Go's http.ResponseWriter, Flusher, ...).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "httpkit/context.hpp"
#include "httpkit/error.hpp"
#include "httpkit/header.hpp"

namespace httpkit {

class Conn;

// ResponseWriter is how a handler answers. The contract is Go's:
// - header() may be changed until the response is committed by the first write() or
//   write_header(); later changes are ignored, except "Trailer:"-prefixed keys and keys
//   declared in a Trailer header, which are sent as trailers after the body.
// - write_header(code) sends the status line once; a 1xx code (but not 101) sends an
//   informational response and may be followed by more; another call after a final
//   status is logged as superfluous and ignored.
// - write() calls write_header(200) first if needed; when Content-Type is unset, it is
//   sniffed from the first 512 bytes written (detect_content_type).
// - A ResponseWriter may not be used after the handler returns, nor from two fibers at once.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  virtual Header& header() = 0;
  virtual void write_header(int status) = 0;
  virtual IoResult write(std::span<const std::byte> data) = 0;
  IoResult write(std::string_view s) { return write(std::as_bytes(std::span(s.data(), s.size()))); }
  // unwrap returns the ResponseWriter this one wraps (middleware), or nullptr.
  // ResponseController walks this chain to find capabilities.
  virtual ResponseWriter* unwrap() { return nullptr; }
};

// Flusher sends buffered data to the client now (http.Flusher).
class Flusher {
 public:
  virtual ~Flusher() = default;
  virtual std::error_code flush() = 0;
};

// Hijacked is a connection taken over from the server: the Conn plus the bytes the
// server had already read past the request head.
struct Hijacked {
  std::unique_ptr<Conn> conn;
  std::string buffered;
};

// Hijacker lets the handler take over the connection (http.Hijacker). HTTP/1 only.
class Hijacker {
 public:
  virtual ~Hijacker() = default;
  virtual Result<Hijacked> hijack() = 0;
};

// DeadlineSetter overrides the server's timeouts for this request; a zero TimePoint
// clears the deadline.
class DeadlineSetter {
 public:
  virtual ~DeadlineSetter() = default;
  virtual std::error_code set_read_deadline(TimePoint t) = 0;
  virtual std::error_code set_write_deadline(TimePoint t) = 0;
};

// FullDuplexEnabler lets a handler read the request body after writing (HTTP/1).
class FullDuplexEnabler {
 public:
  virtual ~FullDuplexEnabler() = default;
  virtual std::error_code enable_full_duplex() = 0;
};

}  // namespace httpkit
