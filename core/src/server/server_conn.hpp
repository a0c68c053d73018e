// ServerConn: what the Server tracks of every connection, HTTP/1.1 or HTTP/2.
#pragma once

#include <atomic>

#include "httpkit/server.hpp"

namespace httpkit::detail {

// ServerConn is the Server's view of one connection for shutdown, close and ConnState
// (Go's http.conn as Server.activeConn holds it). Its state is reported by the
// connection's own fiber; the Server reads it from other threads.
class ServerConn {
 public:
  ServerConn() = default;
  ServerConn(const ServerConn&) = delete;
  ServerConn& operator=(const ServerConn&) = delete;
  virtual ~ServerConn() = default;

  ConnState state() const noexcept { return state_.load(std::memory_order_acquire); }
  // new_since is when the connection was accepted: shutdown leaves a New connection
  // alone for a grace period (Go reads the same time from its packed state). Only New
  // needs a time, so other transitions, several per request, read no clock.
  TimePoint new_since() const noexcept { return TimePoint(Duration(new_since_.load(std::memory_order_acquire))); }

  // close_from_server closes at once from any thread (Server::close). Called with the
  // ServerState lock held, so the connection cannot go away meanwhile.
  virtual void close_from_server() noexcept = 0;
  // close_idle_from_server is shutdown's request to an idle (or silent new)
  // connection; any thread, lock held. HTTP/1 closes; HTTP/2 sends GOAWAY first.
  virtual void close_idle_from_server() noexcept { close_from_server(); }
  // begin_shutdown tells a connection that the server is shutting down; any thread,
  // lock held. HTTP/2 sends GOAWAY so that no new stream starts (Go's
  // startGracefulShutdown); HTTP/1 notices between requests by itself.
  virtual void begin_shutdown() noexcept {}

 protected:
  void store_state(ConnState s) noexcept {
    if (s == ConnState::New) new_since_.store(Clock::now().time_since_epoch().count(), std::memory_order_release);
    state_.store(s, std::memory_order_release);
  }

 private:
  std::atomic<ConnState> state_{ConnState::New};
  std::atomic<Duration::rep> new_since_{0};
};

}  // namespace httpkit::detail
