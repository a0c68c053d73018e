// cpp-httplib peer (Debian's libcpp-httplib-dev) with its worker pool cut to one
// thread, so it competes on one core like every other server in the run.
// TCP_NODELAY is switched on, as nginx, h2o and Go do by default: with Nagle left on,
// every response waits out the client's delayed ACK (~40 ms) and the run would
// measure that. Everything else stays at the library's defaults (keep-alive max 5
// requests per connection, 5 s keep-alive timeout, listen backlog 5).
//
// Usage: httplib_server --addr 127.0.0.1:PORT
#include <httplib.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:8080";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string_view(argv[i]) == "--addr") addr = argv[i + 1];
  }
  auto colon = addr.rfind(':');
  if (colon == std::string::npos) return 2;
  std::signal(SIGPIPE, SIG_IGN);

  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(1); };
  svr.set_tcp_nodelay(true);
  svr.Get("/plaintext", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("Hello, World!", "text/plain");
  });
  svr.Get("/json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"message":"Hello, World!"})", "application/json");
  });
  return svr.listen(addr.substr(0, colon).c_str(), std::atoi(addr.c_str() + colon + 1)) ? 0 : 1;
}
