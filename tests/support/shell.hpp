// run_command: run a shell command (curl, openssl, ...) and take what it printed.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>

namespace httpkit::testing {

// run_command returns cmd's stdout and stderr together; status, when given, gets its
// exit code (-1 if it did not exit normally).
inline std::string run_command(const std::string& cmd, int* status = nullptr) {
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int rc = ::pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

}  // namespace httpkit::testing
