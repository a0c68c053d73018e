// Http1Conn: one HTTP/1.1 connection served by the server (Go's conn.serve).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "http1/parser.hpp"
#include "httpkit/conn.hpp"
#include "httpkit/server.hpp"
#include "runtime/timer_heap.hpp"
#include "server/body_reader.hpp"
#include "server/read_buffer.hpp"
#include "server/response.hpp"
#include "server/server_state.hpp"

namespace httpkit::detail {

// Exchange is the per-request working set: buffers, the Request, the ResponseWriter.
// It is taken from a per-thread pool while a connection is busy and given back when the
// connection goes idle, so an idle keep-alive connection holds no buffers.
struct Exchange {
  ReadBuffer in;
  std::string out;
  Request req;
  BodyReader body;
  Response resp;
};

// Http1Conn lives from accept to close. It holds a fiber only while it has work: when
// the client has sent nothing more, the fiber ends and the connection waits in epoll;
// readable input starts a new fiber (DESIGN.md section 3).
class Http1Conn {
 public:
  // kOutputFlushBytes: buffered output is written once it reaches this size.
  static constexpr std::size_t kOutputFlushBytes = 16 << 10;
  // kCloseWaitTime: after a half-close, how long to wait for the client to read the
  // response before closing, so unread input does not turn the close into a reset
  // that destroys the response (Go's rstAvoidanceDelay, 500 ms).
  static constexpr auto kCloseWaitTime = std::chrono::milliseconds(500);
  // kNewConnGrace: shutdown closes a connection that has not sent a request for this
  // long as if it were idle (Go's Shutdown: StateNew older than 5 s).
  static constexpr auto kNewConnGrace = std::chrono::seconds(5);

  Http1Conn(std::shared_ptr<ServerState> state, std::shared_ptr<const ServerConfig> config,
            std::unique_ptr<Conn> conn, const Context& base);
  Http1Conn(const Http1Conn&) = delete;
  Http1Conn& operator=(const Http1Conn&) = delete;

  // start begins serving on the current scheduler (the one that accepted).
  void start();
  // close_from_server closes the connection from any thread (Server::close, shutdown).
  void close_from_server() noexcept { if (conn_) conn_->close(); }
  ConnState state() const noexcept { return state_.load(std::memory_order_acquire); }
  TimePoint state_since() const noexcept { return TimePoint(Duration(state_since_.load(std::memory_order_acquire))); }

  // For BodyReader and Response, on the connection's fiber.
  ReadBuffer& input() noexcept { return ex_->in; }
  std::string& out() noexcept { return ex_->out; }
  Conn& net() noexcept { return *conn_; }
  std::error_code fill_input();
  IoResult read_body_bytes(std::span<std::byte> buf);
  std::error_code send_continue();
  std::error_code write_out(std::span<const std::byte> extra = {}, std::string_view suffix = {});
  Result<Hijacked> hijack();
  bool closing_after_request() const noexcept;
  void log(std::string_view message) const { config_->log(message); }

 private:
  enum class Phase { reading, handler, idle, closing };
  enum class HeadStatus { ok, idle, closed };

  static void serve_entry(void* self) { static_cast<Http1Conn*>(self)->serve(); }
  static void close_entry(void* self) { static_cast<Http1Conn*>(self)->finish_close(); }
  static void on_event_entry(void* self, std::uint32_t events) { static_cast<Http1Conn*>(self)->on_event(events); }
  static void on_idle_timer(rt::Timer* t) noexcept;

  void serve();
  HeadStatus read_head(http1::BodyFraming& framing);
  bool serve_request(const http1::BodyFraming& framing);
  bool run_handler();
  void send_error(int status, std::string_view message);
  void go_idle();
  void on_event(std::uint32_t events);
  void set_state(ConnState s);
  void close_write_and_wait();
  void finish_close();
  void acquire_exchange();
  void release_exchange() noexcept;

  std::shared_ptr<ServerState> server_;
  std::shared_ptr<const ServerConfig> config_;
  std::unique_ptr<Conn> conn_;
  Context conn_ctx_;
  CancelFunc cancel_conn_ctx_;
  Context request_ctx_;         // the running request's context, renewed for the next
  CancelFunc cancel_request_;
  Exchange* ex_ = nullptr;      // while busy
  rt::Timer idle_timer_;
  TimePoint head_deadline_{};   // for the first request: counted from accept (Go)
  Phase phase_ = Phase::reading;
  bool served_any_ = false;
  bool linger_ = false;          // close with close_write_and_wait
  std::atomic<ConnState> state_{ConnState::New};
  std::atomic<Duration::rep> state_since_{0};
};

}  // namespace httpkit::detail
