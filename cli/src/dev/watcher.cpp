#include "dev/watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

namespace httpkit::cli {
namespace fs = std::filesystem;
namespace {

// What a save by an editor looks like: written and closed, or renamed into place.
constexpr std::uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM;

constexpr std::array<std::string_view, 10> kExtensions{".cpp", ".cc", ".cxx", ".hpp", ".h", ".hh", ".ipp",
                                                       ".toml", ".cmake", ".json"};

}  // namespace

Watcher::Watcher(const fs::path& root) : root_(root) {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("inotify_init1 failed");
  watch_tree(root);
}

Watcher::~Watcher() { ::close(fd_); }

bool Watcher::skipped_dir(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return name == "build" || name.starts_with('.') || name.starts_with("cmake-build");
}

bool Watcher::relevant(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name == "CMakeLists.txt") return true;
  if (name.starts_with('.') || name.ends_with('~')) return false;  // editor temporaries
  for (auto ext : kExtensions) {
    if (file.extension() == ext) return true;
  }
  return false;
}

void Watcher::watch_tree(const fs::path& dir) {
  const int wd = ::inotify_add_watch(fd_, dir.c_str(), kEvents);
  if (wd >= 0) dirs_[wd] = dir;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec) && !skipped_dir(entry.path())) watch_tree(entry.path());
  }
}

std::string Watcher::drain() {
  std::string changed;
  alignas(inotify_event) char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      auto dir = dirs_.find(ev->wd);
      if (dir == dirs_.end() || ev->len == 0) continue;
      const fs::path path = dir->second / ev->name;
      if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && !skipped_dir(path)) watch_tree(path);
      else if (changed.empty() && !(ev->mask & IN_ISDIR) && relevant(path)) changed = path.lexically_relative(root_).string();
    }
  }
  return changed;
}

}  // namespace httpkit::cli
