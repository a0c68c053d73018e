// Watcher: inotify on a project's sources, headers, configuration and CMake files.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace httpkit::cli {

class Watcher {
 public:
  // Watches root and every folder under it except build trees and dot-folders.
  explicit Watcher(const std::filesystem::path& root);
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  ~Watcher();

  int fd() const noexcept { return fd_; }
  // drain reads the pending events; it returns the first relevant changed file ("" if
  // none was relevant: editor swap files, build output). New folders are watched too.
  std::string drain();

 private:
  void watch_tree(const std::filesystem::path& dir);
  static bool relevant(const std::filesystem::path& file);
  static bool skipped_dir(const std::filesystem::path& dir);

  int fd_ = -1;
  std::filesystem::path root_;
  std::map<int, std::filesystem::path> dirs_;  // watch descriptor -> folder
};

}  // namespace httpkit::cli
