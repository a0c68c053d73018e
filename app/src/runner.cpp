#include "runner.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <spdlog/spdlog.h>

#include "live_reload.hpp"
#include "logging.hpp"
#include "request_deadline.hpp"
#include "signals.hpp"
#include "httpkit/runtime.hpp"

namespace httpkit::app_detail {
namespace {

using namespace std::chrono_literals;

// How often the signal loop looks at the serving threads when no signal comes.
constexpr auto kPollInterval = 100ms;
// How long a freshly started server may take to reach its accept loop.
constexpr auto kStartTimeout = 5s;

}  // namespace

Runner::Runner(AppState& s) : s_(s) {
  log_ = make_logger("app", s.cfg.log);
  access_log_ = make_logger("access", s.cfg.log);
  // The server and the runtime log through spdlog's default logger: make it ours so
  // every line of the process has one format.
  spdlog::set_default_logger(log_);
  if (!runtime::set_threads(s.cfg.server.threads) && s.cfg.server.threads != 0) {
    log_->warn("server.threads = {} not applied: the runtime was already started", s.cfg.server.threads);
  }
  Handler app = s.mux;
  if (s.cfg.server.handler_timeout > Duration{}) app = request_deadline(s.cfg.server.handler_timeout)(std::move(app));
  // Under `httpkit dev` only: pages reload themselves after a rebuild (decision 0044).
  if (const char* url = std::getenv(kLiveReloadEnv); url != nullptr && *url != '\0') {
    app = live_reload(url)(std::move(app));
  }
  chain_ = build_default_chain(std::move(app), s.cfg, access_log_);
}

Runner::~Runner() {
  if (server_) server_->close();
  if (debug_) debug_->close();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Runner::configure_server() {
  const auto& c = s_.cfg.server;
  server_ = std::make_unique<Server>();
  server_->addr = c.addr;
  server_->handler = s_.health.in_front(chain_.handler);
  server_->read_timeout = c.read_timeout;
  server_->read_header_timeout = c.read_header_timeout;
  server_->write_timeout = c.write_timeout;
  server_->idle_timeout = c.idle_timeout;
  server_->max_header_bytes = c.max_header_bytes;
  server_->conn_state = chain_.conn_state;
  server_->error_log = [log = log_](std::string_view msg) { log->error("{}", msg); };
  // HTTP/2 over TLS is offered by ALPN unless http2.enabled = false; cleartext HTTP/2
  // only when asked for (decision 0033): it is for behind a proxy that speaks it.
  server_->disable_http2 = !s_.cfg.http2.enabled;
  server_->enable_h2c = s_.cfg.http2.h2c;
}

// configure_tls loads tls.cert_file and tls.key_file into a CertReloader that every
// listener's handshakes ask for their certificate (TlsConfig::get_certificate), so that
// SIGHUP can replace it without a restart (decision 0045). Files that do not load fail
// start-up, as Go's ListenAndServeTLS does, rather than serving without a certificate.
bool Runner::configure_tls() {
  tls_files_ = s_.cfg.tls;
  if (tls_files_.cert_file.empty()) return true;
  auto certs = std::make_shared<CertReloader>(tls_files_.cert_file, tls_files_.key_file);
  if (auto ec = certs->error()) {
    log_->error("cannot load the TLS certificate {} with key {}: {}", tls_files_.cert_file, tls_files_.key_file,
                ec.message());
    return false;
  }
  // Not CertReloader::getter(), which holds a plain reference: this copy of the shared
  // pointer keeps the reloader alive for as long as a TLS context can call it.
  server_->tls_config.get_certificate = [certs](const ClientHello&) { return certs->current(); };
  log_->info("TLS certificate {} ({})", tls_files_.cert_file, certs->current()->subject());
  if (s_.cfg.http2.h2c) log_->warn("http2.h2c has no effect: every listener serves TLS, where h2 comes by ALPN");
  certs_ = std::move(certs);
  return true;
}

void Runner::serve_in_thread(Server& server, Listener l, const char* what, bool tls) {
  log_->info("{} listening on {}://{}", what, tls ? "https" : "http", l.addr());
  threads_.emplace_back([this, &server, l = std::move(l), what, tls]() mutable {
    // serve_tls builds this listener's TLS context first; a bad setting ends here.
    const auto ec = tls ? server.serve_tls(std::move(l)) : server.serve(std::move(l));
    if (ec && ec != errc::server_closed) {
      log_->error("{} stopped: {}", what, ec.message());
      failed_ = true;
    }
  });
}

bool Runner::start_serving() {
  configure_server();
  if (!configure_tls()) return false;
  // Socket activation (systemd, `httpkit dev`) hands us the socket; otherwise bind.
  auto activated = Listener::from_systemd();
  if (activated.empty()) {
    auto l = Listener::listen(s_.cfg.server.addr);
    if (!l) {
      log_->error("cannot listen on {}: {}", s_.cfg.server.addr, l.error().message());
      return false;
    }
    activated.push_back(std::move(*l));
  }
  // Every listener of the main server speaks the same protocol: TLS on all of them
  // when a certificate is configured, socket-activated ones included.
  for (auto& l : activated) serve_in_thread(*server_, std::move(l), "server", certs_ != nullptr);
  return true;
}

bool Runner::start_debug() {
  const std::string& addr = s_.cfg.debug.addr;
  if (addr.empty()) return true;
  auto l = Listener::listen(addr);
  if (!l) {
    log_->error("cannot listen on debug.addr {}: {}", addr, l.error().message());
    return false;
  }
  debug_ = std::make_unique<Server>();
  // The debug listener answers the probes too, so a supervisor (httpkit dev) can ask
  // one particular process whether it is ready while several share the main socket.
  debug_->handler = s_.health.in_front(chain_.debug);
  debug_->error_log = server_->error_log;
  // Plain HTTP always: the debug listener stays on loopback, for curl and pprof tools.
  serve_in_thread(*debug_, std::move(*l), "debug", false);
  return true;
}

bool Runner::wait_until_serving() {
  const auto until = Clock::now() + kStartTimeout;
  while (!server_->serving() || (debug_ && !debug_->serving())) {
    if (failed_ || Clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

int Runner::run() {
  if (!start_serving() || !start_debug() || !wait_until_serving()) return 1;
  s_.health.set_ready(true);
  for (;;) {
    const int sig = s_.signals.wait(kPollInterval);
    if (failed_) return 1;
    if (sig == SIGHUP) reload();
    else if (sig == SIGTERM || sig == SIGINT) return drain(sig);
  }
}

}  // namespace httpkit::app_detail
