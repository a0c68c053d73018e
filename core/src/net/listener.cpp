#include "httpkit/listener.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <mutex>

#include <spdlog/spdlog.h>

#include "httpkit/runtime.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/waiter.hpp"

namespace httpkit {
namespace detail {

// ListenerState is shared by every fiber accepting on the listener.
struct ListenerState {
  int fd = -1;
  std::string addr;
  int port = 0;
  std::atomic<bool> closed{false};
  // owned: this process created the socket. Only then do the schedulers register it
  // with EPOLLEXCLUSIVE: an inherited socket (LISTEN_FDS) may be shared with another
  // process, and an exclusive wake-up that lands in a process that is stopping (the
  // old one during a dev-loop hand-over) would leave the connection unaccepted.
  bool owned = false;
  std::mutex mu;  // guards pds and waiters
  // One registration per scheduler and the fibers parked in accept.
  std::vector<std::unique_ptr<rt::PollDesc>> pds;
  std::vector<rt::Waiter*> waiters;

  // The destructor may run on any thread, while a scheduler is handling an event for
  // one of the registrations: each is removed and freed on its own scheduler
  // (poll_remove is scheduler-thread only), after the event batch in hand; the socket
  // closes once the last one is gone.
  ~ListenerState() {
    auto socket = std::make_shared<FdCloser>(fd);
    for (auto& pd : pds) {
      if (!pd) continue;
      rt::Scheduler* s = pd->sched;
      s->post([s, pd = std::shared_ptr<rt::PollDesc>(std::move(pd)), socket] { s->poll_remove(*pd); });
    }
  }

  struct FdCloser {
    int fd;
    explicit FdCloser(int f) : fd(f) {}
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    ~FdCloser() {
      if (fd >= 0) ::close(fd);
    }
  };
};

}  // namespace detail

namespace {

constexpr int kListenBacklog = 4096;  // the kernel caps it at net.core.somaxconn
constexpr auto kMinAcceptBackoff = std::chrono::milliseconds(5);  // Go's Serve: 5 ms doubling to 1 s
constexpr auto kMaxAcceptBackoff = std::chrono::seconds(1);

std::error_code last_error() { return {errno, std::system_category()}; }

// split_host_port splits Go's "host:port" ("[::1]:80", ":8080").
bool split_host_port(std::string_view addr, std::string& host, std::string& port) {
  const auto colon = addr.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view h = addr.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  host.assign(h);
  port.assign(addr.substr(colon + 1));
  return !port.empty();
}

Result<int> bind_socket(const sockaddr* sa, socklen_t len, bool dual_stack) {
  int fd = ::socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return last_error();
  int one = 1, zero = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (sa->sa_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, dual_stack ? &zero : &one, sizeof one);
  if (::bind(fd, sa, len) != 0 || ::listen(fd, kListenBacklog) != 0) {
    auto err = last_error();
    ::close(fd);
    return err;
  }
  return fd;
}

// resolve_and_bind binds the first address of host that works; "" means every interface.
Result<int> resolve_and_bind(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  hints.ai_family = host.empty() ? AF_INET6 : AF_UNSPEC;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    if (host.empty()) return resolve_and_bind("0.0.0.0", port);  // no IPv6 on this host
    return std::make_error_code(std::errc::address_not_available);
  }
  Result<int> out = std::make_error_code(std::errc::address_not_available);
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    out = bind_socket(ai->ai_addr, ai->ai_addrlen, host.empty());
    if (out) break;
  }
  ::freeaddrinfo(res);
  if (!out && host.empty()) return resolve_and_bind("0.0.0.0", port);
  return out;
}

bool out_of_descriptors(int e) { return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM; }

void tune_accepted(int fd) {
  int one = 1;
  // Go enables both by default: small responses must not wait for Nagle, and dead
  // peers must eventually be noticed.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}

}  // namespace

Result<Listener> Listener::listen(std::string_view addr) {
  std::string host, port;
  if (!split_host_port(addr, host, port)) return std::make_error_code(std::errc::invalid_argument);
  auto fd = resolve_and_bind(host, port);
  if (!fd) return fd.error();
  auto l = from_fd(*fd);
  if (l) l->state_->owned = true;
  return l;
}

