// CertKey: the OpenSSL objects behind a Certificate.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <system_error>

namespace httpkit::detail {

// CertKey owns a leaf, its intermediates and the private key; immutable once built.
struct CertKey {
  X509* leaf = nullptr;
  STACK_OF(X509)* chain = nullptr;  // intermediates, may be empty
  EVP_PKEY* key = nullptr;

  CertKey() = default;
  CertKey(const CertKey&) = delete;
  CertKey& operator=(const CertKey&) = delete;
  ~CertKey();

  // use installs the certificate on one connection (from the certificate callback).
  bool use(SSL* ssl) const;
};

// last_tls_error takes the first error of the thread's OpenSSL queue and clears it.
std::error_code last_tls_error() noexcept;

}  // namespace httpkit::detail
