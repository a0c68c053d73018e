// TLS: ALPN choices, SNI, client certificates, versions, handshake limits, certificate
// reload during traffic. Certificates come from a throw-away CA (TestPki).
#include <catch2/catch.hpp>

#include <openssl/ssl.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "integration/modes.hpp"
#include "support/h2_client.hpp"
#include "support/test_pki.hpp"

using namespace httpkit;
using namespace httpkit::testing;
using namespace std::chrono_literals;

namespace {

// describe answers with what the server saw of the TLS connection.
void describe(ResponseWriter& w, Request& r) {
  const ConnectionState* s = r.tls();
  if (!s) {
    w.write("no tls");
    return;
  }
  w.write(std::string(r.proto()) + "|" + s->negotiated_protocol + "|" + s->server_name + "|" + s->peer_subject + "|" +
          (s->verified ? "verified" : "unverified") + "|" + std::string(to_string(s->version)) + "|" + s->cipher_suite);
}

// https1_get sends one HTTP/1.1 request over a TLS Socket and returns the response.
std::string https1_get(Socket& s, const std::string& path = "/") {
  s.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  std::string out;
  char buf[4096];
  while (out.find("\r\n\r\n") == std::string::npos || out.size() < out.find("\r\n\r\n") + 4 + 1) {
    const long n = s.recv(buf, sizeof buf, 5s);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    const auto head_end = out.find("\r\n\r\n");
    const auto cl = out.find("Content-Length: ");
    if (head_end != std::string::npos && cl != std::string::npos &&
        out.size() >= head_end + 4 + std::stoul(out.substr(cl + 16))) {
      break;
    }
  }
  return out;
}

std::function<void(Server&)> with_files(const TestPki& pki, const std::string& name = "server") {
  return [&pki, name](Server& s) {
    s.tls_config.get_certificate = nullptr;
    s.tls_config.cert_file = pki.path(name + ".pem");
    s.tls_config.key_file = pki.path(name + ".key");
  };
}

}  // namespace

TEST_CASE("tls: ALPN picks h2 or http/1.1 as the client and the server allow") {
  test::Server srv(test::Mode::h2, describe);
  SECTION("h2 offered: HTTP/2") {
    H2Client c(srv.port(), TlsClientOptions{{"h2", "http/1.1"}});
    CHECK(c.socket().alpn() == "h2");
    CHECK(c.get("/").body.starts_with("HTTP/2.0|h2|localhost|"));
  }
  SECTION("only http/1.1 offered: HTTP/1.1 over TLS") {
    Socket s(srv.port(), TlsClientOptions{{"http/1.1"}}, 5s);
    CHECK(s.alpn() == "http/1.1");
    CHECK(https1_get(s).find("HTTP/1.1|http/1.1|localhost|") != std::string::npos);
  }
  SECTION("no ALPN at all: HTTP/1.1") {
    Socket s(srv.port(), TlsClientOptions{{}}, 5s);
    CHECK(s.alpn().empty());
    CHECK(https1_get(s).find("HTTP/1.1||localhost|") != std::string::npos);
  }
  SECTION("only an unknown protocol: the handshake fails (RFC 7301 3.2)") {
    Socket s(srv.port(), TlsClientOptions{{"spdy/3"}}, 5s);
    CHECK_FALSE(s.handshake_error().empty());
  }
}

TEST_CASE("tls: disable_http2 keeps TLS clients on HTTP/1.1") {
  test::Server srv(test::Mode::https1, describe);
  Socket s(srv.port(), TlsClientOptions{{"h2", "http/1.1"}}, 5s);
  CHECK(s.alpn() == "http/1.1");
  const std::string r = https1_get(s);
  CHECK(r.find("HTTP/1.1 200 OK") == 0);
  CHECK(r.find("TLS 1.3|TLS_") != std::string::npos);
}

TEST_CASE("tls: HTTP/1.1 keep-alive over TLS survives going idle") {
  test::Server srv(test::Mode::https1, describe);
  Socket s(srv.port(), TlsClientOptions{{"http/1.1"}}, 5s);
  CHECK(https1_get(s, "/1").find("200 OK") != std::string::npos);
  std::this_thread::sleep_for(50ms);  // the connection parks in epoll without a fiber
  CHECK(https1_get(s, "/2").find("200 OK") != std::string::npos);
}

