// Certificate: loading PEM chains and keys; the TLS error category.
#include "httpkit/tls.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "tls/cert_key.hpp"

namespace httpkit {
namespace detail {

CertKey::~CertKey() {
  X509_free(leaf);
  if (chain) sk_X509_pop_free(chain, X509_free);
  EVP_PKEY_free(key);
}

bool CertKey::use(SSL* ssl) const {
  return SSL_use_certificate(ssl, leaf) == 1 && SSL_use_PrivateKey(ssl, key) == 1 && SSL_set1_chain(ssl, chain) == 1;
}

std::error_code last_tls_error() noexcept {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return std::make_error_code(std::errc::protocol_error);
  return {static_cast<int>(e & 0x7fffffff), tls_error_category()};
}

}  // namespace detail

namespace {

class TlsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "tls"; }
  std::string message(int code) const override {
    char buf[256];
    ERR_error_string_n(static_cast<unsigned long>(code), buf, sizeof buf);
    return buf;
  }
};

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::error_code read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::make_error_code(std::errc::no_such_file_or_directory);
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return {};
}

}  // namespace

const std::error_category& tls_error_category() noexcept {
  static const TlsCategory category;
  return category;
}

std::string_view to_string(TlsVersion v) noexcept {
  return v == TlsVersion::tls13 ? "TLS 1.3" : "TLS 1.2";
}

Result<Certificate> Certificate::from_pem(std::string_view cert_pem, std::string_view key_pem) {
  ERR_clear_error();
  auto ck = std::make_shared<detail::CertKey>();
  BioPtr certs(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())), BIO_free);
  ck->leaf = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr);
  if (!ck->leaf) return detail::last_tls_error();
  ck->chain = sk_X509_new_null();
  while (X509* extra = PEM_read_bio_X509(certs.get(), nullptr, nullptr, nullptr)) sk_X509_push(ck->chain, extra);
  ERR_clear_error();  // the loop ends on "no start line"
  BioPtr key(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), BIO_free);
  ck->key = PEM_read_bio_PrivateKey(key.get(), nullptr, nullptr, nullptr);
  if (!ck->key) return detail::last_tls_error();
  if (X509_check_private_key(ck->leaf, ck->key) != 1) return detail::last_tls_error();
  return Certificate(std::move(ck));
}

Result<Certificate> Certificate::load(const std::string& cert_file, const std::string& key_file) {
  std::string cert, key;
  if (auto ec = read_file(cert_file, cert)) return ec;
  if (auto ec = read_file(key_file, key)) return ec;
  return from_pem(cert, key);
}

std::string Certificate::subject() const {
  if (!impl_) return {};
  BioPtr out(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(out.get(), X509_get_subject_name(impl_->leaf), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace httpkit
