#include "project.hpp"

#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "commands.hpp"

namespace httpkit::cli {
namespace fs = std::filesystem;
namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> project_name(const std::string& cmake) {
  static const std::regex kProject(R"(project\s*\(\s*([A-Za-z0-9_.+-]+))", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(cmake, m, kProject)) return std::nullopt;
  return m[1].str();
}

}  // namespace

std::optional<Project> find_project(const fs::path& from) {
  for (fs::path dir = fs::absolute(from); ; dir = dir.parent_path()) {
    const fs::path lists = dir / "CMakeLists.txt";
    if (fs::exists(lists)) {
      const std::string text = read_file(lists);
      auto name = project_name(text);
      if (name && text.find("find_package(httpkit") != std::string::npos) return Project{dir, *name};
    }
    if (dir == dir.root_path()) return std::nullopt;
  }
}

Project find_project_or_exit() {
  auto p = find_project(fs::current_path());
  if (!p) {
    std::cerr << "httpkit: not inside an httpkit project (no CMakeLists.txt with find_package(httpkit) here or above)\n"
                 "  create one with: httpkit new NAME\n";
    throw CommandExit{2};
  }
  return *p;
}

fs::path build_dir(const Project& p, BuildMode mode) {
  return p.root / "build" / (mode == BuildMode::dev ? "dev" : "release");
}

fs::path executable(const Project& p, BuildMode mode) { return build_dir(p, mode) / p.name; }

std::vector<std::string> configure_command(const Project& p, BuildMode mode) {
  std::vector<std::string> cmd{"cmake", "-S", p.root.string(), "-B", build_dir(p, mode).string(), "-G", "Ninja",
                               mode == BuildMode::dev ? "-DCMAKE_BUILD_TYPE=Debug" : "-DCMAKE_BUILD_TYPE=Release"};
  if (auto prefix = kit_prefix()) cmd.push_back("-DCMAKE_PREFIX_PATH=" + prefix->string());
  return cmd;
}

std::vector<std::string> build_command(const Project& p, BuildMode mode) {
  return {"cmake", "--build", build_dir(p, mode).string()};
}

bool needs_configure(const Project& p, BuildMode mode) { return !fs::exists(build_dir(p, mode) / "build.ninja"); }

std::optional<fs::path> kit_prefix() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  const fs::path prefix = self.parent_path().parent_path();
  for (const char* lib : {"lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"}) {
    if (fs::exists(prefix / lib / "cmake/httpkit/httpkitConfig.cmake", ec)) return prefix;
  }
  return std::nullopt;
}

}  // namespace httpkit::cli

#include "process.hpp"

namespace httpkit::cli {

int build_project(const Project& p, BuildMode mode) {
  if (needs_configure(p, mode)) {
    if (int rc = run_inherit(configure_command(p, mode)); rc != 0) return rc;
  }
  return run_inherit(build_command(p, mode));
}

}  // namespace httpkit::cli
