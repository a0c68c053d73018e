// httpkit build [--release]: configure (once) and build the project with CMake + Ninja.
#include <iostream>

#include "commands.hpp"
#include "project.hpp"

namespace httpkit::cli {

void add_build_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("build", "build the project (build/dev, or build/release with --release)");
  auto release = std::make_shared<bool>(false);
  cmd->add_flag("--release", *release, "optimised build in build/release");
  cmd->callback([release] {
    const auto mode = *release ? BuildMode::release : BuildMode::dev;
    const Project p = find_project_or_exit();
    const int rc = build_project(p, mode);
    if (rc == 0) std::cout << "built " << executable(p, mode).string() << "\n";
    throw CommandExit{rc};
  });
}

}  // namespace httpkit::cli
