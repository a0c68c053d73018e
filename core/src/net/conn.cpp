#include "httpkit/conn.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <utility>

#include "runtime/scheduler.hpp"
#include "runtime/waiter.hpp"

namespace httpkit {
namespace {

std::error_code sys_error(int e) { return {e, std::system_category()}; }

bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }

bool passed(TimePoint deadline) { return deadline != TimePoint{} && Clock::now() >= deadline; }

TimePoint wait_limit(TimePoint deadline) { return deadline == TimePoint{} ? TimePoint::max() : deadline; }

// Blocks a plain thread until fd is ready or the deadline passes.
bool poll_thread(int fd, short events, TimePoint deadline) {
  int timeout_ms = -1;
  if (deadline != TimePoint{}) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
  }
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

// send_iov is writev(2) with MSG_NOSIGNAL: a peer that reset the connection makes it
// fail with EPIPE instead of raising SIGPIPE, whose default action ends the process.
// Signal dispositions belong to the application, so the library asks per call, as Go's
// runtime makes EPIPE on a socket an error (docs/decisions/0047-no-sigpipe.md).
ssize_t send_iov(int fd, iovec* iov, std::size_t count) {
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = count;
  return ::sendmsg(fd, &msg, MSG_NOSIGNAL);
}

void notify_trampoline(rt::PollDesc* pd, std::uint32_t events) {
  auto* conn_hook = static_cast<std::pair<Conn::NotifyFn, void*>*>(pd->owner);
  if (conn_hook->first) conn_hook->first(conn_hook->second, events);
}

}  // namespace

std::string format_sockaddr(const void* sa, unsigned len) {
  char host[INET6_ADDRSTRLEN] = {};
  const auto* base = static_cast<const sockaddr*>(sa);
  if (base->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    const auto* in = static_cast<const sockaddr_in*>(sa);
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if (base->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const auto* in6 = static_cast<const sockaddr_in6*>(sa);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(in6->sin6_port));
  }
  return "unknown";
}

Conn::Conn(int fd) : fd_(fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) == 0) local_addr_ = format_sockaddr(&ss, len);
  len = sizeof ss;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&ss), &len) == 0) remote_addr_ = format_sockaddr(&ss, len);
}

Conn::Conn(std::unique_ptr<Conn> raw)
    : fd_(std::exchange(raw->fd_, -1)),
      pd_(std::move(raw->pd_)),
      read_deadline_(raw->read_deadline_),
      write_deadline_(raw->write_deadline_),
      local_addr_(std::move(raw->local_addr_)),
      remote_addr_(std::move(raw->remote_addr_)),
      hook_(raw->hook_) {
  closed_.store(raw->closed(), std::memory_order_relaxed);
  if (pd_) pd_->owner = &hook_;  // the registration now reports to this object
}

Conn::~Conn() {
  if (fd_ < 0) return;
  if (pd_ && pd_->sched) pd_->sched->poll_remove(*pd_);
  ::close(fd_);
}

void Conn::register_poll() {
  if (pd_) return;
  auto* s = rt::Scheduler::current();
  if (!s) return;
  pd_ = std::make_unique<rt::PollDesc>();
  pd_->fd = fd_;
  pd_->owner = &hook_;
  pd_->notify = &notify_trampoline;
  s->poll_add(*pd_);
}

void Conn::set_notify(NotifyFn fn, void* owner) noexcept { hook_ = {fn, owner}; }

bool Conn::wait_readable(TimePoint deadline) {
  if (!rt::current_fiber()) return poll_thread(fd_, POLLIN, deadline);
  register_poll();
  rt::Waiter w;
  pd_->reader = &w;
  const bool woken = w.wait_until(wait_limit(deadline));
  pd_->reader = nullptr;
  return woken;
}

bool Conn::wait_writable(TimePoint deadline) {
  if (!rt::current_fiber()) return poll_thread(fd_, POLLOUT, deadline);
  register_poll();
  rt::Waiter w;
  pd_->writer = &w;
  const bool woken = w.wait_until(wait_limit(deadline));
  pd_->writer = nullptr;
  return woken;
}

