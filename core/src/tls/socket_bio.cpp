#include "tls/socket_bio.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <new>

// Each callback mirrors its counterpart in OpenSSL's crypto/bio/bss_sock.c (sock_read,
// sock_write, sock_ctrl, sock_new, sock_free) so that the record layer sees exactly
// what the socket BIO would have told it; only the write's flags differ.
namespace httpkit::detail {
namespace {

// State is what the BIO's data pointer holds: the descriptor (the socket BIO keeps it
// in BIO::num, a field that a BIO_METHOD outside libcrypto cannot reach) and where to
// report whether a read emptied the socket.
struct State {
  int fd = -1;
  bool* drained = nullptr;
};

State& state_of(BIO* b) { return *static_cast<State*>(BIO_get_data(b)); }
int fd_of(BIO* b) { return state_of(b).fd; }

// close_if_owned is sock_free's close: only a BIO set up with BIO_CLOSE owns its fd.
void close_if_owned(BIO* b) {
  if (BIO_get_shutdown(b) && BIO_get_init(b)) ::close(fd_of(b));
  BIO_set_init(b, 0);
}

// on_write: one send(2). On failure it returns the syscall's result (-1), as the socket
// BIO's write does, and asks for a retry only for the errors BIO_sock_should_retry
// deems transient (EAGAIN, EINTR...); EPIPE and ECONNRESET are final.
int on_write(BIO* b, const char* in, std::size_t len, std::size_t* written) {
  *written = 0;
  errno = 0;
  const ssize_t n = ::send(fd_of(b), in, len, MSG_NOSIGNAL);
  BIO_clear_retry_flags(b);
  if (n > 0) {
    *written = static_cast<std::size_t>(n);
    return 1;
  }
  if (BIO_sock_should_retry(static_cast<int>(n))) BIO_set_retry_write(b);
  return static_cast<int>(n);
}

// on_read: one recv(2). 0 bytes with no transient error marks end of input, which
// BIO_CTRL_EOF reports: SSL_OP_IGNORE_UNEXPECTED_EOF (tls_context.cpp) needs it to treat
// a bare FIN as a clean close.
int on_read(BIO* b, char* out, std::size_t len, std::size_t* readbytes) {
  *readbytes = 0;
  if (out == nullptr) return 0;
  errno = 0;
  State& st = state_of(b);
  const ssize_t n = ::recv(st.fd, out, len, 0);
  BIO_clear_retry_flags(b);
  if (st.drained != nullptr) {
    // TCP hands over all it holds: a short read emptied the socket, as EAGAIN says.
    *st.drained = n > 0 ? static_cast<std::size_t>(n) < len : BIO_sock_should_retry(static_cast<int>(n)) != 0;
  }
  if (n > 0) {
    *readbytes = static_cast<std::size_t>(n);
    return 1;
  }
  if (BIO_sock_should_retry(static_cast<int>(n))) {
    BIO_set_retry_read(b);
  } else if (n == 0) {
    BIO_set_flags(b, BIO_FLAGS_IN_EOF);
  }
  return static_cast<int>(n);
}

// on_ctrl answers what sock_ctrl answers. Nothing is buffered, so FLUSH (sent after each
// handshake flight) succeeds at once; PUSH/POP (BIO chains), PENDING and the kTLS
// controls get 0, the socket BIO's default, so OpenSSL never tries kTLS on this BIO.
long on_ctrl(BIO* b, int cmd, long num, void* ptr) {
  switch (cmd) {
    case BIO_C_SET_FD:
      close_if_owned(b);
      state_of(b).fd = *static_cast<int*>(ptr);
      BIO_set_shutdown(b, static_cast<int>(num));
      BIO_set_init(b, 1);
      return 1;
    case BIO_C_GET_FD:  // SSL_get_fd
      if (!BIO_get_init(b)) return -1;
      if (ptr != nullptr) *static_cast<int*>(ptr) = fd_of(b);
      return fd_of(b);
    case BIO_CTRL_GET_CLOSE:
      return BIO_get_shutdown(b);
    case BIO_CTRL_SET_CLOSE:
      BIO_set_shutdown(b, static_cast<int>(num));
      return 1;
    case BIO_CTRL_DUP:
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_EOF:
      return BIO_test_flags(b, BIO_FLAGS_IN_EOF) != 0 ? 1 : 0;
    default:
      return 0;
  }
}

int on_create(BIO* b) {
  BIO_set_init(b, 0);
  auto* st = new (std::nothrow) State;
  BIO_set_data(b, st);
  return st != nullptr ? 1 : 0;
}

int on_destroy(BIO* b) {
  if (b == nullptr) return 0;
  close_if_owned(b);
  delete static_cast<State*>(BIO_get_data(b));
  BIO_set_data(b, nullptr);
  return 1;
}

BIO_METHOD* make_method() {
  const int index = BIO_get_new_index();
  if (index == -1) return nullptr;
  // DESCRIPTOR: BIO_find_type finds it, so SSL_get_fd keeps working.
  BIO_METHOD* m = BIO_meth_new(index | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "httpkit socket");
  if (m == nullptr) return nullptr;
  BIO_meth_set_write_ex(m, on_write);
  BIO_meth_set_read_ex(m, on_read);
  BIO_meth_set_ctrl(m, on_ctrl);
  BIO_meth_set_create(m, on_create);
  BIO_meth_set_destroy(m, on_destroy);
  return m;
}

// method is built on first use (a function-local static: thread-safe) and kept for the
// life of the process, as OpenSSL keeps its own static BIO_METHODs.
const BIO_METHOD* method() {
  static BIO_METHOD* const m = make_method();
  return m;
}

}  // namespace

BIO* new_socket_bio(int fd, bool* drained) {
  const BIO_METHOD* m = method();
  if (m == nullptr) return nullptr;
  BIO* b = BIO_new(m);
  if (b == nullptr) return nullptr;
  BIO_set_fd(b, fd, BIO_NOCLOSE);
  state_of(b).drained = drained;
  return b;
}

}  // namespace httpkit::detail
