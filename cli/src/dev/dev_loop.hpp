// DevLoop: `httpkit dev` — build, serve, watch, rebuild, and swap processes on one
// socket so that no request is refused or fails across reloads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dev/app_process.hpp"
#include "dev/live_reload.hpp"
#include "dev/watcher.hpp"
#include "project.hpp"

namespace httpkit::cli {

class DevLoop {
 public:
  // Binds addr now, so that a port in use is reported before the first build. With
  // live_reload, HTML pages reload themselves after each successful swap (0044).
  DevLoop(Project p, const std::string& addr, bool live_reload = true);
  DevLoop(const DevLoop&) = delete;
  DevLoop& operator=(const DevLoop&) = delete;
  ~DevLoop();

  // run serves until SIGINT or SIGTERM; returns the exit status for the CLI.
  int run();

 private:
  // build configures build/devloop when needed and builds the executable; on failure
  // it returns false with the compiler's errors, summarized, in errors.
  bool build(std::string& errors);
  void reload(const std::string& why);
  void swap_to(AppProcess next, std::chrono::steady_clock::time_point since);
  void reap();
  int shut_down();

  Project p_;
  std::string addr_;
  int listen_fd_ = -1;
  int signal_fd_ = -1;
  Watcher watcher_;
  std::optional<LiveReload> live_;  // the page event stream; empty with --no-live-reload
  std::optional<AppProcess> current_;
  std::vector<AppProcess> draining_;  // old versions finishing their requests
};

}  // namespace httpkit::cli
