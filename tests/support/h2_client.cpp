#include "support/h2_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <strings.h>

namespace httpkit::testing {

std::optional<std::string> H2Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return std::nullopt;
}

// ---- Socket ----

Socket::Socket(int port, std::optional<TlsClientOptions> tls, std::chrono::milliseconds timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) throw std::runtime_error("Socket: connect");
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (!tls) return;
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!tls->ca_file.empty()) {
    SSL_CTX_load_verify_locations(ctx_, tls->ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  }
  if (!tls->cert_file.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx_, tls->cert_file.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, tls->key_file.c_str(), SSL_FILETYPE_PEM);
  }
  if (tls->max_version) SSL_CTX_set_max_proto_version(ctx_, tls->max_version);
  std::string wire;
  for (const auto& p : tls->alpn) wire.append(1, static_cast<char>(p.size())).append(p);
  if (!wire.empty()) SSL_CTX_set_alpn_protos(ctx_, reinterpret_cast<const unsigned char*>(wire.data()), wire.size());
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  if (!tls->sni.empty()) SSL_set_tlsext_host_name(ssl_, tls->sni.c_str());
  if (!tls->ca_file.empty()) SSL_set1_host(ssl_, tls->sni.empty() ? "localhost" : tls->sni.c_str());
  if (SSL_connect(ssl_) != 1) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    handshake_error_ = buf[0] ? buf : "handshake failed";
    return;
  }
  // TLS 1.3 reports a rejected client certificate only after the handshake: an h2
  // server speaks first (SETTINGS), so peek at that to learn whether we were accepted.
  if (alpn() == "h2") {
    pollfd p{fd_, POLLIN, 0};
    char probe;
    if (::poll(&p, 1, 2000) > 0 && SSL_peek(ssl_, &probe, 1) <= 0) {
      char buf[256];
      ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
      handshake_error_ = buf[0] ? buf : "rejected after the handshake";
    }
  }
  ERR_clear_error();
}

Socket::~Socket() {
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  if (fd_ >= 0) ::close(fd_);
}

std::string Socket::alpn() const {
  if (!ssl_) return {};
  const unsigned char* p = nullptr;
  unsigned n = 0;
  SSL_get0_alpn_selected(ssl_, &p, &n);
  return std::string(reinterpret_cast<const char*>(p), n);
}

std::string Socket::peer_subject() const {
  X509* cert = ssl_ ? SSL_get0_peer_certificate(ssl_) : nullptr;
  if (!cert) return {};
  char buf[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  return buf;
}

void Socket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const long n = ssl_ ? SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()))
                        : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      if (!ssl_ && errno == EINTR) continue;
      throw std::runtime_error("Socket: send failed");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void Socket::send_together(std::initializer_list<std::string_view> parts) {
  int on = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
  for (std::string_view part : parts) send(part);
  int off = 0;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &off, sizeof off);  // uncorking sends what is held
}

long Socket::recv(char* buf, std::size_t n, std::chrono::milliseconds timeout) {
  if (!ssl_ || SSL_pending(ssl_) == 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return -1;
  }
  errno = 0;
  if (ssl_) {
    const int r = SSL_read(ssl_, buf, static_cast<int>(n));
    if (r > 0) return r;
    const int e = SSL_get_error(ssl_, r);
    ERR_clear_error();
    peer_reset_ = e == SSL_ERROR_SYSCALL && errno == ECONNRESET;
    return e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL || e == SSL_ERROR_SSL ? 0 : -1;
  }
  const ssize_t r = ::recv(fd_, buf, n, 0);
  peer_reset_ = r < 0 && errno == ECONNRESET;
  return r >= 0 ? r : (peer_reset_ ? 0 : -1);
}

// ---- H2Client ----

