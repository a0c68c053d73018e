#include "project.hpp"

#include <cstdlib>
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
  switch (mode) {
    case BuildMode::dev: return p.root / "build/dev";
    case BuildMode::dev_loop: return p.root / "build/devloop";
    case BuildMode::release: break;
  }
  return p.root / "build/release";
}

fs::path executable(const Project& p, BuildMode mode) { return build_dir(p, mode) / p.name; }

std::vector<std::string> configure_command(const Project& p, BuildMode mode) {
  std::vector<std::string> cmd{"cmake", "-S", p.root.string(), "-B", build_dir(p, mode).string(), "-G", "Ninja",
                               mode == BuildMode::release ? "-DCMAKE_BUILD_TYPE=Release" : "-DCMAKE_BUILD_TYPE=Debug"};
  if (mode == BuildMode::dev_loop) {
    // The save-to-response path (decision 0044): no optimisation, line tables only
    // (-g1 keeps backtraces, drops the variable info that makes objects and links big),
    // no test executables. The per-configuration variables leave CXXFLAGS/LDFLAGS from
    // the environment alone (a sanitizer kit needs them in the app too).
    cmd.insert(cmd.end(), {"-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1", "-DBUILD_TESTING=OFF"});
    if (auto ld = fast_linker()) cmd.push_back("-DCMAKE_EXE_LINKER_FLAGS_DEBUG=-fuse-ld=" + *ld);
  }
  if (auto prefix = kit_prefix()) cmd.push_back("-DCMAKE_PREFIX_PATH=" + prefix->string());
  return cmd;
}

std::vector<std::string> build_command(const Project& p, BuildMode mode) {
  std::vector<std::string> cmd{"cmake", "--build", build_dir(p, mode).string()};
  if (mode == BuildMode::dev_loop) cmd.insert(cmd.end(), {"--target", p.name});
  return cmd;
}

std::optional<std::string> fast_linker() {
  // lld first, then gold: both link a debug executable several times faster than
  // GNU ld (bfd). GCC >= 9 and Clang accept -fuse-ld=lld|gold.
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  for (const char* name : {"lld", "gold"}) {
    for (std::string_view rest = dirs; !rest.empty();) {
      const auto colon = rest.find(':');
      const fs::path dir(std::string(rest.substr(0, colon)));
      rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
      std::error_code ec;
      if (!dir.empty() && fs::exists(dir / ("ld." + std::string(name)), ec)) return std::string(name);
    }
  }
  return std::nullopt;
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
