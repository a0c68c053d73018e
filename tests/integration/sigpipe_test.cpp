// A client that resets its connection must never end the server process with SIGPIPE
// (docs/decisions/0047-no-sigpipe.md). Every test runs with SIGPIPE at its default
// action, which ends the process: if any server write raised it, this binary dies and
// the test fails.
//
// How the client leaves: it half-closes (FIN), then closes with SO_LINGER 0 (RST). The
// FIN puts the server's socket in CLOSE_WAIT, and a reset received there makes the very
// next write fail with EPIPE, the error that comes with SIGPIPE. A bare reset on an
// established connection reports ECONNRESET first (no signal) and EPIPE only on the
// write after it, so the tests run that variant as well.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/test/server.hpp"
#include "support/h2_client.hpp"
#include "support/raw_client.hpp"
#include "tls/socket_bio.hpp"

using namespace httpkit;
using namespace httpkit::testing;
using namespace std::chrono_literals;

namespace {

// kBodyBytes: far more than loopback socket buffers hold (tcp_wmem + tcp_rmem maxima
// are 4 + 6 MiB by default), so the handler is still writing when the reset arrives.
// Writing stops at the first error, so the body is never produced in full.
constexpr std::size_t kBodyBytes = 64 << 20;
constexpr std::size_t kChunkBytes = 64 << 10;
// kRounds: each case resets this many connections, one after another, before it asks
// the server for a page; one SIGPIPE in any round ends the process.
constexpr int kRounds = 5;

enum class Leave { half_close_then_reset, reset };

// default_sigpipe puts SIGPIPE back to its default action (ctest may inherit "ignore"
// from its parent, which would hide the bug) and checks that it is.
void default_sigpipe() {
  REQUIRE(std::signal(SIGPIPE, SIG_DFL) != SIG_ERR);
  struct sigaction now {};
  REQUIRE(::sigaction(SIGPIPE, nullptr, &now) == 0);
  REQUIRE(now.sa_handler == SIG_DFL);
}

// reset_socket ends the client side of fd as described at the top of this file; fd is closed.
void reset_socket(int fd, Leave how) {
  if (how == Leave::half_close_then_reset) ::shutdown(fd, SHUT_WR);
  linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
}

// local_addr is fd's own address as the server sees it ("127.0.0.1:PORT").
std::string local_addr(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  return format_sockaddr(&ss, len);
}

// ClosedConns records, by client address, the connections the server has closed, so a
// test can wait until the server is done with (and has written to) a reset connection.
class ClosedConns {
 public:
  std::function<void(Server&)> hook() {
    return [this](Server& s) {
      s.conn_state = [this](const Conn& c, ConnState st) {
        if (st != ConnState::Closed) return;
        std::lock_guard lock(mu_);
        closed_.insert(c.remote_addr());
        cv_.notify_all();
      };
    };
  }
  bool wait_for(const std::string& addr) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 20s, [&] { return closed_.contains(addr); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> closed_;  // guarded by mu_
};

// big_body answers /big with kBodyBytes, flushing each chunk, and notes whether a write
// failed (the client left); any other path gets "alive".
Handler big_body(std::atomic<int>& failed_writes) {
  return [&failed_writes](ResponseWriter& w, Request& r) {
    if (r.url().path != "/big") {
      w.write("alive");
      return;
    }
    const std::string chunk(kChunkBytes, 'x');
    ResponseController rc(w);
    for (std::size_t sent = 0; sent < kBodyBytes; sent += chunk.size()) {
      if (w.write(chunk).err || rc.flush()) {
        ++failed_writes;
        return;
      }
    }
  };
}

// TlsClient: a blocking TLS client whose socket the test resets itself. It only writes
// before it resets, so its own writes cannot meet a closed connection.
class TlsClient {
 public:
  TlsClient(int port, std::string_view alpn_wire, int max_version) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int small = 64 << 10;  // a small window keeps the server writing sooner
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) throw std::runtime_error("connect");
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (max_version) SSL_CTX_set_max_proto_version(ctx_, max_version);
    SSL_CTX_set_alpn_protos(ctx_, reinterpret_cast<const unsigned char*>(alpn_wire.data()),
                            static_cast<unsigned>(alpn_wire.size()));
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "localhost");
    if (SSL_connect(ssl_) != 1) throw std::runtime_error("TLS handshake failed");
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }

  std::string alpn() const {
    const unsigned char* p = nullptr;
    unsigned n = 0;
    SSL_get0_alpn_selected(ssl_, &p, &n);
    return {reinterpret_cast<const char*>(p), n};
  }
  void send(std::string_view s) {
    if (SSL_write(ssl_, s.data(), static_cast<int>(s.size())) != static_cast<int>(s.size())) {
      throw std::runtime_error("SSL_write");
    }
  }
  // read_until reads until the decrypted bytes contain needle.
  void read_until(std::string_view needle) {
    std::string got;
    char buf[4096];
    while (got.find(needle) == std::string::npos) {
      const int n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("SSL_read: closed before \"" + std::string(needle) + "\"");
      got.append(buf, static_cast<std::size_t>(n));
    }
  }
  // leave resets the connection (SSL_free later sends nothing: no close_notify).
  std::string leave(Leave how) {
    std::string addr = local_addr(fd_);
    reset_socket(std::exchange(fd_, -1), how);
    return addr;
  }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

