// The ways an Http1Conn becomes something else: the TLS handshake, ALPN "h2", the h2c
// connection preface and "Upgrade: h2c".
#include <openssl/evp.h>

#include <fmt/format.h>

#include "http2/http2_conn.hpp"
#include "runtime/scheduler.hpp"
#include "server/http1_conn.hpp"
#include "tls/tls_context.hpp"

namespace httpkit::detail {
namespace {

// decode_base64url decodes HTTP2-Settings (RFC 7540 section 3.2.1: base64url, no padding).
bool decode_base64url(std::string_view in, std::string& out) {
  std::string b64(in);
  for (char& c : b64) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '=' || c == '+' || c == '/') return false;
  }
  const std::size_t pad = (4 - b64.size() % 4) % 4;
  if (pad == 3) return false;
  b64.append(pad, '=');
  out.resize(b64.size() / 4 * 3);
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out.size() % 6 == 0;  // SETTINGS entries are 6 bytes (RFC 9113 section 6.5.1)
}

bool quiet_handshake_error(std::error_code ec) {
  return ec == errc::eof || ec == errc::unexpected_eof || ec == errc::closed;
}

}  // namespace

// handshake runs the TLS server handshake on this fiber (Go's conn.serve does it
// first, under tlsHandshakeTimeout). Failures are logged as Go logs them.
bool Http1Conn::handshake() {
  auto tls = config_->tls->wrap(std::move(conn_));
  auto ec = tls->handshake(Clock::now() + config_->tls->handshake_timeout());
  conn_ = std::move(tls);
  if (ec) {
    if (!quiet_handshake_error(ec)) {
      log(fmt::format("http: TLS handshake error from {}: {}", conn_->remote_addr(), ec.message()));
    }
    return false;
  }
  handshake_done_ = true;
  conn_->set_read_deadline({});
  conn_->set_write_deadline({});
  return true;
}

// prior_knowledge_pending: h2c is on and what arrived so far is the start of the
// connection preface on a connection that has served nothing yet.
bool Http1Conn::prior_knowledge_pending() const noexcept {
  if (!config_->enable_h2c || config_->tls || served_any_) return false;
  const std::string_view in = ex_->in.view();
  const std::size_t n = std::min(in.size(), kClientPreface.size());
  return in.substr(0, n) == kClientPreface.substr(0, n);
}

// broken_h2_preface: on a cleartext h2c listener, the connection's first line, which
// the HTTP/1.1 parser refused, names no HTTP version at all. Such a client speaks no
// HTTP/1.x: most likely it is an HTTP/2 client whose connection preface is wrong, a
// connection error (RFC 9113 section 3.4) with no session to send GOAWAY on. It gets
// the connection closed, not an HTTP/1.1 400 that it would read as a frame (decision 0055).
bool Http1Conn::broken_h2_preface() const noexcept {
  if (!config_->enable_h2c || config_->tls || served_any_) return false;
  const std::string_view in = ex_->in.view();
  const std::size_t eol = in.find('\n');
  if (eol == std::string_view::npos) return false;  // refused before its end (too long): HTTP/1.1's 4xx
  std::string_view line = in.substr(0, eol);
  if (line.ends_with('\r')) line.remove_suffix(1);
  const std::size_t sp = line.rfind(' ');
  return sp == std::string_view::npos || !line.substr(sp + 1).starts_with("HTTP/");
}

// wants_h2c_upgrade: an HTTP/1.1 request on a cleartext connection with
// "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings" and exactly one valid
// HTTP2-Settings (RFC 7540 section 3.2). Requests with a body stay on HTTP/1.1: the
// server may ignore an upgrade, and buffering the body to replay it is not worth it.
bool Http1Conn::wants_h2c_upgrade(const http1::BodyFraming& framing) {
  if (!config_->enable_h2c || config_->tls || framing.kind != http1::BodyKind::none) return false;
  // RFC 9110 section 7.8: a server MUST ignore Upgrade in an HTTP/1.0 request.
  if (!ex_->req.proto_at_least(1, 1)) return false;
  const Header& h = ex_->req.header();
  if (!header_values_contain_token(h.get("Upgrade"), "h2c")) return false;
  const std::string_view connection = h.get("Connection");
  if (!header_values_contain_token(connection, "Upgrade") || !header_values_contain_token(connection, "HTTP2-Settings")) {
    return false;
  }
  const auto settings = h.values("HTTP2-Settings");
  return settings.size() == 1 && decode_base64url(settings[0], h2c_settings_);
}

void Http1Conn::upgrade_h2c() {
  Request& r = ex_->req;
  auto up = std::make_unique<H2Upgrade>();
  up->settings = std::move(h2c_settings_);
  up->method.assign(r.method());
  up->target.assign(r.request_uri());
  up->host.assign(r.host());
  for (const auto& f : r.header()) up->header.add(f.name, f.value);
  ex_->out.append("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
  if (write_out()) return finish_close();
  hand_off_h2(ex_->in.view(), std::move(up));
}

// hand_off_h2 gives the socket, the connection context and the bytes already read to
// a new Http2Conn, which takes this connection's place in the server's tracking.
void Http1Conn::hand_off_h2(std::string_view initial, std::unique_ptr<H2Upgrade> upgrade) {
  auto* h2 = new Http2Conn(server_, config_, std::move(conn_), std::move(conn_ctx_), std::move(cancel_conn_ctx_));
  std::string bytes(initial);
  server_->replace(this, h2);
  release_exchange();
  h2->start(std::move(bytes), std::move(upgrade));
  delete this;
}

}  // namespace httpkit::detail
