// Response: the ResponseWriter of an HTTP/1.1 request (Go's response + chunkWriter).
#pragma once

#include <cstdint>
#include <string>

#include "http/byte_buffer.hpp"
#include "httpkit/request.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit::detail {

class Http1Conn;
class BodyReader;

// Response applies Go's ResponseWriter rules (see response_writer.hpp): the head is
// committed on the first flush or once more than kBufferBeforeChunking body bytes were
// written; if the handler returns before that, the response gets a Content-Length,
// otherwise it is chunked (HTTP/1.1) or close-delimited (HTTP/1.0). Bytes go to the
// connection's output buffer, which the connection writes out (batching pipelined
// responses) or which large writes bypass with writev.
class Response final : public ResponseWriter,
                       public Flusher,
                       public Hijacker,
                       public DeadlineSetter,
                       public FullDuplexEnabler {
 public:
  // kBufferBeforeChunking: body bytes held back to decide between Content-Length and
  // chunked (the 4 KiB; Go uses 2 KiB in bufferBeforeChunkingSize).
  static constexpr std::size_t kBufferBeforeChunking = 4096;

  void start(Http1Conn& conn, Request& req, BodyReader& body);

  Header& header() override { return header_; }
  void write_header(int code) override;
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override;

  std::error_code flush() override;
  Result<Hijacked> hijack() override;
  std::error_code set_read_deadline(TimePoint t) override;
  std::error_code set_write_deadline(TimePoint t) override;
  std::error_code enable_full_duplex() override;

  // finish completes the response after the handler returned (framing, trailers,
  // draining the request body); the connection then writes out its buffer.
  void finish();

  bool close_after() const noexcept { return close_after_; }
  bool wrote_header() const noexcept { return wrote_header_; }
  std::size_t head_mark() const noexcept { return head_mark_; }
  bool hijacked() const noexcept { return hijacked_; }
  bool committed() const noexcept { return committed_; }
  int status() const noexcept { return status_; }
  std::int64_t bytes_written() const noexcept { return written_; }

 private:
  void write_informational(int code);
  void commit(bool final);
  void note_field(const Header::Field& f) noexcept;
  void decide_framing(bool final, ByteBuffer& out);
  void handle_unread_body();
  IoResult send_body(std::span<const std::byte> data);
  bool has_trailers() const noexcept;
  void append_trailers(ByteBuffer& out);

  Http1Conn* conn_ = nullptr;
  Request* req_ = nullptr;
  BodyReader* body_ = nullptr;
  Header header_;
  Header trailers_;        // reused across requests
  std::string pending_;    // body bytes held before the head is committed
  // What write_header saw in the handler's fields; commit decides by it, as Go's
  // chunkWriter decides by its clone of the header.
  struct Snapshot {
    std::string_view content_length;  // the first value
    bool has_content_length = false;
    bool content_type = false;
    bool transfer_encoding = false;
    bool date = false;
    bool connection_close = false;
  };
  Snapshot snapshot_;
  std::size_t head_mark_ = 0;  // where this response's head starts in the output buffer
  int status_ = 0;
  std::int64_t declared_length_ = -1;  // the handler's Content-Length, or -1
  std::int64_t written_ = 0;
  std::error_code err_;    // sticky write error
  bool wrote_header_ = false;
  bool committed_ = false;
  bool chunked_ = false;
  bool is_head_ = false;
  bool close_after_ = false;
  bool full_duplex_ = false;
  bool hijacked_ = false;
  bool handler_done_ = false;
};

}  // namespace httpkit::detail
