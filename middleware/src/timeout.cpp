// timeout: Go's TimeoutHandler (net/http/server.go) on fibers.
#include "httpkit/middleware/timeout.hpp"

#include <memory>

#include "httpkit/event.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/status.hpp"
#include "timeout_writer.hpp"

namespace httpkit::middleware {
namespace detail {

void TimeoutWriter::write_header(int code) {
  if (timed_out() || code < 200) return;  // Go's timeoutWriter drops 1xx too
  if (committed_) {
    real_.write_header(code);
    return;
  }
  if (code_ == 0) code_ = code;
}

IoResult TimeoutWriter::write(std::span<const std::byte> data) {
  if (timed_out()) return {0, errc::handler_timeout};
  if (code_ == 0) code_ = kStatusOK;
  if (!committed_) {
    body_.append(reinterpret_cast<const char*>(data.data()), data.size());
    return {data.size(), {}};
  }
  busy_ = true;
  IoResult r = real_.write(data);
  busy_ = false;
  return r;
}

void TimeoutWriter::commit() {
  if (committed_) return;
  committed_ = true;
  busy_ = true;
  Header& h = real_.header();
  for (const auto& f : header_) h.add(f.name, f.value);
  if (code_ != 0) real_.write_header(code_);
  if (!body_.empty()) real_.write(body_);
  busy_ = false;
  body_.clear();
}

std::error_code TimeoutWriter::flush() {
  if (timed_out()) return errc::handler_timeout;
  if (code_ == 0) code_ = kStatusOK;
  commit();
  busy_ = true;
  std::error_code ec = ResponseController(real_).flush();
  busy_ = false;
  return ec;
}

Result<Hijacked> TimeoutWriter::hijack() {
  if (timed_out()) return errc::handler_timeout;
  if (code_ != 0 || !body_.empty()) commit();
  committed_ = true;
  busy_ = true;
  Result<Hijacked> r = ResponseController(real_).hijack();
  busy_ = false;
  if (r) hijacked_ = true;
  return r;
}

}  // namespace detail

namespace {

// Go's TimeoutHandler body when no message is given.
constexpr std::string_view kDefaultBody = "<html><head><title>Timeout</title></head><body><h1>Timeout</h1></body></html>";

// Watch is shared by the request's fiber and the watcher fiber; both run on one thread.
struct Watch {
  detail::TimeoutWriter* tw = nullptr;  // null once the middleware returned
  ResponseWriter* real = nullptr;
  std::string message;
  bool writing = false;  // the watcher is inside the real writer
  Event written;         // set when the watcher leaves it
};

// answer_timeout sends the 503 unless the response can no longer change. The handler
// may be parked in a body read, so full duplex keeps the server from draining the body
// under it; "Connection: close" because that body is left unread.
void answer_timeout(Watch& w) {
  w.tw->time_out();
  if (w.tw->committed() || w.tw->hijacked() || w.tw->busy()) return;
  w.writing = true;
  ResponseController rc(*w.real);
  rc.enable_full_duplex();
  Header& h = w.real->header();
  h.set("Content-Length", std::to_string(w.message.size()));
  h.set("Connection", "close");
  w.real->write_header(kStatusServiceUnavailable);
  w.real->write(w.message);
  rc.flush();
  w.writing = false;
  w.written.set();
}

void watch(const std::shared_ptr<Watch>& watch, Context ctx) {
  go([watch, ctx = std::move(ctx)] {
    ctx.wait();
    if (watch->tw && ctx.err() == errc::deadline_exceeded) answer_timeout(*watch);
  });
}

// finish runs when next returned (or threw): the held response goes out if it was in
// time; past the deadline the 503 goes out if the watcher did not send it (it had not
// run yet, or there is no watcher off the runtime's fibers); a timeout after streaming
// began leaves a truncated response: abort it.
void finish(Watch& w, detail::TimeoutWriter& tw, bool threw) {
  if (w.writing) w.written.wait();
  if (!threw && !tw.hijacked() && tw.timed_out() && !w.written.is_set()) answer_timeout(w);
  w.tw = nullptr;
  if (threw) return;
  if (!tw.timed_out()) {
    tw.commit();
  } else if (tw.committed() && !tw.hijacked() && !w.written.is_set()) {
    throw AbortHandler{};
  }
}

}  // namespace

Middleware timeout(Duration d, std::string message) {
  if (message.empty()) message = kDefaultBody;
  return [d, message = std::move(message)](Handler next) -> Handler {
    return [d, message, next = std::move(next)](ResponseWriter& w, Request& r) {
      detail::TimeoutWriter tw(w, Clock::now() + d);
      auto st = std::make_shared<Watch>();
      st->tw = &tw;
      st->real = &w;
      st->message = message;
      Context outer = r.context();
      auto [ctx, cancel] = with_timeout(outer, d);
      r.set_context(ctx);
      if (in_fiber()) watch(st, ctx);
      bool threw = true;
      try {
        next(tw, r);
        threw = false;
      } catch (...) {
        r.set_context(outer);
        cancel();
        finish(*st, tw, true);
        throw;
      }
      r.set_context(outer);
      cancel();
      finish(*st, tw, threw);
    };
  };
}

}  // namespace httpkit::middleware
