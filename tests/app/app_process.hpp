// ChildApp: app_fixture as a child process, for tests that signal a whole process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace httpkit::testing {

class ChildApp {
 public:
  // start runs app_fixture (next to the test executable) with args and extra
  // environment ("NAME=value"), its stdout and stderr going to a temporary file.
  // activated, when not -1, is a listening socket handed over as systemd does
  // (as fd 3, with LISTEN_FDS=1 and LISTEN_PID naming the child).
  ChildApp(const std::vector<std::string>& args, const std::vector<std::string>& env = {}, int activated = -1);
  ChildApp(const ChildApp&) = delete;
  ChildApp& operator=(const ChildApp&) = delete;
  ~ChildApp();  // kills the process if it still runs

  void signal(int sig) const;
  // wait returns the exit status, or -1 if the process still runs after timeout.
  int wait(std::chrono::milliseconds timeout);
  // stop sends SIGTERM, the way a service manager stops the app, and waits: the exit
  // status, or -1 if it still runs after timeout.
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // output is everything the process wrote so far.
  std::string output() const;

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
  std::string log_path_;
};

// free_port returns a loopback port that was free a moment ago.
int free_port();
// loopback_listener returns a listening socket on a free loopback port (stored in
// port) that a child inherits; the caller closes it.
int loopback_listener(int& port);
// wait_for_status polls GET path until it answers want; false after timeout.
bool wait_for_status(int port, const std::string& path, int want, std::chrono::milliseconds timeout);

}  // namespace httpkit::testing
