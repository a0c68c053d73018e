// Stream: one HTTP/2 request and its response (Go's http2 stream + responseWriter).
#pragma once

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string>
#include <vector>

#include "http/byte_buffer.hpp"
#include "http2/header_block.hpp"
#include "httpkit/body.hpp"
#include "httpkit/request.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit::rt {
class Waiter;
}

namespace httpkit::detail {

class Http2Conn;
class Stream;

// StreamBody is the request body: DATA the connection fiber buffered for this stream.
// Each read hands bytes to nghttp2_session_consume, which sends WINDOW_UPDATE once half
// a window is consumed: the handler's reads open the flow-control window (RFC 9113
// section 5.2), so a handler that does not read holds the client back.
class StreamBody final : public Body {
 public:
  explicit StreamBody(Stream& s) noexcept : s_(s) {}
  IoResult read(std::span<std::byte> buf) override;
  void close() override;

 private:
  Stream& s_;
};

// StreamResponse applies the ResponseWriter rules of response_writer.hpp to HTTP/2
// (Go's http2responseWriter): the head is committed by the first flush, or once more
// than kBufferBeforeCommit body bytes were written, or when the handler returns (then
// with content-length). Body bytes queue in the stream's output buffer and leave as
// DATA frames through an nghttp2 data source, within the client's flow-control window.
class StreamResponse final : public ResponseWriter,
                             public Flusher,
                             public Hijacker,
                             public DeadlineSetter,
                             public FullDuplexEnabler {
 public:
  static constexpr std::size_t kBufferBeforeCommit = 4096;
  // kMaxBuffered: a write returns once the stream's queue is below this; a handler
  // faster than the client parks (flow control pushes back to the handler).
  static constexpr std::size_t kMaxBuffered = 256 << 10;

  explicit StreamResponse(Stream& s) noexcept : s_(s) {}
  Header& header() override { return header_; }
  void write_header(int code) override;
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override;
  std::error_code flush() override;
  // hijack: HTTP/2 has no connection to hand over (Go: http.ErrNotSupported).
  Result<Hijacked> hijack() override { return errc::not_supported; }
  std::error_code set_read_deadline(TimePoint t) override;
  std::error_code set_write_deadline(TimePoint t) override;
  // HTTP/2 is always full duplex.
  std::error_code enable_full_duplex() override { return {}; }

  // reset prepares the response for the next stream (keeping buffer capacity). It
  // keeps head_ and what snapshot_head noted with it, for snapshot_head to reuse.
  void reset() noexcept {
    header_.clear();
    out_.clear();
    out_off_ = 0;
    status_ = 0;
    written_ = 0;
    wrote_header_ = committed_ = has_data_source_ = deferred_ = handler_done_ = is_head_ = no_trailers_ = false;
    final_pending_ = trailers_pending_ = false;
    if (!informational_.empty()) informational_.clear();
    informational_sent_ = 0;
  }
  // finish ends the response after the handler returned; aborted: it threw.
  void finish(bool aborted);
  // take_next_head: the fields of the next HEADERS frame nghttp2 sends for the stream.
  // nghttp2 gets every head as an empty list and sends a stream's HEADERS frames in the
  // order they were submitted (1xx responses, the final head, trailers); the
  // connection's writer encodes what this returns into the frame (Http2Conn::send_head).
  const HeaderBlock* take_next_head() noexcept {
    if (informational_sent_ < informational_.size()) return &informational_[informational_sent_++];
    if (std::exchange(final_pending_, false)) return &head_;
    if (std::exchange(trailers_pending_, false)) return &trailers_;
    return nullptr;
  }
  // read_data is the nghttp2 data source (connection fiber).
  [[gnu::always_inline]] ssize_t read_data(std::uint8_t* buf, std::size_t length, std::uint32_t* flags);

 private:
  [[gnu::always_inline]] void snapshot_head();
  [[gnu::always_inline]] bool head_matches() const;
  void commit(bool final);
  void send_informational(int code);
  bool collect_trailers(Header& out) const;
  [[gnu::always_inline]] void resume();
  std::error_code wait_drained(std::size_t below);

  Stream& s_;
  Header header_;
  // What write_header saw of header_ (Go clones the header at WriteHeader): the
  // response head it builds, whose computed fields commit adds after head_end_, the
  // values of "Trailer", whether the handler set Content-Type and Date and the length
  // its Content-Length declares. Kept by reset: the next response may have the same
  // (head_reusable_, snapshot_head).
  HeaderBlock head_;
  ByteBuffer head_source_;  // the names and values head_ was made of, as header_ had them
  HeaderBlock::Mark head_end_;
  int head_status_ = 0;
  bool head_reusable_ = false;
  std::string declared_trailers_;  // "Trailer" values joined with ','
  bool has_content_type_ = false;
  bool has_date_ = false;
  std::int64_t declared_length_ = -1;
  ByteBuffer out_;           // body bytes not yet taken by nghttp2
  std::size_t out_off_ = 0;  // taken so far
  int status_ = 0;
  std::int64_t written_ = 0;
  bool wrote_header_ = false;
  bool committed_ = false;
  bool has_data_source_ = false;
  bool deferred_ = false;    // the data source is waiting for bytes
  bool handler_done_ = false;
  bool is_head_ = false;
  bool no_trailers_ = false;  // the handler returned before commit found none
  // Heads submitted to nghttp2 and not yet sent (take_next_head).
  std::vector<HeaderBlock> informational_;  // 1xx responses
  std::size_t informational_sent_ = 0;
  HeaderBlock trailers_;
  bool final_pending_ = false;
  bool trailers_pending_ = false;
};

// Stream lives from the request HEADERS until both the handler has returned and
// nghttp2 has closed the stream. Everything runs on the connection's scheduler thread.
class Stream {
 public:
  // kRequestEndGrace: how long a request may go on after its response ended before the
  // client is asked to stop (await_request_end).
  static constexpr auto kRequestEndGrace = std::chrono::seconds(1);
  Stream(Http2Conn& conn, std::int32_t id);
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  // reuse makes a finished stream serve a new stream id on the same connection.
  void reuse(std::int32_t id);

