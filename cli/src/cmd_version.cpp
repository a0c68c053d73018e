// httpkit version: the kit release and where its CMake package lives.
#include <iostream>

#include "commands.hpp"
#include "project.hpp"
#include "version.hpp"

namespace httpkit::cli {

void add_version_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "print the httpkit version");
  cmd->callback([] {
    std::cout << "httpkit " << kit_version() << "\n";
    if (auto prefix = kit_prefix()) std::cout << "kit installed in " << prefix->string() << "\n";
  });
}

}  // namespace httpkit::cli
