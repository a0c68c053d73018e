// Child processes for the CLI: run a command and capture its output, or let it print.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace httpkit::cli {

struct RunResult {
  int status = -1;     // exit status; 128 + signal when killed; -1 when it could not start
  std::string output;  // stdout and stderr, interleaved as written
};

// run_capture runs argv (argv[0] looked up in PATH) in cwd and returns its output.
RunResult run_capture(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});
// run_inherit runs argv with the CLI's own stdin/stdout/stderr and returns its status.
int run_inherit(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});
// exit_status converts a waitpid status to run_capture's convention.
int exit_status(int wait_status);

}  // namespace httpkit::cli