  // The request head (request_head.cpp). Its fields come from our HPACK decoder
  // (Http2Conn::take_header_block) after begin_h2_head, and on_header holds each to RFC 9113 section 8's messaging
  // rules, resetting the stream at the first broken one; or from the HTTP/1.1 request
  // of an h2c upgrade (Http2Conn::start_upgraded), whose fields the HTTP/1.1 parser
  // checked and named in canonical form ("User-Agent"). on_header returns an nghttp2
  // error code to reset the stream (header list too large), or 0.
  void begin_h2_head() noexcept { check_fields_ = true; }
  int on_header(std::string_view name, std::string_view value, bool trailer);
  // finish_head validates the head as a whole (its pseudo-fields, section 8.3.1) and
  // builds the Request; false: malformed (RFC 9113 section 8.1.1), the caller resets
  // the stream (reset_malformed).
  bool finish_head(bool end_stream);
  // reset_malformed resets the stream with PROTOCOL_ERROR (RFC 9113 section 8.1.1),
  // once; the rest of its fields and DATA are ignored, the connection keeps serving.
  void reset_malformed();
  // count_body adds n bytes of DATA payload to the stream's total; false: they are not
  // the request's to read, because the stream is malformed (reset): now, for DATA
  // beyond content-length (section 8.1.1), or before.
  bool count_body(std::size_t n);
  void on_data(const std::uint8_t* data, std::size_t len);
  // on_end_stream: the client's END_STREAM; a body that is not content-length long
  // resets the stream instead (section 8.1.1).
  void on_end_stream();
  // on_close: nghttp2 closed the stream (error_code != 0: reset by either side). A
  // reset (by the client, or by us for a protocol error) ends the request's context
  // with client_disconnected, as Go's handler sees its client go away.
  void on_close(std::uint32_t error_code) {
    closed_ = true;
    if (error_code != NGHTTP2_NO_ERROR || !end_stream_) {
      reset_ = error_code != NGHTTP2_NO_ERROR;
      cancel_(errc::client_disconnected);
    }
    wake();
  }
  // on_response_sent: the response's END_STREAM went out (nghttp2's on_frame_send).
  void on_response_sent() noexcept {
    response_sent_ = true;
    wake();
  }
  // cancel ends the request's context (connection loss, shutdown close).
  void cancel(std::error_code why);

