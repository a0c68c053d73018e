// Project: an application made by `httpkit new`, and how the CLI builds it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace httpkit::cli {

struct Project {
  std::filesystem::path root;  // the folder holding CMakeLists.txt and config/
  std::string name;            // project(NAME ...): also the executable's name
};

// dev: build/dev, Debug, everything (what `httpkit build` and `httpkit test` use).
// dev_loop: build/devloop, what `httpkit dev` rebuilds on every save: the executable
// only (no tests), -O0 -g1, a fast linker when one is installed (decision 0044).
// release: build/release.
enum class BuildMode { dev, dev_loop, release };

// find_project looks in from and its parents for a CMakeLists.txt that calls
// find_package(httpkit ...); nullopt outside a project.
std::optional<Project> find_project(const std::filesystem::path& from);
// find_project_or_exit is find_project(cwd) that reports and throws CommandExit{2}.
Project find_project_or_exit();

std::filesystem::path build_dir(const Project& p, BuildMode mode);
std::filesystem::path executable(const Project& p, BuildMode mode);

// configure_command configures the build tree with Ninja (the CMakePresets.json
// folders, so IDEs and the CLI share one tree), adding the kit's own prefix to
// CMAKE_PREFIX_PATH when this CLI is an installed one.
std::vector<std::string> configure_command(const Project& p, BuildMode mode);
// build_command builds everything, or only the executable for BuildMode::dev_loop.
std::vector<std::string> build_command(const Project& p, BuildMode mode);
// needs_configure is true until the build tree has been configured once; after that
// `cmake --build` re-runs CMake itself when a CMakeLists.txt changes.
bool needs_configure(const Project& p, BuildMode mode);
// fast_linker names the fastest linker on PATH for -fuse-ld= ("lld", "gold"), if any.
std::optional<std::string> fast_linker();

// kit_prefix is the install prefix of this CLI when it holds httpkit's CMake package
// (PREFIX/bin/httpkit next to PREFIX/lib/cmake/httpkit).
std::optional<std::filesystem::path> kit_prefix();

}  // namespace httpkit::cli

namespace httpkit::cli {

// build_project configures when needed and builds, printing as it goes; returns the
// status of the failing step or 0.
int build_project(const Project& p, BuildMode mode);

}  // namespace httpkit::cli
