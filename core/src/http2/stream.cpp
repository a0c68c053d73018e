// Stream: the request side (body, context) and the handler fiber.
#include "http2/stream.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <tuple>

#include <fmt/format.h>

#include "http/byte_buffer.hpp"
#include "http2/http2_conn.hpp"
#include "httpkit/handler.hpp"
#include "httpkit/runtime.hpp"
#include "runtime/fiber.hpp"
#include "runtime/waiter.hpp"

namespace httpkit::detail {
namespace {

bool passed(TimePoint deadline) { return deadline != TimePoint{} && Clock::now() >= deadline; }

// kCompactBytes: consumed input is dropped from the front once it is this large.
constexpr std::size_t kCompactBytes = 64 << 10;

// kHandlerReturned: why a request's context ends when its handler returns (Go cancels
// it too); made once, as an error_code costs a call to make.
const std::error_code kHandlerReturned = errc::canceled;

// fiber_site writes "METHOD /path" into buf, cut at its size: the label the runtime
// shows for the handler's fiber (what fmt::format_to_n gives, without formatting).
std::string_view fiber_site(std::span<char> buf, std::string_view method, std::string_view path) noexcept {
  std::size_t n = std::min(method.size(), buf.size());
  copy_bytes(buf.data(), method.data(), n);
  if (n < buf.size()) buf[n++] = ' ';
  const std::size_t p = std::min(path.size(), buf.size() - n);
  copy_bytes(buf.data() + n, path.data(), p);
  return {buf.data(), n + p};
}

}  // namespace

Stream::Stream(Http2Conn& conn, std::int32_t id) : conn_(conn), id_(id), body_(*this), resp_(*this) {
  req_.set_remote_addr_view(conn.net().remote_addr());  // the connection outlives its streams
  req_.set_tls(conn.net().tls());
  begin();
}

void Stream::reuse(std::int32_t id) {
  id_ = id;
  req_.reset();  // keeps remote_addr and tls: same connection
  resp_.reset();
  head_bytes_.clear();
  method_ = scheme_ = authority_ = path_ = host_ = {};
  field_spans_.clear();
  cookies_.clear();
  header_list_size_ = 0;
  check_fields_ = regular_seen_ = malformed_ = false;
  seen_ = 0;
  content_length_ = -1;
  body_received_ = 0;
  in_.clear();
  in_off_ = 0;
  body_closed_ = end_stream_ = closed_ = reset_ = handler_done_ = response_sent_ = dispatched = false;
  waiter_ = nullptr;
  read_deadline = write_deadline = {};
  begin();
}

// begin gives the stream its context (reusing the last one's node when nobody kept
// it, as HTTP/1 does) and its deadlines.
inline void Stream::begin() {
  if (!detail::renew_context(ctx_, cancel_)) std::tie(ctx_, cancel_) = with_cancel(conn_.conn_context());
  req_.set_context(ctx_);
  req_.set_body(&body_);
  // Go applies ReadTimeout and WriteTimeout to each HTTP/2 stream from its start.
  const ServerConfig& c = conn_.config();
  if (c.read_timeout.count() <= 0 && c.write_timeout.count() <= 0) return;
  const TimePoint now = Clock::now();
  if (c.read_timeout.count() > 0) read_deadline = now + c.read_timeout;
  if (c.write_timeout.count() > 0) write_deadline = now + c.write_timeout;
}

IoResult StreamBody::read(std::span<std::byte> buf) {
  Stream& s = s_;
  if (s.body_closed_) return {0, errc::closed};
  if (buf.empty()) return {};
  for (;;) {
    if (const std::size_t avail = s.in_.size() - s.in_off_; avail > 0) {
      const std::size_t n = std::min(avail, buf.size());
      std::memcpy(buf.data(), s.in_.data() + s.in_off_, n);
      s.in_off_ += n;
      if (s.in_off_ == s.in_.size()) s.in_.clear(), s.in_off_ = 0;
      nghttp2_session_consume(s.conn_.session(), s.id_, n);  // opens the windows
      s.conn_.kick();
      return {n, {}};
    }
    if (s.end_stream_) return {0, errc::eof};
    if (s.reset_ || s.closed_ || s.conn_.dead()) return {0, errc::client_disconnected};
    if (passed(s.read_deadline)) return {0, errc::timeout};
    s.wait(s.read_deadline);
  }
}

// close discards what is buffered; bytes still coming are consumed on arrival.
void StreamBody::close() {
  Stream& s = s_;
  s.body_closed_ = true;
  if (const std::size_t unread = s.in_.size() - s.in_off_; unread > 0 && !s.conn_.dead()) {
    nghttp2_session_consume(s.conn_.session(), s.id_, unread);
    s.conn_.kick();
  }
  if (s.in_.capacity() > std::string().capacity()) std::string().swap(s.in_);  // a body's buffer goes
  s.in_.clear();
  s.in_off_ = 0;
}

void Stream::reset_malformed() {
  if (malformed_) return;
  malformed_ = true;
  nghttp2_submit_rst_stream(conn_.session(), NGHTTP2_FLAG_NONE, id_, NGHTTP2_PROTOCOL_ERROR);
}

// count_body does what nghttp2 does for each chunk of DATA: the stream is reset as
// soon as the payload outgrows content-length, before its bytes reach the handler.
bool Stream::count_body(std::size_t n) {
  if (malformed_) return false;
  body_received_ += static_cast<std::int64_t>(n);
  if (content_length_ < 0 || body_received_ <= content_length_) return true;
  reset_malformed();
  return false;
}

void Stream::on_data(const std::uint8_t* data, std::size_t len) {
  if (body_closed_) {
    nghttp2_session_consume(conn_.session(), id_, len);
    return;
  }
  if (in_off_ >= kCompactBytes && in_off_ * 2 >= in_.size()) {
    in_.erase(0, in_off_);
    in_off_ = 0;
  }
  in_.append(reinterpret_cast<const char*>(data), len);
  wake();
}

void Stream::on_end_stream() {
  if (malformed_) return;
  if (content_length_ >= 0 && body_received_ != content_length_) return reset_malformed();
  end_stream_ = true;
  wake();
}

void Stream::cancel(std::error_code why) { cancel_(why); }

bool Stream::wait(TimePoint deadline) {
  rt::Waiter w;
  waiter_ = &w;
  const bool woken = w.wait_until(deadline == TimePoint{} ? TimePoint::max() : deadline);
  waiter_ = nullptr;
  return woken;
}

void Stream::wake() noexcept {
  if (waiter_) waiter_->notify();
}

// run is the handler fiber. A stream the client reset before its handler got to run
// is not served: a rapid-reset client (CVE-2023-44487) costs a fiber start, no handler.
void Stream::run() {
  bool completed = false;
  if (!reset_ && !conn_.dead()) {
    char site[rt::Fiber::kSiteCap];
    runtime::set_fiber_site(fiber_site(site, req_.method(), req_.url().path));
    try {
      if (req_.request_uri() == "*" && req_.method() == "OPTIONS") {
        resp_.header().set("Content-Length", "0");  // Go's globalOptionsHandler
      } else if (const Handler& h = conn_.config().handler) {
        h(resp_, req_);
      } else {
        not_found(resp_, req_);
      }
      completed = true;
    } catch (const AbortHandler&) {
      // Go's ErrAbortHandler: reset the stream quietly.
    } catch (const std::exception& e) {
      conn_.log(fmt::format("http2: panic serving {}: {} ({} {})", req_.remote_addr(), e.what(), req_.method(),
                            req_.request_uri()));
    } catch (...) {
      conn_.log(fmt::format("http2: panic serving {}: unknown exception", req_.remote_addr()));
    }
  }
  if (!conn_.dead()) resp_.finish(!completed);
  handler_done_ = true;
  body_.close();
  // The handler returned: its context ends (Go cancels it too). The request lets go of
  // it first, so that a context nobody else holds or watches needs no cancelling, and
  // reuse can renew it (detail::end_context, decision 0051).
  req_.set_context(Context{});
  detail::end_context(ctx_, cancel_, kHandlerReturned);
  if (!end_stream_) await_request_end();
  conn_.handler_finished(*this);  // may delete this stream and the connection
}

// await_request_end: the response ended before the request did. RFC 9113 section 8.1
// lets the server then ask the client to stop without error (RST_STREAM NO_ERROR), as
// Go does at once. We first give the client kRequestEndGrace to end the request, so
// that a request that was on its way is still held to section 8.1.1 (content-length,
// trailers) and its end reaches nghttp2 as the end of an open stream, not as frames on
// a closed one. Meanwhile its DATA is discarded without reopening the stream's window
// (on_data_chunk_recv), so at most one window more comes. The RST_STREAM follows the
// response's END_STREAM, never overtakes it: a client MUST NOT discard a response
// for it (section 8.1), but it would have no response to keep.
void Stream::await_request_end() {
  const TimePoint grace = Clock::now() + kRequestEndGrace;
  while (!end_stream_ && !closed_ && !conn_.dead()) {
    if (response_sent_ && passed(grace)) {
      nghttp2_submit_rst_stream(conn_.session(), NGHTTP2_FLAG_NONE, id_, NGHTTP2_NO_ERROR);
      conn_.kick();
      return;
    }
    wait(response_sent_ ? grace : TimePoint{});  // on_response_sent, on_end_stream, on_close wake it
  }
}

}  // namespace httpkit::detail
