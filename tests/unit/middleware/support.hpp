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

#include "support/shell.hpp"

namespace mwtest {

// sh runs a shell command and returns its combined output; status gets the exit code.
inline std::string sh(const std::string& cmd, int* status = nullptr) { return httpkit::testing::run_command(cmd, status); }

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
