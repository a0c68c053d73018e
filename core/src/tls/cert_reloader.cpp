// CertReloader: certificate rotation without a restart.
#include "httpkit/tls.hpp"

namespace httpkit {

CertReloader::CertReloader(std::string cert_file, std::string key_file)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)) {
  reload();
}

// reload loads outside the lock so that handshakes are never held up by file I/O;
// a failure leaves the certificate in use untouched.
std::error_code CertReloader::reload() {
  auto loaded = Certificate::load(cert_file_, key_file_);
  std::lock_guard lock(mu_);
  if (!loaded) {
    error_ = loaded.error();
    return error_;
  }
  current_ = std::make_shared<const Certificate>(std::move(*loaded));
  error_.clear();
  return {};
}

std::error_code CertReloader::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

Result<Certificate> CertReloader::current() const {
  std::lock_guard lock(mu_);
  if (!current_) return error_ ? error_ : std::make_error_code(std::errc::no_such_file_or_directory);
  return *current_;
}

std::function<Result<Certificate>(const ClientHello&)> CertReloader::getter() {
  return [this](const ClientHello&) { return current(); };
}

}  // namespace httpkit
