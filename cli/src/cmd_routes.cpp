// httpkit routes: build the project and print its route table (the app's --routes).
#include "commands.hpp"
#include "process.hpp"
#include "project.hpp"

namespace httpkit::cli {

void add_routes_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("routes", "build the project and print its routes with their source lines");
  cmd->callback([] {
    const Project p = find_project_or_exit();
    // Build output would bury the table; it is shown only when the build fails.
    if (needs_configure(p, BuildMode::dev)) {
      if (auto r = run_capture(configure_command(p, BuildMode::dev)); r.status != 0) {
        std::fputs(r.output.c_str(), stderr);
        throw CommandExit{r.status};
      }
    }
    if (auto r = run_capture(build_command(p, BuildMode::dev)); r.status != 0) {
      std::fputs(r.output.c_str(), stderr);
      throw CommandExit{r.status};
    }
    throw CommandExit{run_inherit({executable(p, BuildMode::dev).string(), "--routes"}, p.root)};
  });
}

}  // namespace httpkit::cli
