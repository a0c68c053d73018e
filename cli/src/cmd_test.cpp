// httpkit test: build the project and run its tests (ctest).
#include "commands.hpp"
#include "process.hpp"
#include "project.hpp"

namespace httpkit::cli {

void add_test_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("test", "build the project and run its tests with ctest");
  auto filter = std::make_shared<std::string>();
  cmd->add_option("-R,--filter", *filter, "only tests whose name matches this regular expression");
  cmd->callback([filter] {
    const Project p = find_project_or_exit();
    if (int rc = build_project(p, BuildMode::dev); rc != 0) throw CommandExit{rc};
    std::vector<std::string> ctest{"ctest", "--test-dir", build_dir(p, BuildMode::dev).string(), "--output-on-failure"};
    if (!filter->empty()) ctest.insert(ctest.end(), {"-R", *filter});
    throw CommandExit{run_inherit(ctest)};
  });
}

}  // namespace httpkit::cli
