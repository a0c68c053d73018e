// One function per subcommand; each adds itself to the CLI11 app (one file each).
#pragma once

#include <CLI/CLI.hpp>

namespace httpkit::cli {

void add_new_command(CLI::App& app);
void add_dev_command(CLI::App& app);
void add_build_command(CLI::App& app);
void add_test_command(CLI::App& app);
void add_routes_command(CLI::App& app);
void add_version_command(CLI::App& app);

// CommandExit carries a subcommand's exit status out of its callback to main.
struct CommandExit {
  int status;
};

}  // namespace httpkit::cli