struct H2ClientCallbacks {
  static H2Client& self(void* u) { return *static_cast<H2Client*>(u); }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* u) {
    H2Response& r = self(u).responses_[frame->hd.stream_id];
    std::string n(reinterpret_cast<const char*>(name), namelen), v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") {
      const int code = std::stoi(v);
      if (code < 200) r.informational.push_back(code);
      else r.status = code;
      return 0;
    }
    if (frame->headers.cat == NGHTTP2_HCAT_HEADERS && r.status != 0) {
      r.trailers.emplace_back(std::move(n), std::move(v));
    } else {
      r.headers.emplace_back(std::move(n), std::move(v));
    }
    return 0;
  }
  static int on_data(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len, void* u) {
    self(u).responses_[id].body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }
  static int on_close(nghttp2_session*, int32_t id, uint32_t error_code, void* u) {
    H2Response& r = self(u).responses_[id];
    r.closed = true;
    if (error_code != 0) r.reset = true, r.rst_error = error_code;
    return 0;
  }
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* u) {
    if (frame->hd.type == NGHTTP2_RST_STREAM) {
      H2Response& r = self(u).responses_[frame->hd.stream_id];
      r.reset = true;
      r.rst_error = frame->rst_stream.error_code;
    }
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      self(u).goaway_ = true;
      self(u).goaway_last_ = frame->goaway.last_stream_id;
      self(u).goaway_error_ = frame->goaway.error_code;
    }
    return 0;
  }
  static ssize_t read_body(nghttp2_session* session, int32_t id, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source*, void* u) {
    auto& o = self(u).outgoing_[id];
    const size_t n = std::min(length, o.data.size() - o.off);
    std::copy_n(o.data.data() + o.off, n, buf);
    o.off += n;
    if (o.off == o.data.size()) {
      if (!o.end) {
        if (n == 0) {
          o.deferred = true;
          return NGHTTP2_ERR_DEFERRED;
        }
        return static_cast<ssize_t>(n);
      }
      *flags |= NGHTTP2_DATA_FLAG_EOF;
      if (!o.trailers.empty()) {
        *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
        std::vector<nghttp2_nv> nva;
        for (auto& [k, v] : o.trailers) {
          nva.push_back({reinterpret_cast<uint8_t*>(k.data()), reinterpret_cast<uint8_t*>(v.data()), k.size(), v.size(),
                         NGHTTP2_NV_FLAG_NONE});
        }
        nghttp2_submit_trailer(session, id, nva.data(), nva.size());
      }
    }
    return static_cast<ssize_t>(n);
  }
};

H2Client::H2Client(int port, std::optional<TlsClientOptions> tls, std::chrono::milliseconds timeout)
    : sock_(port, std::move(tls), timeout), timeout_(timeout) {
  nghttp2_session_callbacks* cb = nullptr;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(cb, H2ClientCallbacks::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, H2ClientCallbacks::on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, H2ClientCallbacks::on_close);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, H2ClientCallbacks::on_frame_recv);
  nghttp2_session_client_new(&session_, cb, this);
  nghttp2_session_callbacks_del(cb);
  // Large windows, as curl and browsers use, so downloads are not the bottleneck.
  nghttp2_settings_entry s[] = {{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 24}};
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, s, 1);
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, 1 << 26);
  if (sock_.handshake_error().empty()) flush();
}

H2Client::~H2Client() { nghttp2_session_del(session_); }

std::int32_t H2Client::submit(std::string method, std::string path, Fields headers, std::optional<std::string> body,
                              Fields trailers, bool open_body, std::string authority) {
  Fields all = {{":method", std::move(method)}, {":scheme", "https"}, {":path", std::move(path)}};
  if (!authority.empty()) all.emplace_back(":authority", std::move(authority));
  for (auto& h : headers) all.push_back(std::move(h));
  std::vector<nghttp2_nv> nva;
  for (auto& [k, v] : all) {
    nva.push_back({reinterpret_cast<uint8_t*>(k.data()), reinterpret_cast<uint8_t*>(v.data()), k.size(), v.size(),
                   NGHTTP2_NV_FLAG_NONE});
  }
  nghttp2_data_provider prd{};
  prd.read_callback = H2ClientCallbacks::read_body;
  const bool has_body = body.has_value() || open_body;
  const int32_t id = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), has_body ? &prd : nullptr, this);
  if (id < 0) throw std::runtime_error("H2Client: submit failed");
  responses_[id];
  if (has_body) outgoing_[id] = Outgoing{body.value_or(""), 0, !open_body, false, std::move(trailers)};
  flush();
  return id;
}

