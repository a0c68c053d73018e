// Server: serves HTTP on listeners with Go's settings, states and shutdown (http.Server).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "httpkit/conn.hpp"
#include "httpkit/context.hpp"
#include "httpkit/handler.hpp"
#include "httpkit/http2.hpp"
#include "httpkit/listener.hpp"
#include "httpkit/tls.hpp"

namespace httpkit {

// ConnState is a connection's state as reported to Server::conn_state (Go's ConnState):
// New -> Active -> Idle -> Active -> ... -> Closed, or -> Hijacked (then never Closed).
// An HTTP/2 connection is Active while at least one stream is open and Idle when none
// is, as in Go.
enum class ConnState { New, Active, Idle, Hijacked, Closed };
std::string_view to_string(ConnState s) noexcept;

namespace detail {
struct ServerState;
class TlsServerContext;
}

// Server serves HTTP/1.1 and HTTP/2 (over TLS by ALPN; cleartext h2c when enabled).
// A handler cannot tell them apart except by r.proto(). Its public fields are settings, read when serving starts:
// set them before calling serve or listen_and_serve. One Server may serve several
// listeners at once. shutdown and close are thread-safe and may be called at any time,
// before, during or after serving, and more than once.
class Server {
 public:
  // addr is where listen_and_serve listens (Go's syntax); "" means ":http" (port 80).
  std::string addr;
  // handler answers every request; empty means every request gets 404.
  Handler handler;

  // The five timeouts, exactly as Go's (a zero Duration means no limit):
  // read_timeout bounds reading the whole request, head and body;
  // read_header_timeout bounds reading the head (zero: read_timeout applies);
  // write_timeout bounds writing the response, from the end of the request head;
  // idle_timeout bounds waiting for the next request on a keep-alive connection
  // (zero: read_timeout applies).
  Duration read_timeout{};
  Duration read_header_timeout{};
  Duration write_timeout{};
  Duration idle_timeout{};
  // max_header_bytes bounds the request line and header fields; larger heads get 431.
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;
  // keep_alives_enabled = false closes every connection after one request
  // (Go's SetKeepAlivesEnabled(false)).
  bool keep_alives_enabled = true;

  // conn_state is called on every state change, on the connection's fiber.
  std::function<void(const Conn&, ConnState)> conn_state;
  // base_context gives the root context of requests on a listener (default background).
  std::function<Context(const Listener&)> base_context;
  // conn_context derives a connection's context from the base one.
  std::function<Context(Context, const Conn&)> conn_context;
  // error_log receives the server's own errors (a handler that threw, a superfluous
  // write_header); default: spdlog's default logger at error level.
  std::function<void(std::string_view)> error_log;

  // tls_config configures serve_tls and listen_and_serve_tls (Go's TLSConfig); the
  // cert and key arguments of those calls fill cert_file and key_file when non-empty.
  TlsConfig tls_config;
  // disable_http2 keeps TLS connections on HTTP/1.1 ("h2" is not offered by ALPN).
  bool disable_http2 = false;
  // enable_h2c serves cleartext HTTP/2 on plain listeners: by prior knowledge (the
  // client starts with the connection preface, RFC 9113 section 3.3) and by
  // "Upgrade: h2c" on a request without a body (RFC 7540 section 3.2).
  bool enable_h2c = false;
  // http2 holds the HTTP/2 settings and attack limits.
  Http2Config http2;

  static constexpr std::size_t kDefaultMaxHeaderBytes = std::size_t{1} << 20;  // Go's DefaultMaxHeaderBytes

  Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // The destructor closes the server (close()).
  ~Server();

  // listen_and_serve listens on addr (or adopts socket-activation sockets passed in
  // LISTEN_FDS, which the dev loop uses) and serves until shutdown or close; then
  // returns errc::server_closed. Blocks the calling fiber or thread.
  std::error_code listen_and_serve();
  // serve accepts connections on l and serves each on its own fiber, spreading them
  // over every scheduler thread. Returns errc::server_closed after shutdown/close.
  std::error_code serve(Listener l);
  // listen_and_serve_tls and serve_tls serve HTTPS (Go's ListenAndServeTLS/ServeTLS):
  // each connection's handshake runs on its fiber under tls_config.handshake_timeout,
  // then ALPN picks HTTP/2 or HTTP/1.1. A bad certificate or setting is returned
  // before anything is served. addr "" means ":https" (port 443).
  std::error_code listen_and_serve_tls(const std::string& cert_file = {}, const std::string& key_file = {});
  std::error_code serve_tls(Listener l, const std::string& cert_file = {}, const std::string& key_file = {});

  // shutdown stops accepting, closes idle connections, and waits for active ones to
  // finish and close, or for ctx to end; it then returns ctx's error (or nothing).
  // Requests in flight complete; their connections close after the response.
  std::error_code shutdown(const Context& ctx = Context::background());
  // close stops accepting and closes every connection at once, active or not.
  std::error_code close();
  // register_on_shutdown adds a function shutdown calls (on its own fiber), for
  // connections the server no longer tracks (hijacked ones, WebSockets).
  void register_on_shutdown(std::function<void()> fn);

  // serving reports whether at least one serve call is running (tests, readiness).
  bool serving() const noexcept;

 private:
  std::error_code serve_with(Listener l, std::shared_ptr<const detail::TlsServerContext> tls);
  std::shared_ptr<detail::ServerState> state_;
};

}  // namespace httpkit
