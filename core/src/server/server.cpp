// Server: accept loops on every scheduler, connection tracking, shutdown and close.
#include "httpkit/server.hpp"

#include <algorithm>
#include <random>

#include <spdlog/spdlog.h>

#include "httpkit/runtime.hpp"
#include "httpkit/wait_group.hpp"
#include "runtime/scheduler.hpp"
#include "server/http1_conn.hpp"
#include "server/server_state.hpp"
#include "tls/tls_context.hpp"

namespace httpkit {
namespace detail {

void ServerConfig::log(std::string_view message) const {
  if (error_log) {
    error_log(message);
  } else {
    spdlog::error("{}", message);
  }
}

void ServerState::track(ServerConn* c) {
  std::lock_guard lock(mu);
  conns.push_back(c);
}

void ServerState::replace(ServerConn* old_conn, ServerConn* new_conn) {
  std::lock_guard lock(mu);
  std::replace(conns.begin(), conns.end(), old_conn, new_conn);
}

void ServerState::untrack(ServerConn* c) {
  std::lock_guard lock(mu);
  if (auto it = std::find(conns.begin(), conns.end(), c); it != conns.end()) {
    *it = conns.back();
    conns.pop_back();
  }
}

void ServerState::close_listeners_locked() {
  for (Listener* l : listeners) l->close();
}

}  // namespace detail

namespace {

using detail::Http1Conn;
using detail::ServerConfig;
using detail::ServerConn;
using detail::ServerState;

// kShutdownPollMax: shutdown checks for idle connections at growing intervals up to
// this (Go's shutdownPollIntervalMax, 500 ms), with jitter so many servers do not poll
// in lockstep.
constexpr auto kShutdownPollMax = std::chrono::milliseconds(500);

// accept_loop runs on one scheduler; each connection it accepts is served there.
std::error_code accept_loop(Listener& l, const std::shared_ptr<ServerState>& state,
                            const std::shared_ptr<const ServerConfig>& config, const Context& base) {
  for (;;) {
    auto conn = l.accept();
    if (!conn) {
      if (conn.error() == errc::closed || state->shutting_down.load()) return {};
      l.close();  // stop the other schedulers' loops too: serve returns this error
      return conn.error();
    }
    auto* c = new Http1Conn(state, config, std::move(*conn), base);
    c->start();
  }
}

// close_idle_conns closes idle connections (and new ones silent for over 5 s, as Go);
// true when no connection is left.
bool close_idle_conns(ServerState& state) {
  std::lock_guard lock(state.mu);
  const TimePoint now = Clock::now();
  for (ServerConn* c : state.conns) {
    const ConnState s = c->state();
    if (s == ConnState::Idle || (s == ConnState::New && now - c->new_since() > Http1Conn::kNewConnGrace)) {
      c->close_idle_from_server();
    }
  }
  return state.conns.empty();
}

}  // namespace

std::string_view to_string(ConnState s) noexcept {
  switch (s) {
    case ConnState::New: return "new";
    case ConnState::Active: return "active";
    case ConnState::Idle: return "idle";
    case ConnState::Hijacked: return "hijacked";
    case ConnState::Closed: return "closed";
  }
  return "unknown";
}

Server::Server() : state_(std::make_shared<ServerState>()) {}

Server::~Server() { close(); }

std::error_code Server::listen_and_serve() {
  if (state_->shutting_down.load()) return errc::server_closed;
  auto activated = Listener::from_systemd();
  if (!activated.empty()) {
    // Serve every inherited socket; this call returns when all of them are done.
    WaitGroup wg;
    std::error_code first_error;
    std::mutex mu;
    wg.add(static_cast<int>(activated.size()));
    for (auto& l : activated) {
      go([&, l = &l] {
        auto ec = serve(std::move(*l));
        {
          std::lock_guard lock(mu);
          if (!first_error) first_error = ec;
        }
        wg.done();
      });
    }
    wg.wait();
    return first_error;
  }
  auto l = Listener::listen(addr.empty() ? ":80" : addr);
  if (!l) return l.error();
  return serve(std::move(*l));
}

std::error_code Server::serve(Listener l) { return serve_with(std::move(l), nullptr); }

std::error_code Server::listen_and_serve_tls(const std::string& cert_file, const std::string& key_file) {
  if (state_->shutting_down.load()) return errc::server_closed;
  auto l = Listener::listen(addr.empty() ? ":443" : addr);
  if (!l) return l.error();
  return serve_tls(std::move(*l), cert_file, key_file);
}

std::error_code Server::serve_tls(Listener l, const std::string& cert_file, const std::string& key_file) {
  TlsConfig config = tls_config;
  if (!cert_file.empty()) config.cert_file = cert_file;
  if (!key_file.empty()) config.key_file = key_file;
  if (config.handshake_timeout.count() == 0) {
    // Go's tlsHandshakeTimeout: the smallest of the non-zero read and write limits.
    Duration d{};
    for (Duration t : {read_header_timeout, read_timeout, write_timeout}) {
      if (t.count() > 0 && (d.count() == 0 || t < d)) d = t;
    }
    config.handshake_timeout = d.count() > 0 ? d : TlsConfig::kDefaultHandshakeTimeout;
  }
  auto ctx = detail::TlsServerContext::make(config, !disable_http2);
  if (!ctx) return ctx.error();
  return serve_with(std::move(l), std::move(*ctx));
}

std::error_code Server::serve_with(Listener l, std::shared_ptr<const detail::TlsServerContext> tls) {
  auto state = state_;
  {
    std::lock_guard lock(state->mu);
    if (state->shutting_down.load()) return errc::server_closed;
    state->listeners.push_back(&l);
    ++state->serving;
  }
  auto config = std::make_shared<ServerConfig>(ServerConfig{handler, read_timeout, read_header_timeout, write_timeout,
                                                            idle_timeout, max_header_bytes, keep_alives_enabled,
                                                            conn_state, conn_context, error_log, std::move(tls),
                                                            !disable_http2, enable_h2c, http2});
  const Context base = base_context ? base_context(l) : Context::background();
  auto& runtime = rt::Runtime::get();
  WaitGroup wg;
  std::mutex mu;
  std::error_code accept_error;
  wg.add(static_cast<int>(runtime.size()));
  for (std::size_t i = 0; i < runtime.size(); ++i) {
    runtime.at(i).post([&] {
      auto ec = accept_loop(l, state, config, base);
      {
        std::lock_guard lock(mu);
        if (!accept_error) accept_error = ec;
      }
      wg.done();  // last: serve() returns and destroys mu once every loop is done
    });
  }
  wg.wait();
  std::lock_guard lock(state->mu);
  std::erase(state->listeners, &l);
  --state->serving;
  if (state->shutting_down.load()) return errc::server_closed;
  return accept_error;
}

std::error_code Server::shutdown(const Context& ctx) {
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(state_->mu);
    state_->shutting_down.store(true);
    state_->close_listeners_locked();
    hooks = state_->on_shutdown;
    for (ServerConn* c : state_->conns) c->begin_shutdown();
  }
  for (auto& fn : hooks) go(fn);
  std::mt19937 rng(std::random_device{}());
  auto interval = std::chrono::milliseconds(1);
  for (;;) {
    if (close_idle_conns(*state_)) return {};
    // Go adds up to 10% jitter to each poll interval.
    const auto jitter = std::chrono::milliseconds(rng() % (interval.count() / 10 + 1));
    if (ctx.wait_until(Clock::now() + interval + jitter)) return ctx.err();
    interval = std::min<std::chrono::milliseconds>(interval * 2, kShutdownPollMax);
  }
}

std::error_code Server::close() {
  std::lock_guard lock(state_->mu);
  state_->shutting_down.store(true);
  state_->close_listeners_locked();
  for (ServerConn* c : state_->conns) c->close_from_server();
  return {};
}

void Server::register_on_shutdown(std::function<void()> fn) {
  std::lock_guard lock(state_->mu);
  state_->on_shutdown.push_back(std::move(fn));
}

bool Server::serving() const noexcept {
  std::lock_guard lock(state_->mu);
  return state_->serving > 0;
}

}  // namespace httpkit
