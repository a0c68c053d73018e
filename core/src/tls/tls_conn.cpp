#include "tls/tls_conn.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>

#include "tls/cert_key.hpp"
#include "tls/socket_bio.hpp"

namespace httpkit::detail {
namespace {

bool passed(TimePoint deadline) { return deadline != TimePoint{} && Clock::now() >= deadline; }

// clear_stale_errors empties the thread's OpenSSL error queue before an SSL call, as
// SSL_get_error needs (SSL_get_error(3)). The queue is nearly always empty already
// (wait_for clears it after every failure), and ERR_clear_error resets all its slots
// regardless: ~800 instructions in OpenSSL 3, once per SSL_read or SSL_write, where a
// peek costs a few dozen.
void clear_stale_errors() noexcept {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

std::string der_of(X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string subject_of(X509* cert) {
  BIO* out = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(out, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(out);
  return s;
}

}  // namespace

TlsConn::TlsConn(std::unique_ptr<Conn> raw, SSL* ssl) : Conn(std::move(raw)), ssl_(ssl) {
  // Not SSL_set_fd: its socket BIO writes with write(2), and a write to a client that
  // has reset the connection would raise SIGPIPE (socket_bio.hpp). One BIO serves both
  // directions (SSL_set_bio takes the one reference); without it (out of memory) the
  // handshake fails.
  BIO* bio = new_socket_bio(fd(), &bio_drained_);
  SSL_set_bio(ssl_, bio, bio);
  SSL_set_accept_state(ssl_);
}

TlsConn::~TlsConn() { SSL_free(ssl_); }

// With read-ahead (tls_context.cpp) OpenSSL may hold whole records it read from the
// socket but has not decrypted yet: SSL_has_pending counts those, SSL_pending does not.
bool TlsConn::drained() const noexcept { return bio_drained_ && SSL_has_pending(ssl_) == 0; }

// wait_for turns an SSL result into done (n > 0), again (parked until the socket is
// ready) or failed (err says why: eof, timeout, closed, or the TLS error).
TlsConn::Step TlsConn::wait_for(int ssl_result, TimePoint deadline, std::error_code& err) {
  if (ssl_result > 0) return Step::done;
  const int e = SSL_get_error(ssl_, ssl_result);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    if (closed()) {
      err = errc::closed;
      return Step::failed;
    }
    if (passed(deadline)) {
      err = errc::timeout;
      return Step::failed;
    }
    e == SSL_ERROR_WANT_READ ? wait_readable(deadline) : wait_writable(deadline);
    return Step::again;
  }
  if (closed()) {
    err = errc::closed;
  } else if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0)) {
    err = errc::eof;  // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a bare FIN
  } else if (e == SSL_ERROR_SYSCALL) {
    err = {errno, std::system_category()};
  } else {
    err = last_tls_error();
  }
  ERR_clear_error();
  return Step::failed;
}

std::error_code TlsConn::handshake(TimePoint deadline) {
  for (;;) {
    clear_stale_errors();
    std::error_code err;
    const Step s = wait_for(SSL_do_handshake(ssl_), deadline, err);
    if (s == Step::done) break;
    if (s == Step::failed) return err == errc::eof ? make_error_code(errc::unexpected_eof) : err;
  }
  fill_state();
  handshake_done_ = true;
  return {};
}

void TlsConn::fill_state() {
  state_.version = SSL_version(ssl_) == TLS1_3_VERSION ? TlsVersion::tls13 : TlsVersion::tls12;
  state_.cipher_suite = SSL_get_cipher_name(ssl_);
  const unsigned char* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl_, &alpn, &alpn_len);
  state_.negotiated_protocol.assign(reinterpret_cast<const char*>(alpn), alpn_len);
  if (const char* sni = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name)) state_.server_name = sni;
  state_.did_resume = SSL_session_reused(ssl_) == 1;
  if (X509* leaf = SSL_get0_peer_certificate(ssl_)) {
    state_.peer_subject = subject_of(leaf);
    state_.peer_certificates.push_back(der_of(leaf));
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl_)) {
      // The server-side chain excludes the leaf (SSL_get_peer_cert_chain(3)).
      for (int i = 0; i < sk_X509_num(chain); ++i) state_.peer_certificates.push_back(der_of(sk_X509_value(chain, i)));
    }
    state_.verified = SSL_get_verify_result(ssl_) == X509_V_OK;
  }
}

IoResult TlsConn::read(std::span<std::byte> buf) {
  if (buf.empty()) return {};
  for (;;) {
    if (closed()) return {0, errc::closed};
    if (passed(read_deadline())) return {0, errc::timeout};
    clear_stale_errors();
    std::size_t n = 0;
    std::error_code err;
    const int rc = SSL_read_ex(ssl_, buf.data(), buf.size(), &n);
    const Step s = wait_for(rc, read_deadline(), err);
    if (s == Step::done) return {n, {}};
    if (s == Step::failed) return {0, err};
  }
}

// read_now: decrypted bytes SSL already holds, or one non-parking attempt.
IoResult TlsConn::read_now(std::span<std::byte> buf) {
  if (closed()) return {0, errc::closed};
  clear_stale_errors();
  std::size_t n = 0;
  const int rc = SSL_read_ex(ssl_, buf.data(), buf.size(), &n);
  if (rc > 0) return {n, {}};
  const int e = SSL_get_error(ssl_, rc);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return {0, std::make_error_code(std::errc::operation_would_block)};
  std::error_code err;
  wait_for(rc, {}, err);
  return {0, err};
}

IoResult TlsConn::write_all(const std::byte* p, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    if (closed()) return {done, errc::closed};
    if (passed(write_deadline())) return {done, errc::timeout};
    clear_stale_errors();
    std::size_t wrote = 0;
    std::error_code err;
    const int rc = SSL_write_ex(ssl_, p + done, n - done, &wrote);
    const Step s = wait_for(rc, write_deadline(), err);
    if (s == Step::done) done += wrote;
    if (s == Step::failed) return {done, err};
  }
  return {done, {}};
}

// writev copies runs of small buffers into one record-sized block and writes large
// buffers as they are: TLS copies every byte into records anyway.
IoResult TlsConn::writev(std::span<const iovec> bufs) {
  std::string& block = block_;  // per connection: write_all may park
  std::size_t total = 0;
  auto flush_block = [&]() -> std::error_code {
    if (block.empty()) return {};
    IoResult r = write_all(reinterpret_cast<const std::byte*>(block.data()), block.size());
    block.clear();
    return r.err;
  };
  for (const iovec& v : bufs) {
    const auto* p = static_cast<const std::byte*>(v.iov_base);
    if (v.iov_len + block.size() <= kCoalesceBytes) {
      block.append(reinterpret_cast<const char*>(p), v.iov_len);
      total += v.iov_len;
      continue;
    }
    if (auto ec = flush_block()) return {0, ec};
    IoResult r = write_all(p, v.iov_len);
    if (r.err) return {total + r.n, r.err};
    total += v.iov_len;
  }
  if (auto ec = flush_block()) return {0, ec};
  return {total, {}};
}

// close_write sends close_notify (Go's tls.Conn.CloseWrite), best effort, then FIN.
std::error_code TlsConn::close_write() noexcept {
  if (handshake_done_ && !closed()) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  return Conn::close_write();
}

}  // namespace httpkit::detail
