// H2Client: a blocking HTTP/2 client for tests (nghttp2 client session), over TCP
// (h2c by prior knowledge) or TLS (ALPN), with the knobs tests need: streamed request
// bodies, trailers, RST_STREAM, client certificates, SNI, and raw bytes.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct nghttp2_session;

namespace httpkit::testing {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct H2Response {
  int status = 0;
  std::vector<int> informational;  // 1xx statuses, in order
  Fields headers;                  // lowercase names
  std::string body;
  Fields trailers;
  bool closed = false;             // the stream is over
  std::uint32_t rst_error = 0;     // RST_STREAM error code, when reset
  bool reset = false;
  std::optional<std::string> header(std::string_view name) const;
};

struct TlsClientOptions {
  std::vector<std::string> alpn = {"h2"};  // empty: no ALPN extension
  std::string sni = "localhost";
  std::string ca_file;                     // verify the server when set
  std::string cert_file, key_file;         // client certificate (mTLS)
  int max_version = 0;                     // e.g. TLS1_2_VERSION; 0: the library's
};

// Socket: a connected TCP socket, optionally TLS, with a timeout on every wait.
class Socket {
 public:
  Socket(int port, std::optional<TlsClientOptions> tls, std::chrono::milliseconds timeout);
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
  // handshake_error is the TLS failure, "" when the handshake succeeded.
  const std::string& handshake_error() const noexcept { return handshake_error_; }
  std::string alpn() const;
  // peer_subject is the server certificate's subject ("CN=localhost").
  std::string peer_subject() const;
  void send(std::string_view bytes);
  // send_together sends each part as its own write (over TLS: its own record) but in one
  // TCP segment (TCP_CORK), so the server reads them all at once.
  void send_together(std::initializer_list<std::string_view> parts);
  // recv returns 0 on EOF, -1 on timeout/error. A reset connection (ECONNRESET) counts
  // as EOF, and peer_reset() tells the two apart.
  long recv(char* buf, std::size_t n, std::chrono::milliseconds timeout);
  bool peer_reset() const noexcept { return peer_reset_; }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string handshake_error_;
  bool peer_reset_ = false;
};

class H2Client {
 public:
  explicit H2Client(int port, std::optional<TlsClientOptions> tls = std::nullopt,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
  H2Client(const H2Client&) = delete;
  H2Client& operator=(const H2Client&) = delete;
  ~H2Client();

  // submit starts a request. body: sent at once then END_STREAM (unless trailers or
  // open_body); open_body: the body is streamed later by send_data.
  std::int32_t submit(std::string method, std::string path, Fields headers = {},
                      std::optional<std::string> body = std::nullopt, Fields trailers = {}, bool open_body = false,
                      std::string authority = "localhost");
  void send_data(std::int32_t id, std::string data, bool end_stream);
  void reset(std::int32_t id, std::uint32_t error_code = 0x8 /* CANCEL */);
  void ping();
  // wait pumps the connection until the stream closed; throws on timeout.
  H2Response& wait(std::int32_t id);
  // pump_until pumps until pred() or the timeout or the connection's end; returns pred().
  bool pump_until(const std::function<bool()>& pred, std::chrono::milliseconds limit = std::chrono::seconds(10));
  H2Response& response(std::int32_t id) { return responses_[id]; }
  // get is submit + wait.
  H2Response& get(std::string path) { return wait(submit("GET", std::move(path))); }

  bool goaway() const noexcept { return goaway_; }
  std::int32_t goaway_last_stream() const noexcept { return goaway_last_; }
  std::uint32_t goaway_error() const noexcept { return goaway_error_; }
  bool eof() const noexcept { return eof_; }
  Socket& socket() noexcept { return sock_; }

 private:
  struct Outgoing {
    std::string data;
    std::size_t off = 0;
    bool end = false;
    bool deferred = false;
    Fields trailers;
  };
  bool pump_once(std::chrono::milliseconds timeout);
  void flush();
  friend struct H2ClientCallbacks;

  Socket sock_;
  nghttp2_session* session_ = nullptr;
  std::chrono::milliseconds timeout_;
  std::map<std::int32_t, H2Response> responses_;
  std::map<std::int32_t, Outgoing> outgoing_;
  bool goaway_ = false;
  std::int32_t goaway_last_ = -1;
  std::uint32_t goaway_error_ = 0;
  bool eof_ = false;
};

// Frame is one raw HTTP/2 frame for tests that must send what no client library
// would (RFC 9113 section 4.1 layout).
std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string_view payload);
inline constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// RawFrames reads frames off a Socket: read_frame returns {type, flags, stream,
// payload}, or type -1 at EOF or timeout.
struct RawFrame {
  int type = -1;
  std::uint8_t flags = 0;
  std::uint32_t stream = 0;
  std::string payload;
};
RawFrame read_frame(Socket& s, std::string& buffer, std::chrono::milliseconds timeout = std::chrono::seconds(5));
// read_until_goaway_or_rst reads frames until GOAWAY (returned), RST_STREAM on stream
// (returned) or EOF/timeout (type -1).
RawFrame read_until(Socket& s, std::string& buffer, const std::function<bool(const RawFrame&)>& pred,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));
// hpack_literal encodes one header field as a literal without indexing, new name
// (RFC 7541 section 6.2.2), names and values under 127 bytes.
std::string hpack_literal(std::string_view name, std::string_view value);

}  // namespace httpkit::testing
