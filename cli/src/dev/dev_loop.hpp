// DevLoop: `httpkit dev` — build, serve, watch, rebuild, and swap processes on one
// socket so that no request is refused or fails across reloads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dev/app_process.hpp"
#include "dev/watcher.hpp"
#include "project.hpp"

namespace httpkit::cli {

class DevLoop {
 public:
  // Binds addr now, so that a port in use is reported before the first build.
  DevLoop(Project p, const std::string& addr);
  DevLoop(const DevLoop&) = delete;
  DevLoop& operator=(const DevLoop&) = delete;
  ~DevLoop();

  // run serves until SIGINT or SIGTERM; returns the exit status for the CLI.
  int run();

 private:
  bool build();
  void reload(const std::string& why);
  void swap_to(AppProcess next, std::chrono::steady_clock::time_point since);
  void reap();
  int shut_down();

  Project p_;
  std::string addr_;
  int listen_fd_ = -1;
  int signal_fd_ = -1;
  Watcher watcher_;
  std::optional<AppProcess> current_;
  std::vector<AppProcess> draining_;  // old versions finishing their requests
};

}  // namespace httpkit::cli