constexpr std::string_view kAlpnH2 = "\x02h2";
constexpr std::string_view kAlpnHttp11 = "\x08http/1.1";

std::string_view to_string(Leave how) {
  return how == Leave::half_close_then_reset ? "half-close, then reset" : "reset";
}

// BioAnswers is what a BIO over one end of a socket pair answers through a fixed
// sequence of calls (probe_bio), so the TLS socket BIO can be compared with OpenSSL's.
struct BioAnswers {
  int read_nothing = 0;  // nothing to read yet: -1, retry on read
  bool read_retry = false;
  int write_ok = 0;
  long flush = 0, get_close = 0, pending = 0, push = 0;
  bool gives_fd = false;  // BIO_get_fd (SSL_get_fd) returns the socket
  int read_data = 0, read_eof = 0;  // 1 byte, then 0 after the peer's FIN
  bool eof_retry = false;
  long eof = 0;
  int write_gone = 0;  // after the peer closed: -1 with EPIPE, no retry
  int write_gone_errno = 0;
  bool write_gone_retry = false;
  bool operator==(const BioAnswers&) const = default;
};

BioAnswers probe_bio(BIO* (*make)(int fd)) {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
  BIO* b = make(sv[0]);
  REQUIRE(b != nullptr);
  BioAnswers a;
  char buf[16];
  a.read_nothing = BIO_read(b, buf, sizeof buf);
  a.read_retry = BIO_should_retry(b) && BIO_should_read(b);
  a.write_ok = BIO_write(b, "hi", 2);
  a.flush = BIO_flush(b);
  a.get_close = BIO_get_close(b);
  a.gives_fd = BIO_get_fd(b, nullptr) == sv[0];
  a.pending = BIO_pending(b);
  a.push = BIO_ctrl(b, BIO_CTRL_PUSH, 0, nullptr);
  REQUIRE(::send(sv[1], "x", 1, MSG_NOSIGNAL) == 1);
  ::shutdown(sv[1], SHUT_WR);
  a.read_data = BIO_read(b, buf, sizeof buf);
  a.read_eof = BIO_read(b, buf, sizeof buf);
  a.eof_retry = BIO_should_retry(b);
  a.eof = BIO_eof(b);
  ::close(sv[1]);
  a.write_gone = BIO_write(b, "hi", 2);
  a.write_gone_errno = errno;
  a.write_gone_retry = BIO_should_retry(b);
  BIO_free(b);
  ::close(sv[0]);
  return a;
}

}  // namespace

