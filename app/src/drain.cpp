// Runner's reaction to signals: SIGHUP reloads, SIGTERM/SIGINT drain.
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <optional>

#include "logging.hpp"
#include "runner.hpp"

namespace httpkit::app_detail {
namespace {

using namespace std::chrono_literals;

constexpr auto kSignalPoll = 20ms;
// After a hard close, handlers still running (asleep, or stuck in a call) are not
// waited for longer than this: a second Ctrl-C must end the process.
constexpr auto kHardStopWait = 200ms;

}  // namespace

// reload is SIGHUP: the configuration is re-read, then the certificate. The certificate
// is re-read even when the configuration does not load: renewing it (certbot,
// cert-manager) must not wait until an unrelated typo is fixed.
void Runner::reload() {
  const bool config_ok = reread_config();
  reload_certificate();
  if (!config_ok) return;
  for (const auto& hook : s_.reload_hooks) hook(s_.cfg);
}

// reread_config loads the layers again; false (and nothing changed) when they fail.
bool Runner::reread_config() {
  AppConfig fresh;
  if (auto err = load_layers(s_.options, [](const char* n) { return std::getenv(n); }, fresh)) {
    log_->error("SIGHUP: configuration not reloaded: {}", err->message());
    return false;
  }
  // Only what can change without a restart is applied: the log level here, the
  // certificate in reload_certificate, whatever the hooks reload (caches), and the
  // drain settings (server.shutdown_grace, server.pre_stop_delay), which drain() reads
  // from the configuration when a stop signal comes. Addresses, the server's
  // timeouts, TLS file names and HTTP/2 switches need a restart; a process manager
  // restarts, SIGHUP does not.
  const auto level = spdlog::level::from_str(fresh.log.level);
  log_->set_level(level);
  access_log_->set_level(level);
  if (fresh.tls.cert_file != tls_files_.cert_file || fresh.tls.key_file != tls_files_.key_file) {
    log_->warn("SIGHUP: tls.cert_file or tls.key_file changed; other files take effect after a restart");
  }
  s_.cfg = fresh;
  log_->info("SIGHUP: configuration re-read, log level {}", fresh.log.level);
  return true;
}

// reload_certificate re-reads tls.cert_file and tls.key_file: later handshakes get the
// new certificate, open connections keep theirs, and a file that does not load keeps
// the old certificate serving (CertReloader's contract).
void Runner::reload_certificate() {
  if (!certs_) return;
  if (auto ec = certs_->reload()) {
    log_->error("SIGHUP: TLS certificate not reloaded, still serving the previous one: {}: {}", tls_files_.cert_file,
                ec.message());
    return;
  }
  log_->info("SIGHUP: TLS certificate reloaded from {} ({})", tls_files_.cert_file, certs_->current()->subject());
}

// pause_unless_signalled waits d; false when a second stop signal cut it short.
bool Runner::pause_unless_signalled(Duration d) {
  const auto until = Clock::now() + d;
  while (Clock::now() < until) {
    const int sig = s_.signals.wait(kSignalPoll);
    if (sig == SIGTERM || sig == SIGINT) return false;
  }
  return true;
}

int Runner::drain(int signo) {
  const auto& c = s_.cfg.server;
  log_->info("{}: draining (readiness off, pre-stop delay {} ms, grace {} ms)", strsignal(signo),
             std::chrono::duration_cast<std::chrono::milliseconds>(c.pre_stop_delay).count(),
             std::chrono::duration_cast<std::chrono::milliseconds>(c.shutdown_grace).count());
  s_.health.set_ready(false);
  bool forced = !pause_unless_signalled(c.pre_stop_delay);

  // shutdown blocks until in-flight requests finish; run it aside so that a second
  // signal can still turn the drain into a hard close.
  std::atomic<bool> done{false};
  std::error_code err;
  std::thread shutting([&] {
    auto [ctx, cancel] = with_timeout(Context::background(), forced ? Duration{} : c.shutdown_grace);
    err = server_->shutdown(ctx);
    done = true;
  });
  std::optional<TimePoint> hard_stop;
  while (!done) {
    const int sig = s_.signals.wait(kSignalPoll);
    if ((sig == SIGTERM || sig == SIGINT) && !hard_stop) {
      forced = true;
      server_->close();
      hard_stop = Clock::now() + kHardStopWait;
    }
    if (hard_stop && Clock::now() > *hard_stop && !done) {
      log_->warn("second stop signal: exiting with handlers still running");
      log_->flush();
      std::_Exit(1);
    }
  }
  shutting.join();
  if (err) log_->warn("grace period over: closing the remaining connections");
  server_->close();
  if (debug_) debug_->close();
  for (auto& t : threads_) t.join();
  threads_.clear();
  log_->info("stopped");
  return forced || err ? 1 : 0;
}

}  // namespace httpkit::app_detail
