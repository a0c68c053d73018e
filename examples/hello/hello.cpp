// hello: the benchmark target. GET /plaintext -> "Hello, World!", GET /json -> JSON,
// GET /download?bytes=N -> N bytes (the single-stream throughput test).
//   hello [--addr 127.0.0.1:8080] [--threads N] [--h2c] [--tls CERT KEY]
//         [--middleware] [--access-log PATH]
// --middleware wraps the handler in the default chain (recover, request_id, access_log
// to --access-log PATH, default /dev/null, metrics, labels) so bench/middleware can compare.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <httpkit/httpkit.hpp>
#include <httpkit/middleware.hpp>

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

// download streams ?bytes=N zero bytes in 256 KiB writes.
void download(httpkit::ResponseWriter& w, httpkit::Request& r) {
  static const std::string chunk(256 << 10, '\0');
  long long left = std::atoll(std::string(r.url().query().get("bytes")).c_str());
  w.header().set("Content-Type", "application/octet-stream");
  w.header().set("Content-Length", std::to_string(left));
  while (left > 0) {
    const auto n = static_cast<std::size_t>(std::min<long long>(left, static_cast<long long>(chunk.size())));
    if (w.write(std::string_view(chunk).substr(0, n)).err) return;
    left -= static_cast<long long>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string addr = "127.0.0.1:8080";
  int threads = 0;
  bool h2c = false;
  bool with_middleware = false;
  std::string access_log = "/dev/null";
  std::string cert, key;
  for (int i = 1; i < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--h2c") {  // takes no value
      h2c = true;
      --i;
    } else if (flag == "--middleware") {  // takes no value
      with_middleware = true;
      --i;
    } else if (i + 1 >= argc) {
      std::cerr << "hello: " << flag << " needs a value\n";
      return 2;
    } else if (flag == "--tls" && i + 2 < argc) {  // takes two values
      cert = argv[i + 1];
      key = argv[++i + 1];
    } else if (flag == "--addr") {
      addr = argv[i + 1];
    } else if (flag == "--threads") {
      threads = std::atoi(argv[i + 1]);
    } else if (flag == "--access-log") {
      access_log = argv[i + 1];
    } else {
      std::cerr << "usage: hello [--addr HOST:PORT] [--threads N] [--h2c] [--tls CERT KEY] [--middleware] "
                   "[--access-log PATH]\n";
      return 2;
    }
  }
  httpkit::runtime::set_threads(threads);

  httpkit::Server server;
  server.addr = addr;
  server.enable_h2c = h2c;
  server.handler = [](httpkit::ResponseWriter& w, httpkit::Request& r) {
    const std::string_view path = r.url().path;
    if (path == "/plaintext") return plaintext(w, r);
    if (path == "/json") return json(w, r);
    if (path == "/download") return download(w, r);
    httpkit::not_found(w, r);
  };
  httpkit::middleware::Metrics metrics;
  if (with_middleware) {
    namespace mw = httpkit::middleware;
    mw::AccessLogOptions log;
    log.logger = mw::file_logger("hello.access", access_log);
    server.handler = httpkit::chain(std::move(server.handler), {mw::recover(), mw::request_id(), mw::access_log(log),
                                                                metrics.middleware(), mw::labels()});
    server.conn_state = metrics.conn_state_hook();
  }
  std::cerr << "hello: serving on " << (cert.empty() ? "http://" : "https://") << addr
            << (with_middleware ? " (default middleware chain)" : "") << "\n";
  auto err = cert.empty() ? server.listen_and_serve() : server.listen_and_serve_tls(cert, key);
  std::cerr << "hello: " << err.message() << "\n";
  return err == httpkit::errc::server_closed ? 0 : 1;
}
