#include "server/http1_conn.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <cstring>
#include <span>

#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "http2/http2_conn.hpp"  // H2Upgrade is complete where Http1Conn's unique_ptr needs it
#include "httpkit/runtime.hpp"
#include "httpkit/status.hpp"
#include "runtime/scheduler.hpp"

namespace httpkit::detail {
namespace {

// request_site writes "METHOD /path" into buf, cut to its size: the call site a stall
// report names. Per request, so plain copies rather than a format string.
std::string_view request_site(std::span<char> buf, std::string_view method, std::string_view path) noexcept {
  std::size_t n = std::min(method.size(), buf.size());
  std::memcpy(buf.data(), method.data(), n);
  if (n < buf.size()) buf[n++] = ' ';
  const std::size_t tail = std::min(path.size(), buf.size() - n);
  std::memcpy(buf.data() + n, path.data(), tail);
  return {buf.data(), n + tail};
}

// Pool of Exchanges per scheduler thread: busy connections borrow one.
constexpr std::size_t kMaxPooledExchanges = 256;
// kIdleBufferKeep: a read buffer grown past this (a huge head) is freed on release.
constexpr std::size_t kIdleBufferKeep = 64 << 10;
// kMinBodySpace: room kept above a parsed head for reading the body.
constexpr std::size_t kMinBodySpace = 4096;
// kHeadSlack: Go reads up to MaxHeaderBytes + 4096 before answering 431.
constexpr std::size_t kHeadSlack = 4096;

thread_local std::vector<std::unique_ptr<Exchange>> exchange_pool;

bool would_block(std::error_code ec) { return ec == std::errc::operation_would_block; }

std::span<std::byte> as_writable(char* p, std::size_t n) { return {reinterpret_cast<std::byte*>(p), n}; }

}  // namespace

Http1Conn::Http1Conn(std::shared_ptr<ServerState> state, std::shared_ptr<const ServerConfig> config,
                     std::unique_ptr<Conn> conn, const Context& base)
    : server_(std::move(state)), config_(std::move(config)), conn_(std::move(conn)) {
  auto [ctx, cancel] = with_cancel(config_->conn_context ? config_->conn_context(base, *conn_) : base);
  conn_ctx_ = std::move(ctx);
  cancel_conn_ctx_ = std::move(cancel);
  idle_timer_.fire = &Http1Conn::on_idle_timer;
  idle_timer_.arg = this;
}

void Http1Conn::start() {
  server_->track(this);
  set_state(ConnState::New);
  if (const Duration ht = config_->header_timeout(); ht.count() > 0) head_deadline_ = Clock::now() + ht;
  conn_->set_notify(&Http1Conn::on_event_entry, this);
  phase_ = Phase::reading;
  rt::Scheduler::current()->spawn(&Http1Conn::serve_entry, this);
}

void Http1Conn::set_state(ConnState s) {
  store_state(s);
  if (config_->conn_state && conn_) config_->conn_state(*conn_, s);
}

bool Http1Conn::closing_after_request() const noexcept {
  return !config_->keep_alives_enabled || server_->shutting_down.load(std::memory_order_acquire);
}

void Http1Conn::acquire_exchange() {
  if (!exchange_pool.empty()) {
    ex_ = exchange_pool.back().release();
    exchange_pool.pop_back();
  } else {
    ex_ = new Exchange();
  }
  ex_->in.reserve(0);
}

void Http1Conn::release_exchange() noexcept {
  if (!ex_) return;
  ex_->in.release(kIdleBufferKeep);
  ex_->out.clear();
  ex_->req.reset();
  ex_->req_clean = true;
  if (exchange_pool.size() < kMaxPooledExchanges) {
    exchange_pool.emplace_back(ex_);
  } else {
    delete ex_;
  }
  ex_ = nullptr;
}

// serve is the connection's fiber: requests in order until the client has nothing more
// to say right now (go idle, the fiber ends) or the connection must close.
void Http1Conn::serve() {
  if (config_->tls && !handshake_done_) {
    if (!handshake()) return finish_close();
    if (conn_->tls()->negotiated_protocol == "h2") return hand_off_h2({}, nullptr);
  }
  acquire_exchange();
  for (;;) {
    http1::BodyFraming framing;
    const HeadStatus hs = read_head(framing);
    if (hs == HeadStatus::idle) {
      go_idle();
      return;
    }
    if (hs == HeadStatus::h2_preface) return hand_off_h2(ex_->in.view(), nullptr);
    if (hs == HeadStatus::ok && wants_h2c_upgrade(framing)) return upgrade_h2c();
    if (hs == HeadStatus::closed || !serve_request(framing)) break;
    if (!conn_) {  // hijacked: the handler owns the connection now
      release_exchange();
      delete this;
      return;
    }
  }
  finish_close();
}

// parse_head parses what is buffered: ok or closed (answered with an error), or idle
// meaning "need more bytes".
Http1Conn::HeadStatus Http1Conn::parse_head(const http1::Limits& limits, http1::HeadScan& scan,
                                            http1::BodyFraming& framing) {
  Exchange& ex = *ex_;
  for (;;) {
    if (!ex.req_clean) ex.req.reset();  // a pooled exchange comes reset
    ex.req_clean = false;
    const auto r = http1::parse_request_head(std::span(ex.in.data(), ex.in.size()), limits, ex.req, framing, &scan);
    if (r.status == http1::ParseStatus::complete) {
      if (ex.in.capacity() - r.consumed < kMinBodySpace) {
        ex.req.reset();
        ex.in.reserve(kMinBodySpace + ex.in.size() - r.consumed);  // moves bytes: parse again
        continue;
      }
      ex.in.set_floor(r.consumed);
      ex.in.consume(r.consumed);
      return HeadStatus::ok;
    }
    if (r.status == http1::ParseStatus::error) {
      if (broken_h2_preface()) {
        linger_ = true;  // a half-close, then close: no reset for what the client still sends
      } else {
        send_error(r.error_status, r.error_message);
      }
      return HeadStatus::closed;
    }
    return HeadStatus::idle;
  }
}

Http1Conn::HeadStatus Http1Conn::read_head(http1::BodyFraming& framing) {
  Exchange& ex = *ex_;
  ex.in.compact();
  bool started = false;
  http1::HeadScan scan;  // makes re-parsing a head that arrives in pieces linear
  const http1::Limits limits{config_->max_header_bytes};
  for (;;) {
    if (!ex.in.empty()) {
      if (!started) {
        started = true;
        const Duration ht = config_->header_timeout();
        TimePoint deadline = served_any_ ? (ht.count() > 0 ? Clock::now() + ht : TimePoint{}) : head_deadline_;
        conn_->set_read_deadline(deadline);
      }
      // An h2c client by prior knowledge starts with the connection preface (RFC 9113
      // section 3.3) instead of a request line; wait until it can be told apart.
      if (prior_knowledge_pending()) {
        if (ex.in.size() >= kClientPreface.size()) return HeadStatus::h2_preface;
      } else if (const HeadStatus hs = parse_head(limits, scan, framing); hs != HeadStatus::idle) {
        return hs;
      }
    }
    if (!ex.out.empty() && write_out()) return HeadStatus::closed;  // answers first, then wait
    if (ex.in.space_size() == 0) {
      if (ex.in.capacity() >= config_->max_header_bytes + kHeadSlack + kMinBodySpace) {
        send_error(kStatusRequestHeaderFieldsTooLarge, "");
        return HeadStatus::closed;
      }
      ex.in.reserve(ex.in.capacity());
    }
    // Nothing buffered, the last read emptied the socket (and TLS holds nothing back)
    // and no input event since: every byte the client sent has been read, and with
    // edge-triggered epoll the next byte wakes the idle connection, so it can go idle
    // without a read that would only say EAGAIN.
    if (ex.in.empty() && !input_pending_ && conn_->drained()) return HeadStatus::idle;
    input_pending_ = false;
    IoResult r = ex.in.empty() ? conn_->read_now(as_writable(ex.in.space(), ex.in.space_size()))
                               : conn_->read(as_writable(ex.in.space(), ex.in.space_size()));
    if (r.err) {
      if (would_block(r.err)) return HeadStatus::idle;
      if (r.err == errc::timeout && started) send_error(kStatusRequestTimeout, "");
      return HeadStatus::closed;
    }
    ex.in.produced(r.n);
  }
}

// serve_request runs one request through the handler; false means close.
bool Http1Conn::serve_request(const http1::BodyFraming& framing) {
  Exchange& ex = *ex_;
  Request& req = ex.req;
  set_state(ConnState::Active);
  served_any_ = true;
  // Go: ReadTimeout covers head and body; WriteTimeout runs from the end of the head.
  // Without either, no clock read: the deadlines are only cleared.
  const bool timed = config_->read_timeout.count() > 0 || config_->write_timeout.count() > 0;
  const TimePoint now = timed ? Clock::now() : TimePoint{};
  conn_->set_read_deadline(config_->read_timeout.count() > 0 ? now + config_->read_timeout : TimePoint{});
  conn_->set_write_deadline(config_->write_timeout.count() > 0 ? now + config_->write_timeout : TimePoint{});
  req.set_remote_addr_view(conn_->remote_addr());  // the Conn outlives the request
  req.set_tls(conn_->tls());
  ex.body.start(*this, framing, req.trailer());
  req.set_body(&ex.body);
  if (!detail::renew_context(request_ctx_, cancel_request_)) {
    std::tie(request_ctx_, cancel_request_) = with_cancel(conn_ctx_);
  }
  req.set_context(request_ctx_);
  ex.resp.start(*this, req, ex.body);

  const bool completed = run_handler();
  // The handler returned: its context ends (Go cancels it too). The request lets go of
  // it first, so that a context nobody else holds needs no cancelling.
  req.set_context(Context{});
  detail::end_context(request_ctx_, cancel_request_, errc::canceled);
  if (!conn_) return true;  // hijacked
  if (!completed) {
    ex.out.truncate(ex.resp.head_mark());  // drop the aborted response
    return false;
  }
  ex.resp.finish();
  if (ex.resp.close_after() || closing_after_request() || !framing.keep_alive) {
    linger_ = !ex.body.eof();
    return false;
  }
  set_state(ConnState::Idle);
  // Batch pipelined answers: write only when no further request is already buffered.
  if ((ex.in.empty() || ex.out.size() >= kOutputFlushBytes) && write_out()) return false;
  return true;
}

bool Http1Conn::run_handler() {
  Exchange& ex = *ex_;
  Request& req = ex.req;
  phase_ = Phase::handler;
  char site[rt::Fiber::kSiteCap];
  runtime::set_fiber_site(request_site(site, req.method(), req.url().path));
  bool completed = false;
  try {
    if (req.request_uri() == "*" && req.method() == "OPTIONS") {
      ex.resp.header().set("Content-Length", "0");  // Go's globalOptionsHandler
    } else if (config_->handler) {
      config_->handler(ex.resp, req);
    } else {
      not_found(ex.resp, req);
    }
    completed = true;
  } catch (const AbortHandler&) {
    // Go's ErrAbortHandler: abort quietly.
  } catch (const std::exception& e) {
    log(fmt::format("http: panic serving {}: {} ({} {})", conn_ ? conn_->remote_addr() : "hijacked connection",
                    e.what(), req.method(), req.request_uri()));
  } catch (...) {
    log(fmt::format("http: panic serving {}: unknown exception ({} {})",
                    conn_ ? conn_->remote_addr() : "hijacked connection", req.method(), req.request_uri()));
  }
  phase_ = Phase::reading;
  return completed;
}

void Http1Conn::send_error(int status, std::string_view message) {
  ByteBuffer& out = ex_->out;
  const std::string_view text = status_text(status);
  out.append(fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n{} {}",
                         status, text, status, text));
  if (!message.empty()) {
    out.append(": ");
    out.append(message);
  }
  linger_ = true;
}

