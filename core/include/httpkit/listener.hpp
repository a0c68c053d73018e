// Listener: a listening TCP socket whose accept parks the calling fiber (net.Listener).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpkit/conn.hpp"
#include "httpkit/error.hpp"

namespace httpkit {

namespace detail {
struct ListenerState;
}

// Listener accepts connections. Several fibers, on different schedulers, may accept on
// one Listener at once: each scheduler watches the socket with EPOLLEXCLUSIVE, so a new
// connection wakes one of them and lands on that scheduler. Thread-safe; move-only.
class Listener {
 public:
  // listen binds addr in Go's syntax: ":8080" (all interfaces, IPv6 and IPv4),
  // "127.0.0.1:0" (any free port), "[::1]:8443", "localhost:8080".
  static Result<Listener> listen(std::string_view addr);
  // from_fd adopts an already listening socket (inherited, socket activation).
  static Result<Listener> from_fd(int fd);
  // from_systemd adopts the sockets passed by systemd-style socket activation
  // (LISTEN_PID == getpid(), LISTEN_FDS = n, fds 3..3+n-1) and unsets those variables
  // so children do not adopt them again. Empty when none were passed.
  static std::vector<Listener> from_systemd();

  Listener(Listener&&) noexcept;
  Listener& operator=(Listener&&) noexcept;
  ~Listener();

  // accept waits for the next connection. Out of file descriptors (EMFILE, ENFILE,
  // ENOBUFS, ENOMEM), it sleeps 5 ms, doubling to 1 s, and retries as Go's Serve does
  // rather than spinning. After close() it returns errc::closed.
  Result<std::unique_ptr<Conn>> accept();
  // close stops accept calls (they return errc::closed). The socket itself is closed
  // when the Listener is destroyed, so a socket shared with another process (a dev
  // loop handing it over) is never shut down for that process.
  void close() noexcept;
  bool closed() const noexcept;

  // addr is the bound address, with the real port when 0 was asked ("127.0.0.1:41234").
  const std::string& addr() const noexcept;
  int port() const noexcept;
  int fd() const noexcept;

 private:
  explicit Listener(std::shared_ptr<detail::ListenerState> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::ListenerState> state_;
};

}  // namespace httpkit