void H2Client::send_data(std::int32_t id, std::string data, bool end_stream) {
  auto& o = outgoing_[id];
  o.data.append(data);
  o.end = end_stream;
  if (o.deferred) {
    o.deferred = false;
    nghttp2_session_resume_data(session_, id);
  }
  flush();
}

void H2Client::reset(std::int32_t id, std::uint32_t error_code) {
  nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, error_code);
  flush();
}

void H2Client::ping() {
  nghttp2_submit_ping(session_, NGHTTP2_FLAG_NONE, nullptr);
  flush();
}

void H2Client::flush() {
  for (;;) {
    const uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n <= 0) return;
    try {
      sock_.send(std::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(n)));
    } catch (const std::exception&) {
      eof_ = true;
      return;
    }
  }
}

bool H2Client::pump_once(std::chrono::milliseconds timeout) {
  char buf[65536];
  const long n = sock_.recv(buf, sizeof buf, timeout);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  if (n < 0) return false;
  nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(buf), static_cast<size_t>(n));
  flush();
  return true;
}

bool H2Client::pump_until(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!pred() && !eof_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pump_once(std::min(left, std::chrono::milliseconds(50)));
  }
  return pred();
}

H2Response& H2Client::wait(std::int32_t id) {
  if (!pump_until([&] { return responses_[id].closed; }, timeout_)) {
    throw std::runtime_error("H2Client: stream " + std::to_string(id) + " did not finish");
  }
  return responses_[id];
}

// ---- raw frames ----

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string_view payload) {
  std::string f;
  const auto len = static_cast<std::uint32_t>(payload.size());
  f.push_back(static_cast<char>(len >> 16));
  f.push_back(static_cast<char>(len >> 8));
  f.push_back(static_cast<char>(len));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) f.push_back(static_cast<char>((stream >> shift) & 0x7f));
  f.append(payload);
  return f;
}

RawFrame read_frame(Socket& s, std::string& buffer, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (buffer.size() >= 9) {
      const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(buffer[i]); };
      const std::size_t len = (std::size_t{b(0)} << 16) | (std::size_t{b(1)} << 8) | b(2);
      if (buffer.size() >= 9 + len) {
        RawFrame f{b(3), b(4), ((std::uint32_t{b(5)} & 0x7f) << 24) | (std::uint32_t{b(6)} << 16) |
                                   (std::uint32_t{b(7)} << 8) | b(8),
                   buffer.substr(9, len)};
        buffer.erase(0, 9 + len);
        return f;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    char tmp[16384];
    const long n = s.recv(tmp, sizeof tmp, left);
    if (n <= 0) return {};
    buffer.append(tmp, static_cast<std::size_t>(n));
  }
}

RawFrame read_until(Socket& s, std::string& buffer, const std::function<bool(const RawFrame&)>& pred,
                    std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    RawFrame f = read_frame(s, buffer, std::max(left, std::chrono::milliseconds(1)));
    if (f.type < 0 || pred(f)) return f;
  }
}

std::string hpack_literal(std::string_view name, std::string_view value) {
  std::string out(1, '\0');  // literal without indexing, new name
  out.push_back(static_cast<char>(name.size()));
  out.append(name);
  out.push_back(static_cast<char>(value.size()));
  out.append(value);
  return out;
}

}  // namespace httpkit::testing

