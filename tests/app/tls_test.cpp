// The App's [tls] and [http2] settings in a real process: HTTPS with ALPN, HTTP/2 off,
// h2c, socket-activated TLS, and SIGHUP's certificate reload. curl is the client where a
// real one is enough (scripts/install-deps.sh installs it); the test support's TLS
// Socket and H2Client where the certificate or the connection itself is checked.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "app/app_process.hpp"
#include "support/h2_client.hpp"
#include "support/raw_client.hpp"
#include "support/shell.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace std::chrono_literals;
using httpkit::testing::ChildApp;
using httpkit::testing::free_port;
using httpkit::testing::H2Client;
using httpkit::testing::Socket;
using httpkit::testing::TestPki;
using httpkit::testing::TlsClientOptions;

std::string addr(int port) { return "127.0.0.1:" + std::to_string(port); }

using httpkit::testing::run_command;

// curl runs curl with args; -w adds " %{http_version}" after the body, so a line reads
// "HTTP/2.0 tls 2": what the handler saw, then what curl negotiated.
std::string curl(const std::string& args) {
  return run_command("curl -sS --max-time 10 -w ' %{http_version}' " + args);
}

// ConfigFile writes config/app.toml for one app and removes it after.
struct ConfigFile {
  explicit ConfigFile(const std::string& text) {
    static int n = 0;
    path = (std::filesystem::temp_directory_path() /
            ("app_tls_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".toml"))
               .string();
    std::ofstream(path) << text;
  }
  ~ConfigFile() { std::filesystem::remove(path); }
  std::string path;
};

std::string tls_section(const std::string& cert, const std::string& key) {
  return "[tls]\ncert_file = \"" + cert + "\"\nkey_file = \"" + key + "\"\n";
}

// wait_until polls pred every 20 ms; false after timeout.
template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

// wait_ready waits for /readyz over HTTPS (verified with the CA) or plain HTTP.
bool wait_ready(int port, const std::string& ca_file = {}) {
  const std::string url = (ca_file.empty() ? "http://" : "--cacert " + ca_file + " https://") + addr(port);
  return wait_until([&] { return run_command("curl -sS --max-time 2 " + url + "/readyz") == "ready\n"; }, 10s);
}

bool logged(const ChildApp& app, const std::string& needle) {
  return wait_until([&] { return app.output().find(needle) != std::string::npos; }, 5s);
}

// subject_of is the certificate a new TLS connection gets ("/CN=localhost").
std::string subject_of(int port) {
  Socket s(port, TlsClientOptions{{"http/1.1"}, "localhost"}, 5s);
  return s.handshake_error().empty() ? s.peer_subject() : "handshake failed: " + s.handshake_error();
}

}  // namespace

TEST_CASE("tls: the app serves HTTPS, HTTP/2 by ALPN, and keeps the debug listener plain") {
  TestPki pki;
  const int port = free_port(), debug = free_port();
  ConfigFile cfg("[server]\naddr = \"" + addr(port) + "\"\n" + tls_section(pki.path("server.pem"), pki.path("server.key")) +
                 "[debug]\naddr = \"" + addr(debug) + "\"\n");
  ChildApp app({"--config", cfg.path});
  const std::string ca = "--cacert " + pki.path("ca.pem") + " ";
  REQUIRE(wait_ready(port, pki.path("ca.pem")));
  CHECK(app.output().find("server listening on https://" + addr(port)) != std::string::npos);
  CHECK(app.output().find("debug listening on http://" + addr(debug)) != std::string::npos);

  CHECK(curl("--http2 " + ca + "https://" + addr(port) + "/proto") == "HTTP/2.0 tls 2");
  CHECK(curl("--http1.1 " + ca + "https://" + addr(port) + "/proto") == "HTTP/1.1 tls 1.1");
  CHECK(curl("--http2 " + ca + "https://" + addr(port) + "/healthz") == "ok\n 2");
  // Cleartext on the TLS port is not served.
  CHECK(curl("http://" + addr(port) + "/proto").find("plain") == std::string::npos);
  CHECK(httpkit::testing::http_get(debug, "/readyz").status == 200);

  CHECK(app.stop() == 0);
}

TEST_CASE("tls: http2.enabled = false keeps TLS clients on HTTP/1.1") {
  TestPki pki;
  const int port = free_port();
  ConfigFile cfg("[server]\naddr = \"" + addr(port) + "\"\n" + tls_section(pki.path("server.pem"), pki.path("server.key")) +
                 "[http2]\nenabled = false\n[debug]\naddr = \"\"\n");
  ChildApp app({"--config", cfg.path});
  REQUIRE(wait_ready(port, pki.path("ca.pem")));
  CHECK(curl("--http2 --cacert " + pki.path("ca.pem") + " https://" + addr(port) + "/proto") == "HTTP/1.1 tls 1.1");
  {
    Socket s(port, TlsClientOptions{{"h2", "http/1.1"}, "localhost"}, 5s);
    CHECK(s.alpn() == "http/1.1");
  }  // closed now: a connection that never sent a request would hold the drain for 5 s
  CHECK(app.stop() == 0);
}

TEST_CASE("h2c: http2.h2c = true serves cleartext HTTP/2, the default refuses it") {
  const int port = free_port();
  const std::string url = " http://" + addr(port) + "/proto";
  SECTION("h2c = true: prior knowledge and Upgrade: h2c") {
    ConfigFile cfg("[server]\naddr = \"" + addr(port) + "\"\n[http2]\nh2c = true\n[debug]\naddr = \"\"\n");
    ChildApp app({"--config", cfg.path});
    REQUIRE(wait_ready(port));
    CHECK(curl("--http2-prior-knowledge" + url) == "HTTP/2.0 plain 2");
    CHECK(curl("--http2" + url) == "HTTP/2.0 plain 2");
    CHECK(curl(url) == "HTTP/1.1 plain 1.1");
    CHECK(app.stop() == 0);
  }
  SECTION("default: the preface is a bad HTTP/1 request, Upgrade is ignored") {
    ConfigFile cfg("[server]\naddr = \"" + addr(port) + "\"\n[debug]\naddr = \"\"\n");
    ChildApp app({"--config", cfg.path});
    REQUIRE(wait_ready(port));
    CHECK(curl("--http2-prior-knowledge" + url).find("HTTP/2.0") == std::string::npos);
    CHECK(curl("--http2" + url) == "HTTP/1.1 plain 1.1");
    CHECK(app.stop() == 0);
  }
}

TEST_CASE("tls: a socket-activated listener serves TLS too") {
  TestPki pki;
  int port = 0;
  const int fd = httpkit::testing::loopback_listener(port);
  ConfigFile cfg(tls_section(pki.path("server.pem"), pki.path("server.key")) + "[debug]\naddr = \"\"\n");
  ChildApp app({"--config", cfg.path}, {}, fd);
  ::close(fd);  // the child has its copy
  REQUIRE(wait_ready(port, pki.path("ca.pem")));
  CHECK(app.output().find("server listening on https://" + addr(port)) != std::string::npos);
  CHECK(curl("--http2 --cacert " + pki.path("ca.pem") + " https://" + addr(port) + "/proto") == "HTTP/2.0 tls 2");
  CHECK(app.stop() == 0);
}

TEST_CASE("tls: clients that hang up right after the handshake do not end the process (SIGPIPE)") {
  TestPki pki;
  const int port = free_port();
  ConfigFile cfg("[server]\naddr = \"" + addr(port) + "\"\n" + tls_section(pki.path("server.pem"), pki.path("server.key")) +
                 "[debug]\naddr = \"\"\n");
  ChildApp app({"--config", cfg.path});
  REQUIRE(wait_ready(port, pki.path("ca.pem")));
  // Each close races the server's session tickets (and HTTP/2 SETTINGS) to the socket:
  // the write hits a closed connection; the process must survive with SIGPIPE at its
  // default action (writes use MSG_NOSIGNAL, decision 0047).
  int refused = 0;
  for (int i = 0; i < 20; ++i) {
    try {
      Socket s(port, TlsClientOptions{{i % 2 ? "h2" : "http/1.1"}, "localhost"}, 5s);
    } catch (const std::exception&) {
      ++refused;  // the process is gone
    }
  }
  std::this_thread::sleep_for(100ms);
  CHECK(refused == 0);
  CHECK(app.wait(0ms) == -1);  // still running
  CHECK(curl("--cacert " + pki.path("ca.pem") + " https://" + addr(port) + "/proto") == "HTTP/2.0 tls 2");
  CHECK(app.stop() == 0);
}

TEST_CASE("tls: a certificate that does not load fails start-up with exit 1") {
  TestPki pki;
  std::ofstream(pki.path("broken.pem")) << "not a certificate\n";
  ConfigFile cfg("[server]\naddr = \"" + addr(free_port()) + "\"\n" +
                 tls_section(pki.path("broken.pem"), pki.path("server.key")) + "[debug]\naddr = \"\"\n");
  ChildApp app({"--config", cfg.path});
  CHECK(app.wait(10s) == 1);
  CHECK(app.output().find("cannot load the TLS certificate " + pki.path("broken.pem")) != std::string::npos);
}

TEST_CASE("tls: SIGHUP reloads the certificate, open connections keep theirs, a broken file keeps the old one") {
  TestPki pki;
  namespace fs = std::filesystem;
  const std::string live_cert = pki.path("live.pem"), live_key = pki.path("live.key");
  auto install = [&](const std::string& name) {
    fs::copy_file(pki.path(name + ".pem"), live_cert, fs::copy_options::overwrite_existing);
    fs::copy_file(pki.path(name + ".key"), live_key, fs::copy_options::overwrite_existing);
  };
  install("server");
  const int port = free_port();
  ConfigFile cfg("[server]\naddr = \"" + addr(port) + "\"\n" + tls_section(live_cert, live_key) +
                 "[debug]\naddr = \"\"\n");
  ChildApp app({"--config", cfg.path});
  REQUIRE(wait_ready(port, pki.path("ca.pem")));

  // A keep-alive HTTP/2 connection made before the reload, verified as localhost.
  H2Client before(port, TlsClientOptions{{"h2"}, "localhost", pki.path("ca.pem")});
  REQUIRE(before.socket().handshake_error().empty());
  CHECK(before.socket().peer_subject() == "/CN=localhost");
  CHECK(before.get("/fast").body == "fast");
  CHECK(subject_of(port) == "/CN=localhost");

  install("other");
  app.signal(SIGHUP);
  CHECK(wait_until([&] { return subject_of(port) == "/CN=other.test"; }, 5s));
  CHECK(logged(app, "SIGHUP: TLS certificate reloaded from " + live_cert + " (CN=other.test)"));
  // A real client verifies the new certificate under its own name.
  CHECK(curl("--cacert " + pki.path("ca.pem") + " --resolve other.test:" + std::to_string(port) +
             ":127.0.0.1 https://other.test:" + std::to_string(port) + "/proto") == "HTTP/2.0 tls 2");
  // The connection from before still works, on the certificate it got.
  CHECK(before.get("/fast").body == "fast");
  CHECK(before.socket().peer_subject() == "/CN=localhost");

  std::ofstream(live_cert) << "not a certificate\n";
  app.signal(SIGHUP);
  CHECK(logged(app, "SIGHUP: TLS certificate not reloaded, still serving the previous one: " + live_cert));
  CHECK(subject_of(port) == "/CN=other.test");
  CHECK(before.get("/fast").body == "fast");

  CHECK(app.stop() == 0);
}
