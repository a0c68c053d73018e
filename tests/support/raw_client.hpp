// RawClient: a blocking TCP client for tests that speaks HTTP/1.1 byte by byte, so
// tests can send malformed, pipelined or dribbled requests and read exact responses.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace httpkit::testing {

// ParsedResponse is one response as it came over the wire.
struct ParsedResponse {
  std::string status_line;
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as sent
  std::string body;
  std::vector<std::pair<std::string, std::string>> trailers;
  bool chunked = false;

  // header returns the first value of name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

class RawClient {
 public:
  explicit RawClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient();

  void send(std::string_view bytes);
  // read_response parses one response; head_only for responses to HEAD (no body).
  // Throws std::runtime_error on a timeout or if the server closed before a response.
  ParsedResponse read_response(bool head_only = false);
  // wait_for reads until the received bytes contain needle; returns them (unconsumed).
  const std::string& wait_for(std::string_view needle);
  // read_all reads until the server closes (or the timeout) and returns every byte.
  std::string read_all();
  // closed_by_peer waits up to the timeout for EOF (or a reset) from the server.
  bool closed_by_peer();
  void shutdown_write();
  void close();
  int fd() const noexcept { return fd_; }

 private:
  bool fill();  // reads more into buf_; false on EOF
  std::string read_line();
  std::string read_exact(std::size_t n);

  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::string buf_;
};

// http_get does one GET with "Connection: close" and returns the response.
ParsedResponse http_get(int port, std::string_view target);

}  // namespace httpkit::testing
