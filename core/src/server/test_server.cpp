// test::Server: a Server on 127.0.0.1:0, served from its own thread.
#include "httpkit/test/server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace httpkit::test {
namespace {

std::string pem_of(int (*write)(BIO*, void*), void* obj) {
  BIO* b = BIO_new(BIO_s_mem());
  write(b, obj);
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(b);
  return s;
}

int write_cert(BIO* b, void* x) { return PEM_write_bio_X509(b, static_cast<X509*>(x)); }
int write_key(BIO* b, void* k) {
  return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr, nullptr);
}

}  // namespace

std::string_view to_string(Mode m) noexcept {
  switch (m) {
    case Mode::http1: return "http1";
    case Mode::https1: return "https1";
    case Mode::h2c: return "h2c";
    case Mode::h2: return "h2";
  }
  return "?";
}

Certificate self_signed_certificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(x, key, EVP_sha256());
  auto cert = Certificate::from_pem(pem_of(write_cert, x), pem_of(write_key, key));
  X509_free(x);
  EVP_PKEY_free(key);
  if (!cert) throw std::runtime_error("test: self-signed certificate: " + cert.error().message());
  return *cert;
}

Server::Server(Handler handler, const std::function<void(httpkit::Server&)>& config)
    : Server(Mode::http1, std::move(handler), config) {}

Server::Server(Mode mode, Handler handler, const std::function<void(httpkit::Server&)>& config)
    : server_(std::make_unique<httpkit::Server>()), mode_(mode) {
  server_->handler = std::move(handler);
  server_->enable_h2c = mode == Mode::h2c;
  if (is_tls(mode)) {
    server_->tls_config.get_certificate = [cert = self_signed_certificate()](const ClientHello&) -> Result<Certificate> {
      return cert;
    };
    server_->disable_http2 = mode == Mode::https1;
  }
  if (config) config(*server_);
  auto l = Listener::listen("127.0.0.1:0");
  if (!l) throw std::runtime_error("test::Server: listen: " + l.error().message());
  addr_ = l->addr();
  port_ = l->port();
  url_ = (is_tls(mode) ? "https://" : "http://") + addr_;
  serving_ = std::thread([this, l = std::move(*l)]() mutable {
    is_tls(mode_) ? server_->serve_tls(std::move(l)) : server_->serve(std::move(l));
  });
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
