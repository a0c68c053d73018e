// SignalFd: process signals as readable events, so the app handles SIGTERM in plain code
// on its own thread instead of in an async handler (and the library installs none).
#pragma once

#include <chrono>
#include <initializer_list>

namespace httpkit::app_detail {

class SignalFd {
 public:
  // Blocks signals in the calling thread (threads created later inherit the mask, so
  // construct it before any other thread exists) and opens a signalfd for them.
  explicit SignalFd(std::initializer_list<int> signals);
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  ~SignalFd();

  // wait returns the next signal number, or 0 when timeout passes first.
  int wait(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
};

}  // namespace httpkit::app_detail
