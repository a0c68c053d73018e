#include "dev/app_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "dev/listen_socket.hpp"
#include "dev/probe.hpp"
#include "process.hpp"

namespace httpkit::cli {
namespace {

using namespace std::chrono_literals;

constexpr int kListenFdsStart = 3;  // sd_listen_fds(3): passed sockets start at fd 3
constexpr auto kProbeTimeout = 500ms;
constexpr auto kProbeInterval = 20ms;
// How often wait_released looks at /proc; a listener closes within milliseconds of SIGTERM.
constexpr auto kReleasePollInterval = 2ms;

// In the child, between fork and exec. The CLI is single-threaded, so setenv is safe
// here; LISTEN_PID must be the app's own pid, which only the child knows.
[[noreturn]] void exec_app(const std::filesystem::path& exe, const std::filesystem::path& cwd, int listen_fd,
                           int debug_port, const std::string& live_reload_url) {
  sigset_t none;  // the CLI blocks its stop signals for its signalfd; the app starts clean
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (listen_fd == kListenFdsStart) ::fcntl(listen_fd, F_SETFD, 0);  // dup2 onto itself keeps CLOEXEC
  else ::dup2(listen_fd, kListenFdsStart);
  ::setenv("LISTEN_FDS", "1", 1);
  ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("LISTEN_FDNAMES", "http", 1);
  ::setenv("APP_DEBUG_ADDR", ("127.0.0.1:" + std::to_string(debug_port)).c_str(), 1);
  if (!live_reload_url.empty()) ::setenv("HTTPKIT_LIVE_RELOAD_URL", live_reload_url.c_str(), 1);
  if (::chdir(cwd.c_str()) != 0) ::_exit(127);
  ::execl(exe.c_str(), exe.c_str(), static_cast<char*>(nullptr));
  std::perror(exe.c_str());
  ::_exit(127);
}

}  // namespace

AppProcess AppProcess::start(const std::filesystem::path& exe, const std::filesystem::path& cwd, int listen_fd,
                             const std::string& live_reload_url) {
  AppProcess p;
  p.debug_port_ = free_loopback_port();
  std::fflush(nullptr);
  p.pid_ = ::fork();
  if (p.pid_ == 0) exec_app(exe, cwd, listen_fd, p.debug_port_, live_reload_url);
  if (p.pid_ < 0) p.exited_ = true;
  return p;
}

bool AppProcess::wait_ready(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (reap()) return false;
    if (probe_status(debug_port_, "/readyz", kProbeTimeout) == 200) return true;
    std::this_thread::sleep_for(kProbeInterval);
  }
  return false;
}

void AppProcess::stop() const {
  if (!exited_) ::kill(pid_, SIGTERM);
}

namespace {

// holds_socket is true while /proc/PID/fd has a descriptor for the socket with inode
// ino (the link reads "socket:[INO]"); false once the process closed it or is gone.
bool holds_socket(pid_t pid, ino_t ino) {
  const std::string want = "socket:[" + std::to_string(ino) + "]";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    std::error_code lec;
    if (std::filesystem::read_symlink(entry.path(), lec).native() == want) return true;
  }
  return false;
}

}  // namespace

bool AppProcess::wait_released(int listen_fd, std::chrono::milliseconds timeout) const {
  struct stat st{};
  if (::fstat(listen_fd, &st) != 0) return false;
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!exited_ && holds_socket(pid_, st.st_ino)) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(kReleasePollInterval);
  }
  return true;
}

void AppProcess::kill() const {
  if (!exited_) ::kill(pid_, SIGKILL);
}

bool AppProcess::reap() {
  if (exited_) return true;
  int st = 0;
  if (::waitpid(pid_, &st, WNOHANG) == pid_) {
    exited_ = true;
    status_ = exit_status(st);
  }
  return exited_;
}

int AppProcess::wait() {
  int st = 0;
  if (!exited_ && ::waitpid(pid_, &st, 0) == pid_) {
    exited_ = true;
    status_ = exit_status(st);
  }
  return status_;
}

}  // namespace httpkit::cli
