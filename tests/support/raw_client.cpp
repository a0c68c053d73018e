#include "support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <strings.h>

namespace httpkit::testing {

std::optional<std::string> ParsedResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return std::nullopt;
}

RawClient::RawClient(int port, std::chrono::milliseconds timeout) : timeout_(timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    throw std::runtime_error("RawClient: connect failed: " + std::to_string(errno));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::~RawClient() { close(); }

void RawClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("RawClient: send failed: " + std::to_string(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void RawClient::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

bool RawClient::fill() {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) throw std::runtime_error("RawClient: read timed out");
  char tmp[16384];
  ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
  if (n <= 0) return false;
  buf_.append(tmp, static_cast<std::size_t>(n));
  return true;
}

std::string RawClient::read_line() {
  for (;;) {
    if (auto pos = buf_.find("\r\n"); pos != std::string::npos) {
      std::string line = buf_.substr(0, pos);
      buf_.erase(0, pos + 2);
      return line;
    }
    if (!fill()) throw std::runtime_error("RawClient: connection closed before a full line: " + buf_);
  }
}

std::string RawClient::read_exact(std::size_t n) {
  while (buf_.size() < n) {
    if (!fill()) throw std::runtime_error("RawClient: connection closed inside a body");
  }
  std::string out = buf_.substr(0, n);
  buf_.erase(0, n);
  return out;
}

ParsedResponse RawClient::read_response(bool head_only) {
  ParsedResponse r;
  r.status_line = read_line();
  if (r.status_line.size() < 12) throw std::runtime_error("RawClient: bad status line: " + r.status_line);
  r.status = std::atoi(r.status_line.c_str() + 9);
  for (std::string line = read_line(); !line.empty(); line = read_line()) {
    auto colon = line.find(':');
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers.emplace_back(line.substr(0, colon), value);
  }
  if (head_only || r.status < 200 || r.status == 204 || r.status == 304) return r;
  if (auto te = r.header("Transfer-Encoding"); te && *te == "chunked") {
    r.chunked = true;
    for (;;) {
      const std::size_t size = std::stoul(read_line(), nullptr, 16);
      if (size == 0) break;
      r.body += read_exact(size);
      read_exact(2);
    }
    for (std::string line = read_line(); !line.empty(); line = read_line()) {
      auto colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.trailers.emplace_back(line.substr(0, colon), value);
    }
  } else if (auto cl = r.header("Content-Length")) {
    r.body = read_exact(std::stoul(*cl));
  } else {
    while (fill()) {}
    r.body = std::move(buf_);
    buf_.clear();
  }
  return r;
}

const std::string& RawClient::wait_for(std::string_view needle) {
  while (buf_.find(needle) == std::string::npos) {
    if (!fill()) throw std::runtime_error("RawClient: closed before \"" + std::string(needle) + "\"");
  }
  return buf_;
}

std::string RawClient::read_all() {
  try {
    while (fill()) {}
  } catch (const std::runtime_error&) {
  }
  std::string out = std::move(buf_);
  buf_.clear();
  return out;
}

bool RawClient::closed_by_peer() {
  try {
    while (fill()) buf_.clear();
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

ParsedResponse http_get(int port, std::string_view target) {
  RawClient c(port);
  c.send("GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  return c.read_response();
}

}  // namespace httpkit::testing
