// test::Server: a Server on 127.0.0.1:0, served from its own thread.
#include "httpkit/test/server.hpp"

#include <stdexcept>

namespace httpkit::test {

Server::Server(Handler handler, const std::function<void(httpkit::Server&)>& config)
    : server_(std::make_unique<httpkit::Server>()) {
  server_->handler = std::move(handler);
  if (config) config(*server_);
  auto l = Listener::listen("127.0.0.1:0");
  if (!l) throw std::runtime_error("test::Server: listen: " + l.error().message());
  addr_ = l->addr();
  port_ = l->port();
  url_ = "http://" + addr_;
  serving_ = std::thread([this, l = std::move(*l)]() mutable { server_->serve(std::move(l)); });
}

Server::~Server() { close(); }

void Server::close() {
  if (!serving_.joinable()) return;
  // shutdown with a short grace, then close: tests must not leave handlers running
  // against objects the test is about to destroy.
  auto [ctx, cancel] = with_timeout(Context::background(), std::chrono::seconds(5));
  if (server_->shutdown(ctx)) server_->close();
  serving_.join();
}

}  // namespace httpkit::test
