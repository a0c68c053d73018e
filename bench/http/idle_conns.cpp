// Opens N keep-alive connections to a server, sends one request on each, reads the
// response, then holds every socket open so the caller can read the server's RSS.
// Prints "ready OPEN FAILED" once every connection is answered (or the deadline
// passes), then sleeps until SIGTERM/SIGINT or --hold seconds.
//
// Usage: idle_conns --addr 127.0.0.1:PORT [--conns 10000] [--path /plaintext]
//                   [--sources 8] [--timeout 60] [--hold 300]
// Source addresses rotate over 127.0.0.2.. so one run never exhausts ephemeral ports,
// even with TIME_WAIT sockets left by earlier runs.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  int conns = 10000;
  std::string path = "/plaintext";
  int sources = 8;
  int timeout_s = 60;
  int hold_s = 300;
};

enum class State { kConnecting, kReading, kDone, kFailed };

struct Conn {
  int fd = -1;
  State state = State::kConnecting;
  std::string in;
};

volatile sig_atomic_t g_stop = 0;

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--addr") {
      auto c = v.rfind(':');
      o.host = v.substr(0, c);
      o.port = std::atoi(v.c_str() + c + 1);
    } else if (k == "--conns") {
      o.conns = std::atoi(v.c_str());
    } else if (k == "--path") {
      o.path = v;
    } else if (k == "--sources") {
      o.sources = std::atoi(v.c_str());
    } else if (k == "--timeout") {
      o.timeout_s = std::atoi(v.c_str());
    } else if (k == "--hold") {
      o.hold_s = std::atoi(v.c_str());
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  return o;
}

// Each connection needs one descriptor; as root the hard limit can be raised too.
void raise_nofile(int want) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rlim_t need = static_cast<rlim_t>(want) + 64;
  if (rl.rlim_max < need) {
    rlimit hard{need, need};
    if (setrlimit(RLIMIT_NOFILE, &hard) == 0) return;
  }
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
}

int start_connect(const Options& o, int index, int ep) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  src.sin_addr.s_addr = htonl(0x7f000002u + static_cast<uint32_t>(index % o.sources));
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) < 0) {
    close(fd);
    return -1;
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(static_cast<uint16_t>(o.port));
  inet_pton(AF_INET, o.host.c_str(), &dst.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) < 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  epoll_event e{};
  e.events = EPOLLOUT;
  e.data.u32 = static_cast<uint32_t>(index);
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
  return fd;
}

// True once the head and Content-Length bytes of body have arrived.
bool response_complete(const std::string& in) {
  auto end = in.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  size_t body = 0;
  std::string head = in.substr(0, end);
  for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto cl = head.find("\r\ncontent-length:");
  if (cl != std::string::npos) body = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
  return in.size() >= end + 4 + body;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, [](int) { g_stop = 1; });
  signal(SIGINT, [](int) { g_stop = 1; });
  raise_nofile(o.conns);

  const std::string request = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host + "\r\n\r\n";
  std::vector<Conn> conns(static_cast<size_t>(o.conns));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  // Bounded in-flight handshakes, so a server's listen backlog never overflows and
  // drops SYNs (which would turn into one-second retransmit stalls, not memory).
  constexpr int kInFlight = 256;
  int next = 0, active = 0, done = 0, failed = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.timeout_s);
  std::vector<epoll_event> events(512);
  char buf[4096];

  while (done + failed < o.conns && !g_stop && std::chrono::steady_clock::now() < deadline) {
    while (active < kInFlight && next < o.conns) {
      Conn& c = conns[static_cast<size_t>(next)];
      c.fd = start_connect(o, next, ep);
      ++next;
      if (c.fd < 0) {
        c.state = State::kFailed;
        ++failed;
      } else {
        ++active;
      }
    }
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      Conn& c = conns[events[i].data.u32];
      bool ok = true;
      if (c.state == State::kConnecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        ok = err == 0 && write(c.fd, request.data(), request.size()) == static_cast<ssize_t>(request.size());
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u32 = events[i].data.u32;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &e);
        c.state = State::kReading;
      } else {
        ssize_t r = read(c.fd, buf, sizeof buf);
        if (r > 0) {
          c.in.append(buf, static_cast<size_t>(r));
          if (response_complete(c.in)) {
            epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);  // Idle from here on: just hold it.
            c.state = State::kDone;
            std::string().swap(c.in);
            ++done;
            --active;
          }
        } else if (r == 0 || errno != EAGAIN) {
          ok = false;
        }
      }
      if (!ok) {
        close(c.fd);
        c.state = State::kFailed;
        ++failed;
        --active;
      }
    }
  }
  std::printf("ready %d %d\n", done, o.conns - done);
  std::fflush(stdout);
  auto hold_until = std::chrono::steady_clock::now() + std::chrono::seconds(o.hold_s);
  while (!g_stop && std::chrono::steady_clock::now() < hold_until) usleep(100 * 1000);
  return done == o.conns ? 0 : 1;
}