IoResult Conn::read(std::span<std::byte> buf) {
  for (;;) {
    if (closed()) return {0, errc::closed};
    if (passed(read_deadline_)) return {0, errc::timeout};
    const ssize_t n = ::read(fd_, buf.data(), buf.size());
    // TCP hands over all it holds: a short read emptied the socket.
    drained_ = n > 0 && static_cast<std::size_t>(n) < buf.size();
    if (n > 0) return {static_cast<std::size_t>(n), {}};
    if (n == 0) return {0, buf.empty() ? std::error_code{} : make_error_code(errc::eof)};
    if (errno == EINTR) continue;
    if (!would_block(errno)) return {0, closed() ? make_error_code(errc::closed) : sys_error(errno)};
    // Woken by readiness, close(), a deadline change or the deadline itself: loop and
    // let the checks above tell which.
    wait_readable(read_deadline_);
  }
}

IoResult Conn::read_now(std::span<std::byte> buf) {
  for (;;) {
    if (closed()) return {0, errc::closed};
    const ssize_t n = ::read(fd_, buf.data(), buf.size());
    drained_ = n > 0 && static_cast<std::size_t>(n) < buf.size();
    if (n > 0) return {static_cast<std::size_t>(n), {}};
    if (n == 0) return {0, errc::eof};
    if (errno == EINTR) continue;
    if (would_block(errno)) {
      drained_ = true;
      return {0, std::make_error_code(std::errc::operation_would_block)};
    }
    return {0, closed() ? make_error_code(errc::closed) : sys_error(errno)};
  }
}

IoResult Conn::write(std::span<const std::byte> data) {
  iovec v{const_cast<std::byte*>(data.data()), data.size()};
  return writev(std::span(&v, 1));
}

IoResult Conn::writev(std::span<const iovec> bufs) {
  // Copy the vector so that partial writes can advance it.
  constexpr std::size_t kMaxIov = 64;
  iovec iov[kMaxIov];
  std::size_t count = std::min(bufs.size(), kMaxIov);
  std::copy_n(bufs.begin(), count, iov);
  std::size_t total = 0;
  iovec* cur = iov;
  while (count > 0) {
    if (cur->iov_len == 0) {
      ++cur, --count;
      continue;
    }
    if (closed()) return {total, errc::closed};
    if (passed(write_deadline_)) return {total, errc::timeout};
    const ssize_t n = send_iov(fd_, cur, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (!would_block(errno)) return {total, closed() ? make_error_code(errc::closed) : sys_error(errno)};
      wait_writable(write_deadline_);
      continue;
    }
    total += static_cast<std::size_t>(n);
    for (std::size_t left = static_cast<std::size_t>(n); left > 0 && count > 0;) {
      const std::size_t step = std::min(left, cur->iov_len);
      cur->iov_base = static_cast<char*>(cur->iov_base) + step;
      cur->iov_len -= step;
      left -= step;
      if (cur->iov_len == 0) ++cur, --count;
    }
  }
  if (bufs.size() > kMaxIov) {
    IoResult rest = writev(bufs.subspan(kMaxIov));
    return {total + rest.n, rest.err};
  }
  return {total, {}};
}

void Conn::set_read_deadline(TimePoint t) noexcept {
  read_deadline_ = t;
  if (pd_ && pd_->reader) pd_->reader->notify();  // re-evaluate a parked read
}

void Conn::set_write_deadline(TimePoint t) noexcept {
  write_deadline_ = t;
  if (pd_ && pd_->writer) pd_->writer->notify();
}

std::error_code Conn::close() noexcept {
  if (closed_.exchange(true, std::memory_order_acq_rel)) return {};
  // shutdown, not close: the fd stays valid (no reuse races with parked calls) and the
  // hang-up wakes every fiber parked on it through epoll, from any thread.
  ::shutdown(fd_, SHUT_RDWR);
  return {};
}

std::error_code Conn::close_write() noexcept {
  if (::shutdown(fd_, SHUT_WR) != 0) return sys_error(errno);
  return {};
}

}  // namespace httpkit
