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

void Runner::reload() {
  AppConfig fresh;
  if (auto err = load_layers(s_.options, [](const char* n) { return std::getenv(n); }, fresh)) {
    log_->error("SIGHUP: configuration not reloaded: {}", err->message());
    return;
  }
  // Only what can change without a restart is applied: the log level here, and
  // whatever the hooks reload (TLS certificates, caches). Addresses and timeouts
  // need a restart; a process manager restarts, SIGHUP does not.
  const auto level = spdlog::level::from_str(fresh.log.level);
  log_->set_level(level);
  access_log_->set_level(level);
  s_.cfg = fresh;
  log_->info("SIGHUP: configuration re-read, log level {}", fresh.log.level);
  for (const auto& hook : s_.reload_hooks) hook(s_.cfg);
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
