// test::Server: a real Server on 127.0.0.1:0 for tests (Go's httptest.Server).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "httpkit/handler.hpp"
#include "httpkit/server.hpp"

namespace httpkit::test {

// Server starts serving handler on a free loopback port at construction; url() is
// "http://127.0.0.1:PORT". The destructor closes it and waits for serve to return.
// config, if given, adjusts the Server (timeouts, hooks) before it starts.
class Server {
 public:
  explicit Server(Handler handler, const std::function<void(httpkit::Server&)>& config = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  const std::string& url() const noexcept { return url_; }
  const std::string& addr() const noexcept { return addr_; }  // "127.0.0.1:PORT"
  int port() const noexcept { return port_; }
  httpkit::Server& server() noexcept { return *server_; }
  // close closes the server now (the destructor's work, callable earlier).
  void close();

 private:
  std::unique_ptr<httpkit::Server> server_;
  std::thread serving_;
  std::string url_;
  std::string addr_;
  int port_ = 0;
};

}  // namespace httpkit::test