  // run is the handler fiber's body.
  void run();

  // Parking for the handler fiber: wait returns false at the deadline.
  bool wait(TimePoint deadline);
  void wake() noexcept;

  Http2Conn& conn() noexcept { return conn_; }
  std::int32_t id() const noexcept { return id_; }
  Request& request() noexcept { return req_; }
  StreamResponse& response() noexcept { return resp_; }
  bool closed() const noexcept { return closed_; }
  bool reset() const noexcept { return reset_; }
  bool end_stream_received() const noexcept { return end_stream_; }
  bool handler_done() const noexcept { return handler_done_; }
  TimePoint read_deadline = {};
  TimePoint write_deadline = {};
  bool dispatched = false;  // a handler fiber was started for it
  // The connection's lists (Http2Conn::live_, spare_): prev and next link a live
  // stream, next a spare one.
  Stream* prev = nullptr;
  Stream* next = nullptr;
  bool live = false;
  static void run_entry(void* self) { static_cast<Stream*>(self)->run(); }

 private:
  friend class StreamBody;
  [[gnu::always_inline]] void begin();
  // on_field is on_header's body, inline: it runs for every field.
  [[gnu::always_inline]] int on_field(std::string_view name, std::string_view value, bool trailer);
  bool add_field(std::string_view name, std::string_view value, bool trailer);
  void await_request_end();
  bool note_content_length(std::string_view value);
  // PseudoFields: the pseudo-field and Host values, views of head_bytes_.
  struct PseudoFields {
    std::string_view method, scheme, authority, path, host;
  };
  [[gnu::always_inline]] bool validate_pseudo(const PseudoFields& p) const;
  bool known_valid_authority(std::string_view authority) const;

  Http2Conn& conn_;
  std::int32_t id_;
  Request req_;
  StreamBody body_;
  StreamResponse resp_;
  Context ctx_;  // the request's context, renewed for the next stream when possible
  CancelFunc cancel_;
  rt::Waiter* waiter_ = nullptr;
  // Request head as it arrives, copied once into head_bytes_: pseudo-field and Host
  // values (Span) and regular fields, canonical name then value (FieldSpan).
  // finish_head gives the Request views of the fields (as the HTTP/1 parser gives views
  // of its read buffer); head_bytes_ does not change again until reuse.
  struct Span {
    std::size_t at = 0, len = 0;
  };
  struct FieldSpan {
    std::size_t at, name_len, value_len;
  };
  std::string_view pseudo(Span s) const noexcept { return head_bytes_.view(s.at, s.len); }
  ByteBuffer head_bytes_;
  Span method_, scheme_, authority_, path_, host_;
  std::vector<FieldSpan> field_spans_;
  std::string cookies_;
  std::size_t header_list_size_ = 0;
  bool check_fields_ = false;  // begin_h2_head: fields from nghttp2
  std::uint8_t seen_ = 0;      // pseudo-fields and Host had (request_head.cpp's kSeen bits)
  bool regular_seen_ = false;  // a regular field came: no pseudo-field may follow
  bool malformed_ = false;     // reset with PROTOCOL_ERROR (reset_malformed)
  bool response_sent_ = false; // on_response_sent
  // content-length (-1: none, or CONNECT) and the DATA payload bytes received so far.
  std::int64_t content_length_ = -1;
  std::int64_t body_received_ = 0;
  // Request body: bytes received, not yet read.
  std::string in_;
  std::size_t in_off_ = 0;
  bool body_closed_ = false;
  bool end_stream_ = false;
  bool closed_ = false;
  bool reset_ = false;
  bool handler_done_ = false;
};

}  // namespace httpkit::detail
