#include "http2/http2_conn.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "http2/stream.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/waiter.hpp"

namespace httpkit::detail {

Http2Conn::Http2Conn(std::shared_ptr<ServerState> state, std::shared_ptr<const ServerConfig> config,
                     std::unique_ptr<Conn> conn, Context conn_ctx, CancelFunc cancel_conn_ctx)
    : server_(std::move(state)),
      config_(std::move(config)),
      conn_(std::move(conn)),
      conn_ctx_(std::move(conn_ctx)),
      cancel_conn_ctx_(std::move(cancel_conn_ctx)),
      sched_(rt::Scheduler::current()),
      in_(std::make_unique_for_overwrite<std::uint8_t[]>(kReadBuffer)),
      header_list_limit_(config_->http2.max_header_list_size ? config_->http2.max_header_list_size
                                                              : config_->max_header_bytes),
      gate_({config_->http2.max_read_frame_size, config_->http2.max_continuations, header_list_limit_}),
      decoder_(config_->http2.max_decoder_header_table_size),
      max_handlers_(static_cast<int>(config_->http2.max_concurrent_streams * config_->http2.max_handlers_factor)) {
  // Socket events no fiber waits for wake the reader parked in wait_input.
  conn_->set_notify(&Http2Conn::on_event_entry, this);
  conn_->set_read_deadline({});
  conn_->set_write_deadline({});
}

Http2Conn::~Http2Conn() {
  *alive_ = false;
  // Streams go before the session: they may still name it.
  auto free_list = [](Stream* s) {
    while (s) delete std::exchange(s, s->next);
  };
  free_list(live_);
  free_list(spare_);
  if (session_) nghttp2_session_del(session_);
}

void Http2Conn::start(std::string initial, std::unique_ptr<H2Upgrade> upgrade) {
  initial_ = std::move(initial);
  if (auto ec = create_session(upgrade.get())) {
    log(fmt::format("http2: server connection error from {}: {}", conn_->remote_addr(), ec.message()));
    conn_->close();
    fibers_ = 1;
    fiber_done();
    return;
  }
  submit_settings();
  if (upgrade) start_upgraded(std::move(upgrade));
  if (server_->shutting_down.load(std::memory_order_acquire)) graceful_shutdown();
  fibers_ += 2;
  sched_->spawn(&Http2Conn::reader_entry, this);
  sched_->spawn(&Http2Conn::writer_entry, this);
}

// start_upgraded serves the HTTP/1.1 request that asked for h2c as stream 1, which
// the upgrade leaves half-closed (remote) (RFC 7540 section 3.2).
void Http2Conn::start_upgraded(std::unique_ptr<H2Upgrade> up) {
  gate_.opened_by_upgrade();
  Stream* s = open_stream(1);
  s->on_header(":method", up->method, false);
  s->on_header(":scheme", "http", false);
  s->on_header(":path", up->target, false);
  if (!up->host.empty()) s->on_header(":authority", up->host, false);
  for (const auto& f : up->header) {
    // Connection-specific fields do not exist in HTTP/2 (RFC 9113 section 8.2.2).
    if (equal_fold(f.name, "Connection") || equal_fold(f.name, "Upgrade") || equal_fold(f.name, "Http2-Settings") ||
        equal_fold(f.name, "Keep-Alive") || equal_fold(f.name, "Host")) {
      continue;
    }
    s->on_header(f.name, f.value, false);
  }
  if (s->finish_head(true)) {
    dispatch(*s);
  } else {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, 1, NGHTTP2_PROTOCOL_ERROR);
  }
}

void Http2Conn::set_state(ConnState s) {
  store_state(s);
  if (config_->conn_state) config_->conn_state(*conn_, s);
}

// kick: a pending kick has already woken a parked writer (the writer parks only with
// nothing pending), so only the first kick of a batch notifies it.
void Http2Conn::kick() noexcept {
  if (write_pending_) return;
  write_pending_ = true;
  if (writer_waiter_) writer_waiter_->notify();
}

