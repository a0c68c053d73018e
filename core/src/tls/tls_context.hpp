// TlsServerContext: one SSL_CTX per serve_tls call, built from a TlsConfig.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "httpkit/tls.hpp"
#include "tls/tls_conn.hpp"

namespace httpkit::detail {

// TlsServerContext holds what every handshake of one listener shares: certificates,
// versions, ciphers, ALPN list, client-certificate policy. Thread-safe after make().
class TlsServerContext {
 public:
  // make validates config (a certificate source, readable files) and builds the
  // SSL_CTX; http2 adds "h2" to the default ALPN list.
  static Result<std::shared_ptr<const TlsServerContext>> make(const TlsConfig& config, bool http2);
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;
  ~TlsServerContext();

  // wrap starts a server-side TLS connection on an accepted socket (no I/O yet).
  std::unique_ptr<TlsConn> wrap(std::unique_ptr<Conn> raw) const;
  Duration handshake_timeout() const noexcept { return config_.handshake_timeout; }

 private:
  explicit TlsServerContext(TlsConfig config) : config_(std::move(config)) {}
  std::error_code configure(bool http2);
  std::error_code configure_client_auth();
  static int on_alpn(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                     unsigned inlen, void* arg);
  static int on_certificate(SSL* ssl, void* arg);

  TlsConfig config_;
  SSL_CTX* ctx_ = nullptr;
  std::string alpn_wire_;  // length-prefixed protocol names (RFC 7301 section 3.1)
};

}  // namespace httpkit::detail
