#include "tls/tls_context.hpp"

#include <openssl/err.h>

#include "tls/cert_key.hpp"

namespace httpkit::detail {
namespace {

int version_of(TlsVersion v) { return v == TlsVersion::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION; }

// accept_any_peer: request / require_any modes take whatever the client sends.
int accept_any_peer(int, X509_STORE_CTX*) { return 1; }

std::error_code invalid(const char*) { return std::make_error_code(std::errc::invalid_argument); }

}  // namespace

Result<std::shared_ptr<const TlsServerContext>> TlsServerContext::make(const TlsConfig& config, bool http2) {
  std::shared_ptr<TlsServerContext> c(new TlsServerContext(config));
  if (auto ec = c->configure(http2)) return ec;
  return std::shared_ptr<const TlsServerContext>(std::move(c));
}

TlsServerContext::~TlsServerContext() { SSL_CTX_free(ctx_); }

std::error_code TlsServerContext::configure(bool http2) {
  ERR_clear_error();
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (!ctx_) return last_tls_error();
  SSL_CTX_set_min_proto_version(ctx_, version_of(config_.min_version));
  SSL_CTX_set_max_proto_version(ctx_, version_of(config_.max_version));
  // No renegotiation (RFC 9113 section 9.2.1 forbids it under h2; Go refuses it);
  // a peer's FIN without close_notify is an EOF, as in Go (truncation is HTTP's job).
  SSL_CTX_set_options(ctx_, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Partial writes and moving buffers fit a non-blocking writer; idle connections
  // give their 34 KiB of record buffers back (DESIGN.md section 3: idle costs little).
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  // Read-ahead: one recv takes every record the socket holds, where OpenSSL would
  // otherwise read each record's 5-byte header and its body apart (two syscalls a
  // record). A WANT_READ still means the socket said EAGAIN, so parking on it stays right.
  SSL_CTX_set_read_ahead(ctx_, 1);
  if (!config_.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx_, config_.cipher_list.c_str()) != 1) {
    return last_tls_error();
  }
  if (!config_.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx_, config_.ciphersuites.c_str()) != 1) {
    return last_tls_error();
  }
  if (config_.get_certificate) {
    SSL_CTX_set_cert_cb(ctx_, &TlsServerContext::on_certificate, this);
  } else {
    // Fixed files: installed once on the SSL_CTX, so a handshake does not pay for
    // installing (and checking) the key again.
    if (config_.cert_file.empty() || config_.key_file.empty()) return invalid("no certificate");
    auto cert = Certificate::load(config_.cert_file, config_.key_file);
    if (!cert) return cert.error();
    const CertKey* ck = cert->get();
    if (SSL_CTX_use_certificate(ctx_, ck->leaf) != 1 || SSL_CTX_use_PrivateKey(ctx_, ck->key) != 1 ||
        SSL_CTX_set1_chain(ctx_, ck->chain) != 1) {
      return last_tls_error();
    }
  }
  if (config_.next_protos.empty()) {
    if (http2) config_.next_protos.emplace_back("h2");
    config_.next_protos.emplace_back("http/1.1");
  }
  for (const auto& p : config_.next_protos) {
    if (p.empty() || p.size() > 255) return invalid("ALPN protocol name");
    alpn_wire_.push_back(static_cast<char>(p.size()));
    alpn_wire_.append(p);
  }
  SSL_CTX_set_alpn_select_cb(ctx_, &TlsServerContext::on_alpn, this);
  return configure_client_auth();
}

std::error_code TlsServerContext::configure_client_auth() {
  // A fixed session id context: resumed sessions must carry the verify result.
  static constexpr unsigned char kSessionContext[] = "httpkit";
  SSL_CTX_set_session_id_context(ctx_, kSessionContext, sizeof kSessionContext - 1);
  const bool verify = config_.client_auth == ClientAuth::verify_if_given ||
                      config_.client_auth == ClientAuth::require_and_verify;
  if (verify) {
    if (config_.client_ca_file.empty()) return invalid("client_ca_file");
    if (SSL_CTX_load_verify_locations(ctx_, config_.client_ca_file.c_str(), nullptr) != 1) return last_tls_error();
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config_.client_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(ctx_, names);
    }
  }
  switch (config_.client_auth) {
    case ClientAuth::none: break;
    case ClientAuth::request: SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, accept_any_peer); break;
    case ClientAuth::require_any:
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any_peer);
      break;
    case ClientAuth::verify_if_given: SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr); break;
    case ClientAuth::require_and_verify:
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
  }
  return {};
}

// on_alpn picks the server's most preferred protocol the client offers (Go's
// negotiateALPN); no overlap is fatal (RFC 7301 section 3.2, no_application_protocol).
int TlsServerContext::on_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                              unsigned inlen, void* arg) {
  const auto* self = static_cast<const TlsServerContext*>(arg);
  unsigned char* chosen = nullptr;
  const auto* server = reinterpret_cast<const unsigned char*>(self->alpn_wire_.data());
  if (SSL_select_next_proto(&chosen, outlen, server, static_cast<unsigned>(self->alpn_wire_.size()), in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

// on_certificate asks get_certificate once SNI is known; each connection keeps the
// certificate it got, so a reload only affects later handshakes.
int TlsServerContext::on_certificate(SSL* ssl, void* arg) {
  const auto* self = static_cast<const TlsServerContext*>(arg);
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  ClientHello hello{sni ? std::string_view(sni) : std::string_view()};
  auto cert = self->config_.get_certificate(hello);
  if (!cert || !cert->get()) return 0;
  return cert->get()->use(ssl) ? 1 : 0;
}

std::unique_ptr<TlsConn> TlsServerContext::wrap(std::unique_ptr<Conn> raw) const {
  SSL* ssl = SSL_new(ctx_);
  if (!ssl) return nullptr;
  return std::make_unique<TlsConn>(std::move(raw), ssl);
}

}  // namespace httpkit::detail
