// The ceiling: a raw single-thread epoll server that answers every complete request
// with a canned 200 response. It parses nothing but the "\r\n\r\n" that ends each
// request head, so it bounds what any real HTTP/1.1 server can do on one core.
//
// Usage: ceiling --addr 127.0.0.1:PORT
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view kHead1 = "HTTP/1.1 200 OK\r\nServer: ceiling\r\nDate: ";
constexpr std::string_view kHead2 = "\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

// The canned response, rebuilt when the second changes so the Date header stays right.
struct Canned {
  std::time_t stamp = 0;
  std::string bytes;

  void refresh() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    if (ts.tv_sec == stamp) return;
    stamp = ts.tv_sec;
    std::tm tm{};
    gmtime_r(&stamp, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    bytes.assign(kHead1);
    bytes.append(date);
    bytes.append(kHead2);
  }
};

// Per-connection state is kept tiny so the idle-connection figure is a floor too:
// how far into "\r\n\r\n" the previous read ended, and output the kernel refused.
struct Conn {
  int matched = 0;
  std::string pending;
};

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

// Counts request ends in data, carrying a partial "\r\n\r\n" across reads.
int count_requests(const char* data, size_t n, int& matched) {
  static constexpr char kEnd[] = "\r\n\r\n";
  int found = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = data[i];
    if (c == kEnd[matched]) {
      if (++matched == 4) {
        ++found;
        matched = 0;
      }
    } else {
      matched = (c == '\r') ? 1 : 0;
    }
  }
  return found;
}

int listen_on(const std::string& addr) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos) die("--addr wants HOST:PORT");
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(std::atoi(addr.c_str() + colon + 1)));
  if (inet_pton(AF_INET, addr.substr(0, colon).c_str(), &sa.sin_addr) != 1) die("inet_pton");
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) die("bind");
  if (listen(fd, 4096) < 0) die("listen");
  return fd;
}

void raise_nofile() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

class Server {
 public:
  explicit Server(int lfd) : lfd_(lfd) {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) die("epoll_create1");
    add(lfd_, EPOLLIN);
  }

  [[noreturn]] void run() {
    std::vector<epoll_event> events(1024);
    for (;;) {
      int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), -1);
      if (n < 0) {
        if (errno == EINTR) continue;
        die("epoll_wait");
      }
      canned_.refresh();
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == lfd_) {
          accept_all();
        } else if (events[i].events & EPOLLOUT) {
          flush(fd);
        } else {
          on_readable(fd);
        }
      }
    }
  }

 private:
  void add(int fd, uint32_t ev) {
    epoll_event e{};
    e.events = ev;
    e.data.fd = fd;
    if (epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &e) < 0) die("epoll_ctl add");
  }

  void modify(int fd, uint32_t ev) {
    epoll_event e{};
    e.events = ev;
    e.data.fd = fd;
    epoll_ctl(ep_, EPOLL_CTL_MOD, fd, &e);
  }

  void accept_all() {
    for (;;) {
      int fd = accept4(lfd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or EMFILE: try again on the next wakeup.
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (static_cast<size_t>(fd) >= conns_.size()) conns_.resize(static_cast<size_t>(fd) * 2 + 1);
      conns_[static_cast<size_t>(fd)] = Conn{};
      add(fd, EPOLLIN);
    }
  }

  void close_conn(int fd) {
    conns_[static_cast<size_t>(fd)] = Conn{};
    close(fd);  // Also removes it from the epoll set.
  }

  void on_readable(int fd) {
    Conn& c = conns_[static_cast<size_t>(fd)];
    for (;;) {
      ssize_t r = read(fd, buf_, sizeof buf_);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) return close_conn(fd);
      if (r < 0) break;
      int reqs = count_requests(buf_, static_cast<size_t>(r), c.matched);
      out_.clear();
      for (int i = 0; i < reqs; ++i) out_.append(canned_.bytes);
      if (!c.pending.empty()) {
        c.pending.append(out_);  // Keep responses in order behind what is queued.
      } else if (!out_.empty() && !send_now(fd, c, out_)) {
        return;
      }
      if (static_cast<size_t>(r) < sizeof buf_) break;
    }
  }

  // Writes data; queues the rest and waits for EPOLLOUT if the socket is full.
  bool send_now(int fd, Conn& c, std::string_view data) {
    while (!data.empty()) {
      ssize_t w = write(fd, data.data(), data.size());
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EAGAIN) {
        c.pending.assign(data);
        modify(fd, EPOLLIN | EPOLLOUT);
        return true;
      }
      if (w < 0) {
        close_conn(fd);
        return false;
      }
      data.remove_prefix(static_cast<size_t>(w));
    }
    return true;
  }

  void flush(int fd) {
    Conn& c = conns_[static_cast<size_t>(fd)];
    std::string data;
    data.swap(c.pending);
    if (!send_now(fd, c, data)) return;
    if (c.pending.empty()) modify(fd, EPOLLIN);
  }

  int lfd_;
  int ep_;
  Canned canned_;
  std::vector<Conn> conns_;
  std::string out_;
  char buf_[65536];
};

}  // namespace

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:8080";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string_view(argv[i]) == "--addr") addr = argv[i + 1];
  }
  signal(SIGPIPE, SIG_IGN);
  raise_nofile();
  static Server server(listen_on(addr));
  server.run();
}
