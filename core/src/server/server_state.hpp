// ServerState: what a Server shares with its accept loops and connections.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "httpkit/http2.hpp"
#include "httpkit/server.hpp"

namespace httpkit::detail {

class ServerConn;
class TlsServerContext;

// ServerConfig is the Server's public settings, copied when serve starts so that
// connections read an immutable snapshot (Go reads the fields live; a copy avoids
// data races between a serving thread and a caller changing a field).
struct ServerConfig {
  Handler handler;
  Duration read_timeout{};
  Duration read_header_timeout{};
  Duration write_timeout{};
  Duration idle_timeout{};
  std::size_t max_header_bytes = Server::kDefaultMaxHeaderBytes;
  bool keep_alives_enabled = true;
  std::function<void(const Conn&, ConnState)> conn_state;
  std::function<Context(Context, const Conn&)> conn_context;
  std::function<void(std::string_view)> error_log;
  // tls is set for serve_tls: connections start with a handshake.
  std::shared_ptr<const TlsServerContext> tls;
  bool http2_enabled = true;  // h2 over TLS via ALPN (!disable_http2)
  bool enable_h2c = false;    // cleartext h2: prior knowledge and Upgrade: h2c
  Http2Config http2;

  // Go's fallbacks: the header and idle waits default to read_timeout.
  Duration header_timeout() const noexcept { return read_header_timeout.count() ? read_header_timeout : read_timeout; }
  Duration idle_wait() const noexcept { return idle_timeout.count() ? idle_timeout : read_timeout; }
  void log(std::string_view message) const;
};

struct ServerState {
  std::atomic<bool> shutting_down{false};

  std::mutex mu;  // guards everything below
  std::vector<Listener*> listeners;  // being served; owned by their serve() frames
  std::vector<ServerConn*> conns;    // open, not hijacked
  std::vector<std::function<void()>> on_shutdown;
  int serving = 0;

  void track(ServerConn* c);
  void untrack(ServerConn* c);
  // replace swaps an HTTP/1 connection for the HTTP/2 one that takes its socket.
  void replace(ServerConn* old_conn, ServerConn* new_conn);
  // close_listeners_locked stops every accept loop (shutdown and close).
  void close_listeners_locked();
};

}  // namespace httpkit::detail
