// AppProcess: one running version of the application under `httpkit dev`.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace httpkit::cli {

class AppProcess {
 public:
  // start runs exe in cwd with listen_fd as fd 3 (LISTEN_FDS=1, LISTEN_PID = its own
  // pid, as sd_listen_fds(3) expects) and its debug listener on 127.0.0.1:debug_port;
  // a non-empty live_reload_url goes to HTTPKIT_LIVE_RELOAD_URL (decision 0044).
  static AppProcess start(const std::filesystem::path& exe, const std::filesystem::path& cwd, int listen_fd,
                          const std::string& live_reload_url = {});

  pid_t pid() const noexcept { return pid_; }
  int debug_port() const noexcept { return debug_port_; }

  // wait_ready polls this process's /readyz until it answers 200; false if the
  // process exits or timeout passes first.
  bool wait_ready(std::chrono::milliseconds timeout);
  // stop sends SIGTERM: the app drains (readiness off, in-flight requests finish).
  void stop() const;
  // wait_released waits until this process no longer holds listen_fd's socket (it
  // closed its listener, or exited); false if timeout passes first.
  bool wait_released(int listen_fd, std::chrono::milliseconds timeout) const;
  // kill sends SIGKILL, for a process that never became ready.
  void kill() const;
  // reap collects the exit status without blocking; true once the process is gone.
  bool reap();
  // wait blocks until the process is gone; returns its exit status.
  int wait();
  bool exited() const noexcept { return exited_; }
  int status() const noexcept { return status_; }

 private:
  pid_t pid_ = -1;
  int debug_port_ = 0;
  bool exited_ = false;
  int status_ = -1;
};

}  // namespace httpkit::cli
