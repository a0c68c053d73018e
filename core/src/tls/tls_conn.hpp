// TlsConn: a Conn that speaks TLS over its socket (Go's tls.Conn as the server sees it).
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "httpkit/conn.hpp"
#include "httpkit/tls.hpp"

namespace httpkit::detail {

// TlsConn drives a non-blocking SSL on the socket it adopts. Every SSL call returns
// before the fiber parks (WANT_READ/WANT_WRITE then wait on the fd), so no SSL call is
// ever suspended half-way: the HTTP/2 reader fiber and writer fiber may use one
// TlsConn at once, as they use a plain Conn. Deadlines and close() work as for Conn.
class TlsConn final : public Conn {
 public:
  // Takes ownership of ssl (set up as a server for raw's socket).
  TlsConn(std::unique_ptr<Conn> raw, SSL* ssl);
  ~TlsConn() override;

  // handshake runs the server handshake on the calling fiber until done, a failure,
  // close() or deadline (errc::timeout); then tls() describes the connection.
  std::error_code handshake(TimePoint deadline);

  IoResult read(std::span<std::byte> buf) override;
  IoResult read_now(std::span<std::byte> buf) override;
  bool drained() const noexcept override;
  IoResult writev(std::span<const iovec> bufs) override;
  std::error_code close_write() noexcept override;
  const ConnectionState* tls() const noexcept override { return handshake_done_ ? &state_ : nullptr; }

 private:
  // kCoalesceBytes: small buffers of one writev are copied into one record up to this
  // size (a TLS record holds 16 KiB), so a head and a small body go in one record.
  static constexpr std::size_t kCoalesceBytes = 16 << 10;

  enum class Step { done, again, failed };
  Step wait_for(int ssl_result, TimePoint deadline, std::error_code& err);
  IoResult write_all(const std::byte* p, std::size_t n);
  void fill_state();

  SSL* ssl_;
  std::string block_;  // writev's coalescing buffer; one writer at a time
  bool bio_drained_ = false;  // the socket BIO's last read emptied the socket
  ConnectionState state_;
  bool handshake_done_ = false;
};

}  // namespace httpkit::detail
