#include "dev/dev_loop.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <utility>

#include "dev/build_errors.hpp"
#include "dev/listen_socket.hpp"
#include "process.hpp"

namespace httpkit::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Editors save in bursts (write, rename, chmod); one rebuild per burst.
constexpr auto kDebounce = 100ms;
// A new version gets this long to answer /readyz before it is given up.
constexpr auto kReadyTimeout = 30s;
// How long pages wait for the old version to close its listener before they are told
// to reload anyway (an app that never closes it: the reload may then reach it).
constexpr auto kReleaseTimeout = 2s;
// How often the loop reaps draining processes when nothing else happens.
constexpr auto kIdleTick = 200ms;

void say(const std::string& line) { std::cerr << "httpkit dev: " << line << std::endl; }

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

int open_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  return ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

}  // namespace

DevLoop::DevLoop(Project p, const std::string& addr, bool live_reload)
    : p_(std::move(p)), addr_(addr), listen_fd_(listen_tcp(addr)), signal_fd_(open_signal_fd()), watcher_(p_.root) {
  if (live_reload) {
    live_.emplace();
    say("live reload events on " + live_->url());
  }
}

DevLoop::~DevLoop() {
  ::close(listen_fd_);
  ::close(signal_fd_);
}

bool DevLoop::build(std::string& errors) {
  // Configure only for a new tree: after that ninja re-runs CMake by itself when a
  // CMakeLists.txt changed, and a source edit costs no configure step.
  if (needs_configure(p_, BuildMode::dev_loop)) {
    auto r = run_capture(configure_command(p_, BuildMode::dev_loop));
    if (r.status != 0) {
      errors = summarize_build_errors(r.output);
      say("cmake configure failed:\n" + errors);
      return false;
    }
  }
  auto r = run_capture(build_command(p_, BuildMode::dev_loop));
  if (r.status == 0) return true;
  errors = summarize_build_errors(r.output);
  std::cerr << errors;
  return false;
}

void DevLoop::swap_to(AppProcess next, Clock::time_point since) {
  if (!next.wait_ready(kReadyTimeout)) {
    next.kill();
    const int status = next.wait();
    const std::string why = "the new version did not become ready (exit status " + std::to_string(status) + ")";
    say(why + (current_ ? "; still serving the previous version" : ""));
    if (live_) live_->build_error(why);
    return;
  }
  // Both versions accept on the one socket now; the old one stops accepting and
  // finishes its requests on SIGTERM, so no connection meets a closed door.
  std::optional<AppProcess> old = std::exchange(current_, next);
  if (old) {
    old->stop();
    draining_.push_back(*old);
  }
  say("serving http://" + addr_ + " (pid " + std::to_string(next.pid()) + ", ready in " +
      std::to_string(ms_since(since)) + " ms)");
  // Pages reload only once the new version answers /readyz (air reloads before the
  // app is up, air#639) and the old one has closed its listener: until then the
  // page's request could still be accepted by the old version and show the old page.
  if (live_) {
    if (old) old->wait_released(listen_fd_, kReleaseTimeout);
    live_->reload();
  }
}

void DevLoop::reload(const std::string& why) {
  const auto start = Clock::now();
  say(why + ": rebuilding");
  if (live_) live_->building(why);
  std::string errors;
  if (!build(errors)) {
    say(current_ ? "build failed; still serving the previous version" : "build failed; waiting for a fix");
    if (live_) live_->build_error(errors);
    return;
  }
  swap_to(AppProcess::start(executable(p_, BuildMode::dev_loop), p_.root, listen_fd_, live_ ? live_->url() : ""),
          start);
}

void DevLoop::reap() {
  std::erase_if(draining_, [](AppProcess& p) { return p.reap(); });
  if (current_ && current_->reap()) {
    say("the app exited (status " + std::to_string(current_->status()) + "); waiting for a change");
    current_.reset();
  }
}

int DevLoop::shut_down() {
  say("stopping");
  if (current_) current_->stop();
  for (auto& p : draining_) p.wait();
  return current_ ? current_->wait() : 0;
}

int DevLoop::run() {
  reload("starting");
  // The rebuild is due kDebounce after the last relevant change; never while nothing
  // changed. (A time point rather than an optional one: GCC 12 -O2 warns wrongly that
  // an optional time_point may be read uninitialised.)
  constexpr Clock::time_point kNever = Clock::time_point::max();
  Clock::time_point due = kNever;
  std::string what;
  for (;;) {
    std::vector<pollfd> fds{{watcher_.fd(), POLLIN, 0}, {signal_fd_, POLLIN, 0}};
    if (live_) live_->add_poll_fds(fds);
    auto wait = due != kNever ? std::max(0ms, std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()))
                              : std::chrono::duration_cast<std::chrono::milliseconds>(kIdleTick);
    ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    if (live_) live_->handle_poll(fds, 2);
    if (fds[1].revents & POLLIN) return shut_down();
    if (fds[0].revents & POLLIN) {
      if (auto changed = watcher_.drain(); !changed.empty()) {
        due = Clock::now() + kDebounce;
        what = changed;
      }
    }
    if (due != kNever && Clock::now() >= due) {
      due = kNever;
      reload(what + " changed");
    }
    reap();
  }
}

}  // namespace httpkit::cli