// The BIO under every TlsConn answers OpenSSL's record layer as BIO_s_socket would
// (retry flags on EAGAIN, EOF for SSL_OP_IGNORE_UNEXPECTED_EOF, ctrl answers), except
// that its write to a gone peer fails with EPIPE and raises no signal.
TEST_CASE("sigpipe: the TLS socket BIO answers as OpenSSL's socket BIO does, without SIGPIPE") {
  // OpenSSL's own BIO raises SIGPIPE on the last write: ignored for its turn only.
  REQUIRE(std::signal(SIGPIPE, SIG_IGN) != SIG_ERR);
  const BioAnswers stock = probe_bio([](int fd) { return BIO_new_socket(fd, BIO_NOCLOSE); });
  default_sigpipe();
  const BioAnswers ours = probe_bio([](int fd) { return detail::new_socket_bio(fd); });
  CHECK(ours == stock);
  CHECK(ours.read_nothing == -1);
  CHECK(ours.read_retry);
  CHECK(ours.write_ok == 2);
  CHECK(ours.flush == 1);
  CHECK(ours.get_close == BIO_NOCLOSE);
  CHECK(ours.gives_fd);
  CHECK(ours.read_data == 1);
  CHECK(ours.read_eof == 0);
  CHECK_FALSE(ours.eof_retry);
  CHECK(ours.eof == 1);
  CHECK(ours.write_gone == -1);
  CHECK(ours.write_gone_errno == EPIPE);
  CHECK_FALSE(ours.write_gone_retry);
}

TEST_CASE("sigpipe: an HTTP/1.1 client that resets during a large body does not end the server") {
  default_sigpipe();
  const Leave how = GENERATE(Leave::half_close_then_reset, Leave::reset);
  INFO("the client leaves by " << to_string(how));
  std::atomic<int> failed_writes{0};
  ClosedConns closed;
  test::Server srv(test::Mode::http1, big_body(failed_writes), closed.hook());
  for (int round = 0; round < kRounds; ++round) {
    RawClient c(srv.port());
    const int small = 64 << 10;
    ::setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    c.wait_for("\r\n\r\n");  // the handler is writing
    const std::string addr = local_addr(c.fd());
    const int fd = ::dup(c.fd());
    c.close();
    reset_socket(fd, how);
    REQUIRE(closed.wait_for(addr));
  }
  CHECK(failed_writes == kRounds);
  const ParsedResponse r = http_get(srv.port(), "/");
  CHECK(r.status == 200);
  CHECK(r.body == "alive");
}

TEST_CASE("sigpipe: an HTTP/1.1-over-TLS client that resets during a large body does not end the server") {
  default_sigpipe();
  const Leave how = GENERATE(Leave::half_close_then_reset, Leave::reset);
  INFO("the client leaves by " << to_string(how));
  std::atomic<int> failed_writes{0};
  ClosedConns closed;
  test::Server srv(test::Mode::https1, big_body(failed_writes), closed.hook());
  for (int round = 0; round < kRounds; ++round) {
    TlsClient c(srv.port(), kAlpnHttp11, 0);
    c.send("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n");
    c.read_until("\r\n\r\n");  // the handler is writing
    REQUIRE(closed.wait_for(c.leave(how)));
  }
  CHECK(failed_writes == kRounds);
  TlsClient c(srv.port(), kAlpnHttp11, 0);
  c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  c.read_until("alive");
}

// The Chromium preconnect: a TLS socket opened ahead of need and closed right after the
// handshake, while the server's next write (TLS 1.3 session tickets, then the HTTP/2
// SETTINGS frame) is under way.
TEST_CASE("sigpipe: an h2 client that resets right after the TLS handshake does not end the server") {
  default_sigpipe();
  const Leave how = GENERATE(Leave::half_close_then_reset, Leave::reset);
  INFO("the client leaves by " << to_string(how));
  // TLS 1.2: the server's handshake ends with its own Finished, before the client's,
  // so all it writes after the client left is HTTP/2 (SETTINGS first). 0: TLS 1.3.
  const int max_version = GENERATE(0, TLS1_2_VERSION);
  INFO("max TLS version " << max_version);
  std::atomic<int> failed_writes{0};
  ClosedConns closed;
  test::Server srv(test::Mode::h2, big_body(failed_writes), closed.hook());
  for (int round = 0; round < kRounds; ++round) {
    TlsClient c(srv.port(), kAlpnH2, max_version);
    REQUIRE(c.alpn() == "h2");
    REQUIRE(closed.wait_for(c.leave(how)));
  }
  H2Client c(srv.port(), TlsClientOptions{{"h2"}});
  H2Response& r = c.get("/");
  CHECK(r.status == 200);
  CHECK(r.body == "alive");
}