TEST_CASE("tls: pipelined requests read in one go are all answered, not left in OpenSSL's buffer") {
  // Two records in one segment: one read takes both (read-ahead), and SSL_read hands
  // back one record at a time. The server must see that OpenSSL still holds the second
  // request (TlsConn::drained) instead of waiting for a socket event that never comes.
  test::Server srv(test::Mode::https1, [](ResponseWriter& w, Request& r) { w.write("path=" + r.url().path); });
  Socket s(srv.port(), TlsClientOptions{{"http/1.1"}}, 5s);
  CHECK(https1_get(s, "/warm").find("path=/warm") != std::string::npos);  // handshake done
  s.send_together({"GET /1 HTTP/1.1\r\nHost: localhost\r\n\r\n", "GET /2 HTTP/1.1\r\nHost: localhost\r\n\r\n"});
  std::string out;
  char buf[4096];
  while (out.find("path=/2") == std::string::npos) {
    const long n = s.recv(buf, sizeof buf, 3s);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  CHECK(out.find("path=/1") != std::string::npos);
  CHECK(out.find("path=/2") != std::string::npos);
}

TEST_CASE("tls: SNI selects the certificate through get_certificate") {
  TestPki pki;
  auto main_cert = Certificate::load(pki.path("server.pem"), pki.path("server.key"));
  auto other_cert = Certificate::load(pki.path("other.pem"), pki.path("other.key"));
  REQUIRE(main_cert);
  REQUIRE(other_cert);
  test::Server srv(test::Mode::h2, describe, [&](Server& s) {
    s.tls_config.get_certificate = [&](const ClientHello& hello) -> Result<Certificate> {
      return hello.server_name == "other.test" ? *other_cert : *main_cert;
    };
  });
  H2Client other(srv.port(), TlsClientOptions{{"h2"}, "other.test", pki.path("ca.pem")});
  REQUIRE(other.socket().handshake_error().empty());  // verified as other.test
  CHECK(other.socket().peer_subject() == "/CN=other.test");
  CHECK(other.get("/").body.starts_with("HTTP/2.0|h2|other.test|"));
  H2Client main(srv.port(), TlsClientOptions{{"h2"}, "localhost", pki.path("ca.pem")});
  REQUIRE(main.socket().handshake_error().empty());
  CHECK(main.socket().peer_subject() == "/CN=localhost");
}

TEST_CASE("tls: certificate files and a broken key are checked before serving") {
  TestPki pki;
  Server s;
  auto l = Listener::listen("127.0.0.1:0");
  REQUIRE(l);
  CHECK(s.serve_tls(std::move(*l), pki.path("server.pem"), pki.path("other.key")));  // key of another cert
  auto l2 = Listener::listen("127.0.0.1:0");
  REQUIRE(l2);
  CHECK(s.serve_tls(std::move(*l2), pki.path("missing.pem"), pki.path("server.key")));
}

TEST_CASE("tls: mTLS accepts a client certificate from the CA and rejects others") {
  TestPki pki;
  std::mutex mu;
  std::vector<std::string> logs;
  test::Server srv(test::Mode::h2, describe, [&](Server& s) {
    with_files(pki)(s);
    s.tls_config.client_auth = ClientAuth::require_and_verify;
    s.tls_config.client_ca_file = pki.path("ca.pem");
    s.error_log = [&](std::string_view m) {
      std::lock_guard lock(mu);
      logs.emplace_back(m);
    };
  });
  SECTION("a certificate signed by the CA") {
    H2Client c(srv.port(), TlsClientOptions{{"h2"}, "localhost", pki.path("ca.pem"), pki.path("client.pem"),
                                            pki.path("client.key")});
    REQUIRE(c.socket().handshake_error().empty());
    CHECK(c.get("/").body.starts_with("HTTP/2.0|h2|localhost|CN=alice|verified|"));
  }
  SECTION("a self-signed certificate") {
    Socket s(srv.port(), TlsClientOptions{{"h2"}, "localhost", "", pki.path("rogue.pem"), pki.path("rogue.key")}, 5s);
    CHECK_FALSE(s.handshake_error().empty());
    CHECK(eventually([&] {
      std::lock_guard lock(mu);
      return !logs.empty() && logs.back().find("TLS handshake error") != std::string::npos;
    }));
  }
  SECTION("no certificate") {
    Socket s(srv.port(), TlsClientOptions{{"h2"}}, 5s);
    CHECK_FALSE(s.handshake_error().empty());
  }
}

TEST_CASE("tls: ClientAuth::request takes any certificate without verifying it") {
  TestPki pki;
  test::Server srv(test::Mode::h2, describe, [&](Server& s) { s.tls_config.client_auth = ClientAuth::request; });
  H2Client rogue(srv.port(), TlsClientOptions{{"h2"}, "localhost", "", pki.path("rogue.pem"), pki.path("rogue.key")});
  CHECK(rogue.get("/").body.find("|CN=mallory|unverified|") != std::string::npos);
  H2Client none(srv.port(), TlsClientOptions{});
  CHECK(none.get("/").body.find("|localhost||unverified|") != std::string::npos);
}

TEST_CASE("tls: min_version TLS 1.3 refuses a TLS 1.2 client") {
  test::Server srv(test::Mode::h2, describe, [](Server& s) { s.tls_config.min_version = TlsVersion::tls13; });
  Socket old(srv.port(), TlsClientOptions{{"h2"}, "localhost", "", "", "", TLS1_2_VERSION}, 5s);
  CHECK_FALSE(old.handshake_error().empty());
  H2Client modern(srv.port(), TlsClientOptions{});
  CHECK(modern.get("/").body.find("|TLS 1.3|") != std::string::npos);
}

TEST_CASE("tls: a client that never finishes its handshake is dropped after the timeout") {
  test::Server srv(test::Mode::h2, describe, [](Server& s) { s.tls_config.handshake_timeout = 200ms; });
  Socket silent(srv.port(), std::nullopt, 5s);
  char b;
  const auto start = Clock::now();
  CHECK(silent.recv(&b, 1, 3s) == 0);  // closed by the server
  CHECK(Clock::now() - start < 2s);
  SECTION("and plain HTTP sent to a TLS port is dropped too, the server unharmed") {
    Socket plain(srv.port(), std::nullopt, 5s);
    plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    char buf[512];
    long n = 0;
    while ((n = plain.recv(buf, sizeof buf, 3s)) > 0) {}
    CHECK(n == 0);
    H2Client ok(srv.port(), TlsClientOptions{});
    CHECK(ok.get("/").status == 200);
  }
}

TEST_CASE("tls: CertReloader rotates certificates during traffic; open connections keep theirs") {
  TestPki pki;
  const std::string live_cert = pki.path("live.pem"), live_key = pki.path("live.key");
  namespace fs = std::filesystem;
  auto install = [&](const std::string& name) {
    fs::copy_file(pki.path(name + ".pem"), live_cert, fs::copy_options::overwrite_existing);
    fs::copy_file(pki.path(name + ".key"), live_key, fs::copy_options::overwrite_existing);
  };
  install("server");
  CertReloader reloader(live_cert, live_key);
  REQUIRE_FALSE(reloader.error());
  test::Server srv(test::Mode::h2, describe, [&](Server& s) { s.tls_config.get_certificate = reloader.getter(); });

  H2Client before(srv.port(), TlsClientOptions{{"h2"}, "localhost"});
  CHECK(before.socket().peer_subject() == "/CN=localhost");

  // Traffic on fresh connections while the certificate changes under it.
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::thread traffic([&] {
    while (!stop) {
      H2Client c(srv.port(), TlsClientOptions{});
      (c.get("/").status == 200 ? ok : failed)++;
    }
  });
  for (int i = 0; i < 6; ++i) {
    install(i % 2 ? "server" : "other");
    CHECK_FALSE(reloader.reload());
    std::this_thread::sleep_for(30ms);
  }
  install("other");
  CHECK_FALSE(reloader.reload());
  stop = true;
  traffic.join();
  CHECK(ok.load() > 0);
  CHECK(failed.load() == 0);

  H2Client after(srv.port(), TlsClientOptions{{"h2"}, "localhost"});
  CHECK(after.socket().peer_subject() == "/CN=other.test");
  CHECK(before.get("/").status == 200);  // the old connection still works, on its certificate

  SECTION("a broken file keeps the certificate in use and reports the error") {
    std::ofstream(live_cert) << "not a certificate";
    CHECK(reloader.reload());
    CHECK(reloader.error());
    H2Client still(srv.port(), TlsClientOptions{{"h2"}, "localhost"});
    CHECK(still.socket().peer_subject() == "/CN=other.test");
  }
}