// read_loop is the connection fiber: socket bytes into nghttp2 until the client goes,
// a fatal protocol error, or the writer ends the connection.
void Http2Conn::read_loop() {
  bool ok = initial_.empty() || feed(reinterpret_cast<const std::uint8_t*>(initial_.data()), initial_.size());
  std::string().swap(initial_);
  // Once a read has emptied the socket (Conn::drained; TLS holding nothing back), the
  // next bytes bring a new edge-triggered event: wait for it rather than make a read
  // that would only say EAGAIN, once per batch of requests (the HTTP/1 connection
  // skips that read too). feed() never parks, so no event can slip by in between.
  bool drained = false;
  while (ok && !dead_) {
    const TimePoint deadline = update_idle_deadline();
    if (drained && !shutting_down_) wait_input(deadline);
    IoResult r = conn_->read({reinterpret_cast<std::byte*>(in_.get()), kReadBuffer});
    if (r.err) {
      if (r.err == errc::timeout && open_streams_ == 0 && handlers_ == 0 && !shutting_down_) {
        graceful_shutdown();  // idle: GOAWAY, then the writer closes (Go's IdleTimeout)
        conn_->set_read_deadline(Clock::now() + kFinalFlushTime);
        drained = false;
        continue;
      }
      break;
    }
    ok = feed(in_.get(), r.n);
    drained = conn_->drained();
  }
  reader_done_ = true;
  kick();
  fiber_done();
}

// wait_input parks the reader until the socket reports input (or hang-up: close()
// shuts the socket down), the deadline, or a deadline change (update_idle_deadline).
void Http2Conn::wait_input(TimePoint deadline) {
  rt::Waiter w;
  input_waiter_ = &w;
  w.wait_until(deadline == TimePoint{} ? TimePoint::max() : deadline);
  input_waiter_ = nullptr;
}

// on_event runs on the scheduler's stack for events while the reader is not parked in
// Conn::read.
void Http2Conn::on_event() noexcept {
  if (input_waiter_) input_waiter_->notify();
}

TimePoint Http2Conn::update_idle_deadline() {
  if (shutting_down_) return {};
  Duration idle = config_->http2.idle_timeout.count() > 0 ? config_->http2.idle_timeout : config_->idle_wait();
  const bool idle_now = open_streams_ == 0 && handlers_ == 0;
  const TimePoint deadline = idle_now && idle.count() > 0 ? Clock::now() + idle : TimePoint{};
  conn_->set_read_deadline(deadline);
  if (input_waiter_) input_waiter_->notify();  // wait again, under the new deadline
  return deadline;
}

// write_loop sends whatever nghttp2 has queued whenever it is kicked; it ends the
// connection when nghttp2 is done (GOAWAY exchanged, no streams), on a write error,
// or once the reader has stopped.
void Http2Conn::write_loop() {
  for (;;) {
    write_pending_ = false;
    if (!flush_session()) break;
    if (reader_done_ || finished()) break;
    if (write_pending_) continue;
    rt::Waiter w;
    writer_waiter_ = &w;
    w.wait_until();
    writer_waiter_ = nullptr;
  }
  teardown();
  writer_done_ = true;
  fiber_done();
}

// flush_session has nghttp2 serialize what it has queued (nghttp2_session_send, which
// hands each frame to on_send) and writes it in batches of up to kWriteChunk bytes.
bool Http2Conn::flush_session() {
  for (;;) {
    if (nghttp2_session_send(session_) != 0) return false;
    if (out_.empty()) return true;
    const bool full = out_.size() >= kWriteChunk;  // on_send stopped nghttp2 early
    IoResult r = conn_->write(out_.view());
    out_.clear();
    if (r.err) return false;
    if (!full) return true;
  }
}

// on_send is nghttp2's send_callback: it takes each serialized frame into out_, or,
// once out_ holds a batch, says "would block" so that flush_session writes it first
// (nghttp2 keeps the frame and offers it again). A HEADERS frame comes with the empty
// list nghttp2 was given, or only a table size update of nghttp2's own deflater: our
// encoder keeps the peer's table, so send_head writes the frame with our block instead.
ssize_t Http2Conn::on_send(nghttp2_session*, const std::uint8_t* data, std::size_t n, int, void* self) {
  Http2Conn& c = *static_cast<Http2Conn*>(self);
  if (c.out_.size() >= kWriteChunk) return NGHTTP2_ERR_WOULDBLOCK;
  if (n >= kFrameHeaderSize && data[3] == NGHTTP2_HEADERS) {
    c.send_head(data);
  } else {
    std::memcpy(c.out_.extend(n), data, n);
  }
  return static_cast<ssize_t>(n);
}

