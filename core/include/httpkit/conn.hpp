// Conn: a TCP connection whose blocking calls park the calling fiber (Go's net.Conn).
#pragma once

#include <sys/uio.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "httpkit/context.hpp"
#include "httpkit/error.hpp"

namespace httpkit {

namespace rt {
struct PollDesc;
}
struct ConnectionState;


// Conn reads and writes a connected socket. On a fiber, read and write park on EAGAIN
// (the scheduler serves other fibers meanwhile) until data, the deadline or close();
// off the runtime, they block the thread (poll(2)).
//
// Threading: a Conn is registered with the scheduler of the fiber that first waits on
// it; reads, writes and deadline changes belong to fibers of that scheduler. close()
// and close_write() may be called from any thread and wake parked readers and writers.
// One fiber may read while another writes (HTTP/2 does).
//
// The I/O calls are virtual so that a TLS connection (TlsConn, core/src/tls) is a Conn
// too: the server, hijack and every handler see one type. A plain TCP Conn pays one
// indirect call and no copy (docs/decisions/0030-conn-virtual-tls.md).
class Conn {
 public:
  // Takes ownership of a connected, non-blocking socket.
  explicit Conn(int fd);
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  virtual ~Conn();

  // read returns n > 0 bytes, or an error: errc::eof when the peer finished sending,
  // errc::timeout past the read deadline, errc::closed after close().
  virtual IoResult read(std::span<std::byte> buf);
  // read_now never parks: with nothing to read it fails with
  // std::errc::operation_would_block (the server uses it to decide to go idle).
  virtual IoResult read_now(std::span<std::byte> buf);
  // drained tells that the last read emptied the socket and nothing read from it is
  // held back (TLS may keep whole records): the next byte the peer sends brings a new
  // readiness event (epoll is edge-triggered), so the server may wait for that event
  // instead of making a read that would only say EAGAIN. False before the first read.
  virtual bool drained() const noexcept { return drained_; }
  // write writes all of data unless an error (errc::timeout, errc::closed, EPIPE...)
  // stops it; n tells how much went out.
  IoResult write(std::span<const std::byte> data);
  IoResult write(std::string_view s) { return write(std::as_bytes(std::span(s.data(), s.size()))); }
  // writev writes every buffer in order with as few syscalls as possible.
  virtual IoResult writev(std::span<const iovec> bufs);

  // Deadlines are absolute; TimePoint{} (zero) clears. A deadline in the past makes
  // blocked and future calls fail with errc::timeout (Go's SetReadDeadline).
  void set_read_deadline(TimePoint t) noexcept;
  void set_write_deadline(TimePoint t) noexcept;
  void set_deadline(TimePoint t) noexcept {
    set_read_deadline(t);
    set_write_deadline(t);
  }
  TimePoint read_deadline() const noexcept { return read_deadline_; }

  // close shuts the socket down; parked calls return errc::closed. Idempotent.
  virtual std::error_code close() noexcept;
  // close_write sends FIN (half-close; TLS sends close_notify first) and keeps reading possible.
  virtual std::error_code close_write() noexcept;
  // tls returns the TLS state of a TLS connection after its handshake, else nullptr.
  virtual const ConnectionState* tls() const noexcept { return nullptr; }
  bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }

  const std::string& local_addr() const noexcept { return local_addr_; }
  const std::string& remote_addr() const noexcept { return remote_addr_; }
  int fd() const noexcept { return fd_; }

  // Hooks for the server's idle-connection handling: a registered Conn reports events
  // nobody waits for (readable while idle, hang-up while a handler runs) to notify.
  using NotifyFn = void (*)(void* owner, std::uint32_t epoll_events);
  void set_notify(NotifyFn fn, void* owner) noexcept;
  // register_poll registers with the current scheduler now (accept does this).
  void register_poll();

 protected:
  // Adopts raw's socket, poll registration and addresses (a TlsConn wrapping an
  // accepted Conn); raw is left empty and closes nothing.
  explicit Conn(std::unique_ptr<Conn> raw);
  // wait_readable/wait_writable park until the fd may be ready, close() or deadline.
  bool wait_readable(TimePoint deadline);
  bool wait_writable(TimePoint deadline);
  TimePoint write_deadline() const noexcept { return write_deadline_; }
  // Sockets calls for subclasses that frame the bytes themselves.
  IoResult raw_writev(std::span<const iovec> bufs) { return Conn::writev(bufs); }

 private:
  int fd_;
  std::unique_ptr<rt::PollDesc> pd_;
  TimePoint read_deadline_{};
  TimePoint write_deadline_{};
  std::atomic<bool> closed_{false};
  bool drained_ = false;  // the last read returned less than it asked for, or EAGAIN
  std::string local_addr_;
  std::string remote_addr_;
  std::pair<NotifyFn, void*> hook_{nullptr, nullptr};
};

// format_sockaddr renders "127.0.0.1:8080" or "[::1]:8080".
std::string format_sockaddr(const void* sockaddr, unsigned len);

}  // namespace httpkit
