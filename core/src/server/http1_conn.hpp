// Http1Conn: one HTTP/1.1 connection served by the server (Go's conn.serve).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "http/byte_buffer.hpp"
#include "http1/parser.hpp"
#include "httpkit/conn.hpp"
#include "httpkit/server.hpp"
#include "runtime/timer_heap.hpp"
#include "server/body_reader.hpp"
#include "server/read_buffer.hpp"
#include "server/response.hpp"
#include "server/server_conn.hpp"
#include "server/server_state.hpp"

namespace httpkit::detail {

struct H2Upgrade;

// Exchange is the per-request working set: buffers, the Request, the ResponseWriter.
// It is taken from a per-thread pool while a connection is busy and given back when the
// connection goes idle, so an idle keep-alive connection holds no buffers.
struct Exchange {
  ReadBuffer in;
  ByteBuffer out;
  Request req;
  bool req_clean = true;  // req was reset and has not been parsed into since
  BodyReader body;
  Response resp;
};

// Http1Conn lives from accept to close. It holds a fiber only while it has work: when
// the client has sent nothing more, the fiber ends and the connection waits in epoll;
// readable input starts a new fiber (DESIGN.md section 3). On a TLS listener its first
// fiber runs the handshake; when ALPN picks h2, or an h2c client shows up, it hands
// the socket to an Http2Conn and ends (handoff_h2.cpp).
class Http1Conn final : public ServerConn {
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
  // kClientPreface starts every HTTP/2 connection (RFC 9113 section 3.4).
  static constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

  Http1Conn(std::shared_ptr<ServerState> state, std::shared_ptr<const ServerConfig> config,
            std::unique_ptr<Conn> conn, const Context& base);
  Http1Conn(const Http1Conn&) = delete;
  Http1Conn& operator=(const Http1Conn&) = delete;

  // start begins serving on the current scheduler (the one that accepted).
  void start();
  // close_from_server closes the connection from any thread (Server::close, shutdown).
  void close_from_server() noexcept override { if (conn_) conn_->close(); }

  // For BodyReader and Response, on the connection's fiber.
  ReadBuffer& input() noexcept { return ex_->in; }
  ByteBuffer& out() noexcept { return ex_->out; }
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
  enum class HeadStatus { ok, idle, closed, h2_preface };

  static void serve_entry(void* self) { static_cast<Http1Conn*>(self)->serve(); }
  static void close_entry(void* self) { static_cast<Http1Conn*>(self)->finish_close(); }
  static void on_event_entry(void* self, std::uint32_t events) { static_cast<Http1Conn*>(self)->on_event(events); }
  static void on_idle_timer(rt::Timer* t) noexcept;

  void serve();
  HeadStatus read_head(http1::BodyFraming& framing);
  HeadStatus parse_head(const http1::Limits& limits, http1::HeadScan& scan, http1::BodyFraming& framing);
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
  // handoff_h2.cpp: TLS handshake and the switch to HTTP/2.
  bool handshake();
  bool prior_knowledge_pending() const noexcept;
  bool broken_h2_preface() const noexcept;
  bool wants_h2c_upgrade(const http1::BodyFraming& framing);
  void upgrade_h2c();
  void hand_off_h2(std::string_view initial, std::unique_ptr<H2Upgrade> upgrade);

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
  // input_pending_: an input event came while the fiber was busy (or the connection is
  // new), so the socket may hold bytes not read yet (see read_head).
  bool input_pending_ = true;
  bool handshake_done_ = false;  // TLS only
  std::string h2c_settings_;     // decoded HTTP2-Settings of an Upgrade: h2c request
};

}  // namespace httpkit::detail
