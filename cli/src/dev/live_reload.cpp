#include "dev/live_reload.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace httpkit::cli {
namespace {

// A request head larger than this is not a browser's EventSource: drop the client.
constexpr std::size_t kMaxRequestHead = 8 * 1024;
// EventSource's reconnect delay: short, so a page finds a restarted `httpkit dev` soon.
constexpr int kRetryMs = 500;

int listen_loopback_any_port(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::runtime_error(std::string("live reload: socket: ") + std::strerror(errno));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("live reload: cannot listen on 127.0.0.1: " + reason);
  }
  port = ntohs(sa.sin_port);
  return fd;
}

}  // namespace

std::string sse_event(std::string_view event, std::string_view data) {
  std::string out = "event: " + std::string(event) + "\n";
  for (;;) {
    const auto nl = data.find('\n');
    out += "data: ";
    out += data.substr(0, nl);
    out += '\n';
    if (nl == std::string_view::npos) break;
    data.remove_prefix(nl + 1);
  }
  return out + "\n";
}

LiveReload::LiveReload() {
  int port = 0;
  listen_fd_ = listen_loopback_any_port(port);
  url_ = "http://127.0.0.1:" + std::to_string(port) + std::string(kPath);
}

LiveReload::~LiveReload() {
  for (auto& c : clients_) ::close(c.fd);
  ::close(listen_fd_);
}

void LiveReload::add_poll_fds(std::vector<pollfd>& fds) const {
  fds.push_back({listen_fd_, POLLIN, 0});
  for (const auto& c : clients_) fds.push_back({c.fd, POLLIN, 0});
}

void LiveReload::handle_poll(const std::vector<pollfd>& fds, std::size_t first) {
  // Clients first: fds[first + 1 + i] is clients_[i] as add_poll_fds listed them.
  for (std::size_t i = 0; i < clients_.size() && first + 1 + i < fds.size(); ++i) {
    if (fds[first + 1 + i].revents == 0) continue;
    if (!read_request(clients_[i])) {
      ::close(clients_[i].fd);
      clients_[i].fd = -1;
    }
  }
  std::erase_if(clients_, [](const Client& c) { return c.fd < 0; });
  if (fds[first].revents & POLLIN) accept_clients();
}

void LiveReload::accept_clients() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;  // EAGAIN: all taken
    clients_.push_back(Client{fd});
  }
}

// read_request reads the request head and answers it once complete. A streaming
// client only ever sends EOF (it left) or nothing; either way the server never reads
// a body. Returns false when the connection should be closed.
bool LiveReload::read_request(Client& c) {
  char buf[1024];
  const ssize_t n = ::read(c.fd, buf, sizeof buf);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return false;
  if (n < 0 || c.streaming) return true;
  c.request.append(buf, static_cast<std::size_t>(n));
  if (c.request.find("\r\n\r\n") == std::string::npos) return c.request.size() <= kMaxRequestHead;

  const std::string_view line(c.request.data(), c.request.find("\r\n"));
  const bool ours = line.starts_with("GET " + std::string(kPath) + " ") ||
                    line.starts_with("GET " + std::string(kPath) + "?");
  if (!ours) {
    send_all(c.fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return false;
  }
  // The page comes from the app's origin, this stream from another port: CORS.
  // The body ends when the connection does (RFC 9112 section 6.3, rule 8).
  std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n"
      "retry: " + std::to_string(kRetryMs) + "\n\n";
  if (!last_error_.empty()) head += sse_event("build-error", last_error_);
  c.streaming = true;
  c.request.clear();
  return send_all(c.fd, head);
}

// send_all writes bytes to a non-blocking socket. Events are small and a page reads
// them at once; a client whose buffer is full is dropped rather than waited for, so
// one stuck tab never stalls the dev loop.
bool LiveReload::send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void LiveReload::broadcast(std::string_view event, std::string_view data) {
  const std::string bytes = sse_event(event, data);
  for (auto& c : clients_) {
    if (c.streaming && !send_all(c.fd, bytes)) {
      ::close(c.fd);
      c.fd = -1;
    }
  }
  std::erase_if(clients_, [](const Client& c) { return c.fd < 0; });
}

void LiveReload::building(std::string_view what) { broadcast("building", what); }

void LiveReload::reload() {
  last_error_.clear();
  broadcast("reload", "ready");
}

void LiveReload::build_error(std::string_view message) {
  last_error_ = message.empty() ? std::string("the build failed") : std::string(message);
  broadcast("build-error", last_error_);
}

}  // namespace httpkit::cli
