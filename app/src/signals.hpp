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

// ignore_sigpipe makes a write to a closed socket fail with EPIPE instead of killing
// the process, as Go's runtime arranges for sockets: the server writes with ::writev and
// through OpenSSL's socket BIO, neither of which can pass MSG_NOSIGNAL, and a client may
// close at any time (a TLS client right after its handshake, while session tickets and
// HTTP/2 SETTINGS are on their way). The library leaves signals to the app layer.
void ignore_sigpipe();

}  // namespace httpkit::app_detail
