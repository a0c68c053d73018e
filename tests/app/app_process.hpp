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
  ChildApp(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
  ChildApp(const ChildApp&) = delete;
  ChildApp& operator=(const ChildApp&) = delete;
  ~ChildApp();  // kills the process if it still runs

  void signal(int sig) const;
  // wait returns the exit status, or -1 if the process still runs after timeout.
  int wait(std::chrono::milliseconds timeout);
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
// wait_for_status polls GET path until it answers want; false after timeout.
bool wait_for_status(int port, const std::string& path, int want, std::chrono::milliseconds timeout);

}  // namespace httpkit::testing
