// Real HTTP/2 clients against the server: curl, nghttp, h2load and Node's http2.
// Each client is a test dependency (scripts/install-deps.sh): a missing one fails.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "integration/modes.hpp"
#include "support/shell.hpp"

using namespace httpkit;
using namespace std::chrono_literals;

namespace {

using httpkit::testing::run_command;

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

void hello(ResponseWriter& w, Request& r) {
  w.header().set("Content-Type", "text/plain");
  w.write("hello over " + std::string(r.proto()));
}

// echo serves the Node scenarios: the body back, its length as a trailer, and the
// request trailer x-sum.
void echo(ResponseWriter& w, Request& r) {
  auto body = read_all(r.body());
  w.header().set("Trailer", "X-Body-Length, X-Sum-Seen");
  w.write(body ? *body : body.error().message());
  w.header().set("X-Body-Length", std::to_string(body ? body->size() : 0));
  w.header().set("X-Sum-Seen", std::string(r.trailer().get("X-Sum")));
}

const std::string kNodeClient = std::string(HTTPKIT_SOURCE_DIR) + "/tests/integration/node/client.js";

}  // namespace

TEST_CASE("curl: HTTP/2 by prior knowledge, by Upgrade: h2c and by ALPN") {
  REQUIRE(have("curl"));  // scripts/install-deps.sh installs it
  test::Server h2c(test::Mode::h2c, hello);
  CHECK(run_command("curl -sS --max-time 10 --http2-prior-knowledge " + h2c.url() + "/") == "hello over HTTP/2.0");
  CHECK(run_command("curl -sS --max-time 10 --http2 " + h2c.url() + "/") == "hello over HTTP/2.0");
  CHECK(run_command("curl -sS --max-time 10 " + h2c.url() + "/") == "hello over HTTP/1.1");
  test::Server tls(test::Mode::h2, hello);
  CHECK(run_command("curl -sSk --max-time 10 --http2 " + tls.url() + "/") == "hello over HTTP/2.0");
  CHECK(run_command("curl -sSk --max-time 10 --http1.1 " + tls.url() + "/") == "hello over HTTP/1.1");
  const std::string verbose = run_command("curl -sSk --max-time 10 -v --http2 " + tls.url() + "/ -o /dev/null");
  CHECK(verbose.find("ALPN: server accepted h2") != std::string::npos);
}

TEST_CASE("curl: a 20 MB download and a 20 MB upload over h2") {
  REQUIRE(have("curl"));  // scripts/install-deps.sh installs it
  test::Server srv(test::Mode::h2, [](ResponseWriter& w, Request& r) {
    if (r.method() == "POST") {
      std::int64_t n = 0;
      std::byte buf[65536];
      for (IoResult rr; !(rr = r.body().read(buf)).err;) n += static_cast<std::int64_t>(rr.n);
      w.write(std::to_string(n));
      return;
    }
    const std::string chunk(1 << 20, 'z');
    for (int i = 0; i < 20; ++i) w.write(chunk);
  });
  CHECK(run_command("curl -sSk --max-time 30 --http2 -o /dev/null -w '%{size_download} %{http_version}' " + srv.url() + "/") ==
        "20971520 2");
  CHECK(run_command("head -c 20971520 /dev/zero | curl -sSk --max-time 30 --http2 --data-binary @- " + srv.url() + "/") ==
        "20971520");
}

TEST_CASE("nghttp: many concurrent streams, and response trailers") {
  REQUIRE(have("nghttp"));  // scripts/install-deps.sh installs it
  test::Server srv(test::Mode::h2c, echo);
  std::string urls;
  for (int i = 0; i < 20; ++i) urls += " " + srv.url() + "/" + std::to_string(i);
  const std::string out = run_command("nghttp -n -s -t 10" + urls);
  CHECK(out.find("responseEnd") != std::string::npos);
  const std::string trailers = run_command("nghttp -v -t 10 -d /dev/null " + srv.url() + "/echo");
  CHECK(trailers.find("x-body-length: 0") != std::string::npos);
}

// Our HPACK encoder keeps the client's dynamic table (decision 0055): every table size
// a client announces (SETTINGS_HEADER_TABLE_SIZE, nghttp -c) must give heads it decodes,
// on one connection, so that later responses refer to what earlier ones inserted.
TEST_CASE("nghttp: response heads decode for every dynamic table size the client announces") {
  REQUIRE(have("nghttp"));
  test::Server srv(test::Mode::h2c, hello);
  for (const char* size : {"0", "100", "4096", "65536"}) {
    INFO("table size " << size);
    const std::string out = run_command(std::string("nghttp -nv -c ") + size + " " + srv.url() + "/a " + srv.url() +
                                        "/b " + srv.url() + "/c");
    CHECK(out.find("INVALID") == std::string::npos);
    std::size_t statuses = 0;
    for (std::size_t at = out.find(":status: 200"); at != std::string::npos; at = out.find(":status: 200", at + 1)) {
      ++statuses;
    }
    CHECK(statuses == 3);
  }
}

TEST_CASE("h2load: 4 connections x 10 streams, every request succeeds, over h2c and TLS") {
  REQUIRE(have("h2load"));  // scripts/install-deps.sh installs it
  test::Server h2c(test::Mode::h2c, hello);
  std::string out = run_command("h2load -n 2000 -c 4 -m 10 " + h2c.url() + "/");
  CHECK(out.find("2000 succeeded, 0 failed, 0 errored") != std::string::npos);
  test::Server tls(test::Mode::h2, hello);
  out = run_command("h2load -n 1000 -c 4 -m 10 " + tls.url() + "/");
  CHECK(out.find("1000 succeeded, 0 failed, 0 errored") != std::string::npos);
  CHECK(out.find("Application protocol: h2") != std::string::npos);
}

TEST_CASE("node http2: a streamed request body with trailers, response trailers back") {
  REQUIRE(have("node"));  // scripts/install-deps.sh installs it
  auto mode = GENERATE(test::Mode::h2c, test::Mode::h2);
  test::Server srv(mode, echo);
  const std::string out = run_command("node " + kNodeClient + " " + srv.url() + " trailers");
  CHECK(out.find("\"status\":200") != std::string::npos);
  CHECK(out.find("\"body\":\"first,second,third\"") != std::string::npos);
  CHECK(out.find("\"x-body-length\":\"18\"") != std::string::npos);
  CHECK(out.find("\"x-sum-seen\":\"42\"") != std::string::npos);
}

TEST_CASE("node http2: RST_STREAM in the middle of a body cancels the handler's request") {
  REQUIRE(have("node"));  // scripts/install-deps.sh installs it
  Event done;
  std::error_code read_err, ctx_err;
  test::Server srv(test::Mode::h2c, [&](ResponseWriter&, Request& r) {
    // Node's stream.close() ends the body (END_STREAM) and resets right after, so
    // the read may end either way; the reset must reach the request's context.
    read_err = read_all(r.body()).error();
    r.context().wait_until(Clock::now() + 5s);
    ctx_err = r.context().err();
    done.set();
  });
  const std::string out = run_command("node " + kNodeClient + " " + srv.url() + " rst");
  CHECK(out.find("\"closed\":true,\"rstCode\":8") != std::string::npos);
  REQUIRE(done.wait_for(5s));
  INFO("read ended with: " << read_err.message());
  CHECK((!read_err || read_err == errc::client_disconnected));
  CHECK(ctx_err == errc::client_disconnected);
}