bool Http2Conn::finished() const {
  return handlers_ == 0 && nghttp2_session_want_read(session_) == 0 && nghttp2_session_want_write(session_) == 0;
}

// teardown: the last frames (GOAWAY) get a bounded chance to leave, then the socket
// closes and every stream still running learns that its client is gone.
void Http2Conn::teardown() {
  if (!dead_ && !conn_->closed()) {
    conn_->set_write_deadline(Clock::now() + kFinalFlushTime);
    flush_session();
  }
  dead_ = true;
  conn_->close();
  if (input_waiter_) input_waiter_->notify();
  for (Stream* s = live_; s; s = s->next) {
    s->cancel(errc::client_disconnected);
    s->wake();
  }
}

void Http2Conn::begin_shutdown() noexcept {
  sched_->post([this, alive = alive_] {
    if (*alive) graceful_shutdown();
  });
}

// graceful_shutdown sends GOAWAY with the last stream id processed: streams up to it
// finish, later ones are refused and the client retries them elsewhere (RFC 9113
// section 6.8). The writer closes once nghttp2 has no stream left.
void Http2Conn::graceful_shutdown() {
  if (shutting_down_ || dead_) return;
  shutting_down_ = true;
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session_),
                        NGHTTP2_NO_ERROR, nullptr, 0);
  kick();
}

void Http2Conn::terminate(std::uint32_t error_code) {
  nghttp2_session_terminate_session(session_, error_code);
  kick();
}

Stream* Http2Conn::open_stream(std::int32_t id) {
  Stream* s = spare_;
  if (s) {
    spare_ = s->next;
    --spare_count_;
    s->reuse(id);
  } else {
    s = new Stream(*this, id);
  }
  s->live = true;
  s->prev = nullptr;
  s->next = live_;
  if (live_) live_->prev = s;
  live_ = s;
  open_.insert(id, s);
  if (open_streams_++ == 0) set_state(ConnState::Active);
  return s;
}

// dispatch starts the stream's handler. Handlers of streams the client already reset
// keep running until they return; past max_concurrent_streams * max_handlers_factor
// of them the client is flooding us (rapid reset, CVE-2023-44487; Go's
// maxQueuedControlFrames / "too many concurrent handlers") and the connection ends.
void Http2Conn::dispatch(Stream& s) {
  if (handlers_ >= max_handlers_) {
    log(fmt::format("http2: too many concurrent handlers from {}", conn_->remote_addr()));
    terminate(NGHTTP2_ENHANCE_YOUR_CALM);
    return;
  }
  s.dispatched = true;
  ++handlers_;
  ++fibers_;
  sched_->spawn(&Stream::run_entry, &s);
}

void Http2Conn::on_stream_closed(std::int32_t id, std::uint32_t error_code) {
  Stream* const closed = open_.erase(id);
  if (!closed) return;
  Stream& s = *closed;
  if (decoding_ == &s) set_decoding(0, nullptr);
  s.on_close(error_code);
  if (--open_streams_ == 0 && !dead_) {
    set_state(ConnState::Idle);
    update_idle_deadline();  // re-arms the parked reader's wait
  }
  if (!s.dispatched || s.handler_done()) retire(s);
}

void Http2Conn::handler_finished(Stream& s) {
  if (--handlers_ == 0 && !dead_) update_idle_deadline();
  if (s.closed()) retire(s);
  kick();
  fiber_done();
}

// retire unlinks a finished stream and keeps it for reuse, or frees it.
inline void Http2Conn::retire(Stream& s) {
  if (!s.live) return;
  s.live = false;
  if (s.prev) {
    s.prev->next = s.next;
  } else {
    live_ = s.next;
  }
  if (s.next) s.next->prev = s.prev;
  if (spare_count_ == kMaxSpareStreams || dead_) {
    delete &s;
    return;
  }
  s.next = spare_;
  spare_ = &s;
  ++spare_count_;
}

void Http2Conn::fiber_done() {
  if (--fibers_ > 0) return;
  set_state(ConnState::Closed);
  server_->untrack(this);  // after Closed: shutdown returns once all are gone
  cancel_conn_ctx_(errc::canceled);
  delete this;
}

}  // namespace httpkit::detail