void Http1Conn::go_idle() {
  phase_ = Phase::idle;
  release_exchange();
  TimePoint deadline{};
  if (!served_any_) {
    deadline = head_deadline_;
  } else if (const Duration idle = config_->idle_wait(); idle.count() > 0) {
    deadline = Clock::now() + idle;
  }
  if (deadline != TimePoint{}) rt::Scheduler::current()->arm(idle_timer_, deadline);
}

// on_event runs on the scheduler's stack for events no fiber waits for.
void Http1Conn::on_event(std::uint32_t events) {
  input_pending_ = true;
  if (phase_ == Phase::idle) {
    rt::Scheduler::current()->cancel(idle_timer_);
    phase_ = Phase::reading;
    rt::Scheduler::current()->spawn(&Http1Conn::serve_entry, this);
  } else if (phase_ == Phase::handler && (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && ex_ && ex_->body.eof()) {
    // The client went away while the handler runs (Go's background read sees EOF).
    cancel_request_(errc::client_disconnected);
  }
}

void Http1Conn::on_idle_timer(rt::Timer* t) noexcept {
  auto* self = static_cast<Http1Conn*>(t->arg);
  if (self->phase_ != Phase::idle) return;
  self->phase_ = Phase::closing;
  rt::Scheduler::current()->spawn(&Http1Conn::close_entry, self);
}

std::error_code Http1Conn::write_out(std::span<const std::byte> extra, std::string_view suffix) {
  ByteBuffer& out = ex_->out;
  iovec iov[3] = {{const_cast<char*>(out.data()), out.size()},
                  {const_cast<std::byte*>(extra.data()), extra.size()},
                  {const_cast<char*>(suffix.data()), suffix.size()}};
  IoResult r = conn_->writev(std::span(iov, 3));
  out.clear();
  return r.err;
}

std::error_code Http1Conn::fill_input() {
  ReadBuffer& in = ex_->in;
  if (!ex_->out.empty()) {
    if (auto ec = write_out()) return ec;
  }
  in.compact_above_floor();
  if (in.space_size() == 0) return errc::bad_request;  // a chunk line longer than the body space
  IoResult r = conn_->read(as_writable(in.space(), in.space_size()));
  if (r.err) return r.err;
  in.produced(r.n);
  return {};
}

IoResult Http1Conn::read_body_bytes(std::span<std::byte> buf) {
  if (!ex_->out.empty()) {
    if (auto ec = write_out()) return {0, ec};
  }
  return conn_->read(buf);
}

std::error_code Http1Conn::send_continue() {
  if (ex_->resp.wrote_header()) return {};  // the final answer is on its way: no 100
  ex_->out.append("HTTP/1.1 100 Continue\r\n\r\n");
  return write_out();
}

Result<Hijacked> Http1Conn::hijack() {
  if (!conn_) return errc::hijacked;
  server_->untrack(this);  // first, so that close() from another thread no longer sees it
  Hijacked h;
  // r.remote_addr() points into the Conn the handler now owns and may close: copy it.
  ex_->req.set_remote_addr(ex_->req.remote_addr());
  h.buffered.assign(ex_->in.view());
  ex_->in.consume(ex_->in.size());
  conn_->set_notify(nullptr, nullptr);
  conn_->set_read_deadline({});
  conn_->set_write_deadline({});
  set_state(ConnState::Hijacked);
  h.conn = std::move(conn_);
  return h;
}

void Http1Conn::close_write_and_wait() {
  conn_->close_write();
  conn_->set_read_deadline(Clock::now() + kCloseWaitTime);
  std::byte scratch[4096];
  for (int i = 0; i < 64; ++i) {  // bounded: at most 256 KiB more of a client's upload
    if (conn_->read(scratch).err) break;
  }
}

void Http1Conn::finish_close() {
  if (ex_ && !ex_->out.empty()) write_out();
  if (linger_ && !conn_->closed()) close_write_and_wait();
  release_exchange();
  rt::Scheduler::current()->cancel(idle_timer_);
  conn_->set_notify(nullptr, nullptr);
  set_state(ConnState::Closed);
  server_->untrack(this);  // after Closed is reported: shutdown returns once all are gone
  cancel_conn_ctx_(errc::canceled);
  delete this;  // the Conn closes its socket

}

}  // namespace httpkit::detail
