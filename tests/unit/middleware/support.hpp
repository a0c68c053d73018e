// Helpers shared by the middleware tests: run a command, read a file, temp paths.
#pragma once

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mwtest {

// sh runs a shell command and returns its combined output; status gets the exit code.
inline std::string sh(const std::string& cmd, int* status = nullptr) {
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int rc = ::pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

inline std::string curl(const std::string& args) { return sh("curl -sS --max-time 20 " + args); }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string temp_path(const std::string& name) {
  return "/tmp/httpkit-mw-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace mwtest
