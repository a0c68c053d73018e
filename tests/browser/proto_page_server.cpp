// proto_page_server: the HTTPS server that browser_test.py points headless Chromium at
// (issue 5: a real browser loads a page over h2, and the page shows what the server saw).
//   proto_page_server [--http1]
// It serves on 127.0.0.1:0 with a throw-away certificate (TestPki) and prints two lines:
//   port=PORT
//   spki=BASE64   SHA-256 of the leaf's SubjectPublicKeyInfo, for Chromium's
//                 --ignore-certificate-errors-spki-list (pins this certificate only)
// then serves until its stdin reaches EOF: the driver closes it, or dies and the pipe
// closes, so a crashed test never leaves a server behind. --http1 sets disable_http2.
//   GET /       an HTML page showing r.proto() and the ALPN protocol; its inline
//               script fetches /proto and writes the answer into the page as well
//   GET /proto  r.proto() as plain text
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "httpkit/httpkit.hpp"
#include "support/test_pki.hpp"

namespace {

// kShutdownGrace bounds the graceful shutdown at EOF; Chromium has exited by then, so
// anything still open is a keep-alive connection and close() may drop it.
constexpr httpkit::Duration kShutdownGrace = std::chrono::seconds(5);

// The page shows the document's protocol in #page (written between kPageHead and
// kPageTail) and, once its script ran, the protocol of a fetch() of /proto in #fetch:
// browser_test.py compares both with exact strings.
constexpr std::string_view kPageHead =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>httpkit proto</title></head><body>\n";
constexpr std::string_view kPageTail =
    "<p id=\"fetch\">fetch pending</p>\n"
    "<script>\n"
    "fetch('/proto')\n"
    "  .then(r => r.ok ? r.text() : Promise.reject(new Error('status ' + r.status)))\n"
    "  .then(t => { document.getElementById('fetch').textContent = 'fetch proto=' + t; })\n"
    "  .catch(e => { document.getElementById('fetch').textContent = 'fetch failed: ' + e; });\n"
    "</script>\n</body></html>\n";

// page writes the document; the ALPN value is "none" over plain TCP (not served here).
void page(httpkit::ResponseWriter& w, httpkit::Request& r) {
  const httpkit::ConnectionState* tls = r.tls();
  const std::string alpn = tls ? tls->negotiated_protocol : "none";
  w.header().set("Content-Type", "text/html; charset=utf-8");
  w.header().set("Cache-Control", "no-store");
  w.write(std::string(kPageHead) + "<p id=\"page\">page proto=" + std::string(r.proto()) + " alpn=" + alpn +
          "</p>\n" + std::string(kPageTail));
}

void proto(httpkit::ResponseWriter& w, httpkit::Request& r) {
  w.header().set("Content-Type", "text/plain; charset=utf-8");
  w.header().set("Cache-Control", "no-store");
  w.write(r.proto());
}

// spki_sha256_base64 is what Chromium's --ignore-certificate-errors-spki-list expects:
// base64(SHA-256(DER SubjectPublicKeyInfo)) of a certificate in the chain.
std::string spki_sha256_base64(const std::string& cert_file) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(cert_file.c_str(), "r"), &std::fclose);
  if (!f) return {};
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return {};
  unsigned char* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &der);
  if (len <= 0) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  const bool ok = EVP_Digest(der, static_cast<std::size_t>(len), digest, &digest_len, EVP_sha256(), nullptr) == 1;
  OPENSSL_free(der);
  if (!ok) return {};
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int b64_len = EVP_EncodeBlock(b64, digest, static_cast<int>(digest_len));
  return std::string(reinterpret_cast<const char*>(b64), static_cast<std::size_t>(b64_len));
}

}  // namespace

int main(int argc, char** argv) {
  bool http1 = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--http1") {
      http1 = true;
    } else {
      std::cerr << "usage: proto_page_server [--http1]\n";
      return 2;
    }
  }

  // SIGPIPE keeps its default action: Chromium closes a preconnect socket right after
  // the handshake in about 1 run in 10, while the server writes its HTTP/2 SETTINGS
  // there, and the server must survive that by itself (decision 0047).

  httpkit::testing::TestPki pki;
  const std::string cert = pki.path("server.pem");
  const std::string key = pki.path("server.key");
  const std::string spki = spki_sha256_base64(cert);
  if (spki.empty()) {
    std::cerr << "proto_page_server: cannot read the public key of " << cert << "\n";
    return 1;
  }
  // serve_tls checks the files too, but only after the port is printed: check first so
  // the driver sees a clear failure instead of a browser that cannot connect.
  if (auto c = httpkit::Certificate::load(cert, key); !c) {
    std::cerr << "proto_page_server: certificate: " << c.error().message() << "\n";
    return 1;
  }
  auto l = httpkit::Listener::listen("127.0.0.1:0");
  if (!l) {
    std::cerr << "proto_page_server: listen: " << l.error().message() << "\n";
    return 1;
  }

  httpkit::Server server;
  server.disable_http2 = http1;
  server.handler = [](httpkit::ResponseWriter& w, httpkit::Request& r) {
    const std::string_view path = r.url().path;
    if (path == "/") return page(w, r);
    if (path == "/proto") return proto(w, r);
    httpkit::not_found(w, r);
  };
  std::cout << "port=" << l->port() << "\nspki=" << spki << std::endl;

  std::error_code served;
  std::thread serving([&, l = std::move(*l)]() mutable { served = server.serve_tls(std::move(l), cert, key); });
  for (std::string line; std::getline(std::cin, line);) {}  // until EOF
  auto [ctx, cancel] = httpkit::with_timeout(httpkit::Context::background(), kShutdownGrace);
  if (server.shutdown(ctx)) server.close();
  serving.join();
  if (served != httpkit::errc::server_closed) {
    std::cerr << "proto_page_server: serve_tls: " << served.message() << "\n";
    return 1;
  }
  return 0;
}
