// hello: the benchmark target. GET /plaintext -> "Hello, World!", GET /json -> JSON.
//   hello [--addr 127.0.0.1:8080] [--threads N]
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <httpkit/httpkit.hpp>

namespace {

void plaintext(httpkit::ResponseWriter& w, httpkit::Request&) {
  w.header().set("Content-Type", "text/plain");
  w.header().set("Server", "httpkit");
  w.write("Hello, World!");
}

void json(httpkit::ResponseWriter& w, httpkit::Request&) {
  w.header().set("Content-Type", "application/json");
  w.header().set("Server", "httpkit");
  w.write(R"({"message":"Hello, World!"})");
}

}  // namespace

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:8080";
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--addr") {
      addr = argv[i + 1];
    } else if (flag == "--threads") {
      threads = std::atoi(argv[i + 1]);
    } else {
      std::cerr << "usage: hello [--addr HOST:PORT] [--threads N]\n";
      return 2;
    }
  }
  httpkit::runtime::set_threads(threads);

  httpkit::Server server;
  server.addr = addr;
  server.handler = [](httpkit::ResponseWriter& w, httpkit::Request& r) {
    const std::string_view path = r.url().path;
    if (path == "/plaintext") return plaintext(w, r);
    if (path == "/json") return json(w, r);
    httpkit::not_found(w, r);
  };
  std::cerr << "hello: serving on http://" << addr << "\n";
  auto err = server.listen_and_serve();
  std::cerr << "hello: " << err.message() << "\n";
  return err == httpkit::errc::server_closed ? 0 : 1;
}
