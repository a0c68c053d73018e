// TLS settings, certificates and connection state (Go's crypto/tls as net/http uses it).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "httpkit/context.hpp"
#include "httpkit/error.hpp"

namespace httpkit {

namespace detail {
struct CertKey;
}

// TlsVersion is a protocol version as on the wire (tls.VersionTLS12, tls.VersionTLS13).
enum class TlsVersion : std::uint16_t { tls12 = 0x0303, tls13 = 0x0304 };
std::string_view to_string(TlsVersion v) noexcept;

// ClientAuth is how the server asks for client certificates (Go's tls.ClientAuthType).
enum class ClientAuth {
  none,                // no certificate is asked for (NoClientCert)
  request,             // asked for, not required, not verified (RequestClientCert)
  require_any,         // required, not verified (RequireAnyClientCert)
  verify_if_given,     // not required; verified against client_ca_file if sent
  require_and_verify,  // required and verified against client_ca_file (mTLS)
};

// Certificate is a certificate chain with its private key (Go's tls.Certificate).
// Immutable and cheap to copy; safe to share between threads.
class Certificate {
 public:
  // load reads a PEM chain (leaf first) and a PEM private key (tls.LoadX509KeyPair);
  // fails when a file is missing, malformed, or the key does not match the leaf.
  static Result<Certificate> load(const std::string& cert_file, const std::string& key_file);
  // from_pem is load with the PEM text in memory (tls.X509KeyPair).
  static Result<Certificate> from_pem(std::string_view cert_pem, std::string_view key_pem);
  // subject is the leaf's subject, one line (RFC 2253), for logs and tests.
  std::string subject() const;
  const detail::CertKey* get() const noexcept { return impl_.get(); }

 private:
  explicit Certificate(std::shared_ptr<const detail::CertKey> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::CertKey> impl_;
};

// ClientHello is what the server knows when it picks a certificate.
struct ClientHello {
  std::string_view server_name;  // SNI, "" when the client sent none
};

// TlsConfig configures a TLS server (the parts of Go's tls.Config a server uses).
// Either certificate files or get_certificate must be given; get_certificate wins.
struct TlsConfig {
  std::string cert_file;  // PEM chain, leaf first
  std::string key_file;   // PEM private key
  // get_certificate picks the certificate per handshake (tls.Config.GetCertificate):
  // SNI-based selection and rotation (CertReloader::getter()). Called on the
  // connection's scheduler thread: it must be thread-safe and must not block.
  std::function<Result<Certificate>(const ClientHello&)> get_certificate;
  // min_version: TLS 1.2 by default (Go's server default); max_version: TLS 1.3.
  TlsVersion min_version = TlsVersion::tls12;
  TlsVersion max_version = TlsVersion::tls13;
  // cipher_list: TLS 1.2 suites in OpenSSL syntax, server preference first;
  // ciphersuites: TLS 1.3 suites. Empty keeps OpenSSL's secure defaults.
  std::string cipher_list;
  std::string ciphersuites;
  // next_protos: ALPN protocols in the server's preference (tls.Config.NextProtos).
  // Empty: "h2" (unless disable_http2) then "http/1.1", as Go's ServeTLS adds them.
  // A client that offers ALPN but none of these fails the handshake
  // (no_application_protocol, RFC 7301 section 3.2).
  std::vector<std::string> next_protos;
  ClientAuth client_auth = ClientAuth::none;
  std::string client_ca_file;  // PEM CAs that verify client certificates
  // handshake_timeout bounds the handshake. Zero: Go's rule, the smallest non-zero of
  // read_header_timeout, read_timeout and write_timeout, and kDefaultHandshakeTimeout
  // when all are zero (Go waits forever; an unbounded handshake is a free slowloris).
  Duration handshake_timeout{};
  static constexpr Duration kDefaultHandshakeTimeout = std::chrono::seconds(10);
};

// ConnectionState describes an established TLS connection (tls.ConnectionState).
struct ConnectionState {
  TlsVersion version = TlsVersion::tls12;
  std::string cipher_suite;          // OpenSSL's name, e.g. "TLS_AES_128_GCM_SHA256"
  std::string negotiated_protocol;   // ALPN result: "h2", "http/1.1" or ""
  std::string server_name;           // SNI the client sent
  bool did_resume = false;
  // peer_certificates: the client's chain, DER, leaf first; peer_subject: the leaf's
  // subject (RFC 2253) or "" without a client certificate.
  std::vector<std::string> peer_certificates;
  std::string peer_subject;
  bool verified = false;             // the chain was verified against client_ca_file
};

// CertReloader serves a certificate read from files and re-reads them on reload()
// (the app calls it on SIGHUP or when the files change). New handshakes get the new
// certificate, open connections keep theirs, and a broken file keeps the old
// certificate and returns the error. Thread-safe.
class CertReloader {
 public:
  // The constructor loads the files; check error() before serving.
  CertReloader(std::string cert_file, std::string key_file);
  std::error_code reload();
  // error is the failure of the last load, empty when it succeeded.
  std::error_code error() const;
  // current is the certificate in use, or the load error when none ever loaded.
  Result<Certificate> current() const;
  // getter returns a TlsConfig::get_certificate that serves current(); it holds a
  // reference to this CertReloader, which must outlive the server.
  std::function<Result<Certificate>(const ClientHello&)> getter();

 private:
  std::string cert_file_;
  std::string key_file_;
  mutable std::mutex mu_;
  std::shared_ptr<const Certificate> current_;  // guarded by mu_
  std::error_code error_;                       // guarded by mu_
};

// tls_error_category names OpenSSL failures (the first error of the thread's queue).
const std::error_category& tls_error_category() noexcept;

}  // namespace httpkit