Result<Listener> Listener::from_fd(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return last_error();
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  auto state = std::make_shared<detail::ListenerState>();
  state->fd = fd;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return last_error();
  state->addr = format_sockaddr(&ss, len);
  state->port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return Listener(std::move(state));
}

std::vector<Listener> Listener::from_systemd() {
  std::vector<Listener> out;
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (!pid || !fds || std::atoi(pid) != static_cast<int>(::getpid())) return out;
  const int n = std::atoi(fds);
  constexpr int kListenFdsStart = 3;  // sd_listen_fds(3)
  for (int fd = kListenFdsStart; fd < kListenFdsStart + n; ++fd) {
    if (auto l = from_fd(fd)) out.push_back(std::move(*l));
  }
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  return out;
}

Listener::Listener(Listener&&) noexcept = default;
Listener& Listener::operator=(Listener&&) noexcept = default;
Listener::~Listener() = default;

namespace {

// closed_on_this_scheduler drops the calling scheduler's registration once the listener
// is closed. It runs on that scheduler's own thread, between epoll batches, so no event
// already fetched can point at the freed PollDesc (freeing it from the thread that
// destroys the Listener could race that scheduler's epoll_wait).
Result<std::unique_ptr<Conn>> closed_on_this_scheduler(detail::ListenerState& s) {
  if (rt::Scheduler* sched = rt::Scheduler::current()) {
    std::lock_guard lock(s.mu);
    const auto i = static_cast<std::size_t>(sched->index());
    if (i < s.pds.size() && s.pds[i]) {
      sched->poll_remove(*s.pds[i]);
      s.pds[i].reset();
    }
  }
  return errc::closed;
}

// wait_acceptable parks until the socket may have a connection; false once closed.
// One registration per scheduler; close() wakes every parked accept.
bool wait_acceptable(detail::ListenerState& s, rt::Scheduler& sched) {
  rt::Waiter w;
  const auto i = static_cast<std::size_t>(sched.index());
  {
    std::lock_guard lock(s.mu);
    if (s.closed.load()) return false;
    if (s.pds.size() <= i) s.pds.resize(i + 1);
    if (!s.pds[i]) {
      s.pds[i] = std::make_unique<rt::PollDesc>();
      s.pds[i]->fd = s.fd;
      sched.poll_add(*s.pds[i], /*exclusive=*/s.owned);
    }
    s.pds[i]->reader = &w;
    s.waiters.push_back(&w);
  }
  w.wait_until();
  std::lock_guard lock(s.mu);
  s.pds[i]->reader = nullptr;
  std::erase(s.waiters, &w);
  return !s.closed.load();
}

}  // namespace

Result<std::unique_ptr<Conn>> Listener::accept() {
  auto& s = *state_;
  auto backoff = kMinAcceptBackoff;
  for (;;) {
    if (s.closed.load()) return closed_on_this_scheduler(s);
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const int fd = ::accept4(s.fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      tune_accepted(fd);
      auto conn = std::make_unique<Conn>(fd);
      conn->register_poll();
      return conn;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (out_of_descriptors(errno)) {
      spdlog::error("httpkit: accept on {}: {}; retrying in {} ms", s.addr, last_error().message(), backoff.count());
      sleep_for(backoff);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxAcceptBackoff);
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) return last_error();
    backoff = kMinAcceptBackoff;
    rt::Scheduler* sched = rt::Scheduler::current();
    if (!sched) {
      ::usleep(1000);  // a plain thread: poll gently (tests and tools only)
      continue;
    }
    if (!wait_acceptable(s, *sched)) return closed_on_this_scheduler(s);
  }
}

void Listener::close() noexcept {
  if (!state_) return;
  std::lock_guard lock(state_->mu);
  state_->closed.store(true);
  for (rt::Waiter* w : state_->waiters) w->notify();
}

bool Listener::closed() const noexcept { return !state_ || state_->closed.load(); }
const std::string& Listener::addr() const noexcept { return state_->addr; }
int Listener::port() const noexcept { return state_->port; }
int Listener::fd() const noexcept { return state_->fd; }

}  // namespace httpkit
