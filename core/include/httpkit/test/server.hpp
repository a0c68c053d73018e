// test::Server: a real Server on 127.0.0.1:0 for tests (Go's httptest.Server).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "httpkit/handler.hpp"
#include "httpkit/server.hpp"

namespace httpkit::test {

// Mode is the protocol a test::Server speaks, for tests written once and run in each
// (Go's net/http testMode: http1Mode, https1Mode, http2Mode).
enum class Mode {
  http1,   // HTTP/1.1 over TCP
  https1,  // HTTP/1.1 over TLS (ALPN offers only http/1.1)
  h2c,     // HTTP/2 over TCP (prior knowledge or Upgrade: h2c); HTTP/1.1 still served
  h2,      // HTTP/2 over TLS, negotiated by ALPN
};
std::string_view to_string(Mode m) noexcept;
inline bool is_tls(Mode m) noexcept { return m == Mode::https1 || m == Mode::h2; }
inline bool is_h2(Mode m) noexcept { return m == Mode::h2c || m == Mode::h2; }

// Server starts serving handler on a free loopback port at construction; url() is
// "http://127.0.0.1:PORT" ("https://" in TLS modes, which use a self-signed
// certificate for localhost and 127.0.0.1 made at start, like httptest's).
// The destructor closes it and waits for serve to return. config, if given, adjusts
// the Server (timeouts, hooks) before it starts.
class Server {
 public:
  explicit Server(Handler handler, const std::function<void(httpkit::Server&)>& config = {});
  Server(Mode mode, Handler handler, const std::function<void(httpkit::Server&)>& config = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  const std::string& url() const noexcept { return url_; }
  const std::string& addr() const noexcept { return addr_; }  // "127.0.0.1:PORT"
  int port() const noexcept { return port_; }
  Mode mode() const noexcept { return mode_; }
  httpkit::Server& server() noexcept { return *server_; }
  // close closes the server now (the destructor's work, callable earlier).
  void close();

 private:
  std::unique_ptr<httpkit::Server> server_;
  std::thread serving_;
  std::string url_;
  std::string addr_;
  int port_ = 0;
  Mode mode_ = Mode::http1;
};

// self_signed_certificate makes a throw-away certificate for localhost and 127.0.0.1
// (P-256, valid one day), as test::Server uses in TLS modes.
Certificate self_signed_certificate();

}  // namespace httpkit::test
