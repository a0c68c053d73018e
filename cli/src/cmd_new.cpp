// httpkit new NAME [--dir D] [--port N]: render app_template/ into a new project.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>

#include "commands.hpp"
#include "render.hpp"
#include "template_files.hpp"
#include "version.hpp"

namespace httpkit::cli {
namespace fs = std::filesystem;
namespace {

struct NewOptions {
  std::string name;
  std::string dir;
  int port = 8080;  // not 80: no privileges needed
};

// The name becomes a CMake target, an executable and (with '-' as '_') a C++ namespace.
bool valid_name(const std::string& name) {
  static const std::regex kName("[a-z][a-z0-9_-]{0,62}");
  return std::regex_match(name, kName);
}

// refuse_existing: never overwrite a user's files, not even an empty-looking tree.
void refuse_existing(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    std::cerr << "httpkit new: " << dir.string() << " already exists and is not empty; nothing was written\n";
    throw CommandExit{1};
  }
}

void write_project(const fs::path& dir, const NewOptions& o) {
  std::string ident = o.name;
  std::replace(ident.begin(), ident.end(), '-', '_');
  const std::map<std::string, std::string, std::less<>> vars{
      {"name", o.name}, {"ident", ident}, {"port", std::to_string(o.port)}, {"version", std::string(kit_version())}};
  for (const auto& f : template_files()) {
    const fs::path out = dir / fs::path(render(f.path, vars));
    fs::create_directories(out.parent_path());
    std::ofstream(out, std::ios::binary) << render(f.content, vars);
  }
}

void print_next_steps(const fs::path& dir, const NewOptions& o) {
  std::cout << "created " << o.name << " in " << dir.string() << "\n\n"
            << "next steps:\n"
            << "  cd " << dir.string() << "\n"
            << "  httpkit dev      # build, serve on http://127.0.0.1:" << o.port << " and rebuild on every save\n"
            << "  httpkit test     # build and run tests/routes_test.cpp\n"
            << "  httpkit routes   # list the routes and where they are registered\n"
            << "edit src/routes.cpp to add handlers; config/app.toml lists every setting.\n";
}

}  // namespace

void add_new_command(CLI::App& app) {
  auto o = std::make_shared<NewOptions>();
  auto* cmd = app.add_subcommand("new", "create a new httpkit application");
  cmd->add_option("name", o->name, "project name: lower case letters, digits, '-' and '_'")->required();
  cmd->add_option("--dir", o->dir, "where to create it (default ./NAME)");
  cmd->add_option("--port", o->port, "the port it serves on (default 8080)")->check(CLI::Range(1, 65535));
  cmd->callback([o] {
    if (!valid_name(o->name)) {
      std::cerr << "httpkit new: \"" << o->name << "\" is not a valid name (use lower case letters, digits, '-', '_';"
                << " start with a letter)\n";
      throw CommandExit{2};
    }
    const fs::path dir = fs::absolute(o->dir.empty() ? fs::path(o->name) : fs::path(o->dir)).lexically_normal();
    refuse_existing(dir);
    write_project(dir, *o);
    print_next_steps(dir, *o);
  });
}

}  // namespace httpkit::cli
