// RecordingWriter: a pass-through ResponseWriter that remembers what went out, for the
// middleware that reports on a response (recover, access_log, metrics).
#pragma once

#include <cstdint>

#include "httpkit/response_controller.hpp"
#include "httpkit/response_writer.hpp"
#include "httpkit/status.hpp"

namespace httpkit::middleware::detail {

// RecordingWriter forwards every call to the writer it wraps and records the final
// status (0 until one is sent; 1xx informational answers do not count), the body bytes
// accepted, and a successful hijack. It implements Hijacker only to see hijacks: the
// call goes on down the unwrap() chain. Lives on the middleware's stack frame.
class RecordingWriter final : public ResponseWriter, public Hijacker {
 public:
  explicit RecordingWriter(ResponseWriter& w) noexcept : w_(w) {}

  Header& header() override { return w_.header(); }
  void write_header(int code) override {
    if (status_ == 0 && (code >= 200 || code == kStatusSwitchingProtocols)) status_ = code;
    w_.write_header(code);
  }
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override {
    if (status_ == 0) status_ = kStatusOK;
    IoResult r = w_.write(data);
    bytes_ += static_cast<std::int64_t>(r.n);
    return r;
  }
  ResponseWriter* unwrap() override { return &w_; }
  Result<Hijacked> hijack() override {
    Result<Hijacked> r = ResponseController(w_).hijack();
    if (r) hijacked_ = true;
    return r;
  }

  int status() const noexcept { return status_; }
  bool wrote() const noexcept { return status_ != 0; }
  std::int64_t bytes() const noexcept { return bytes_; }
  bool hijacked() const noexcept { return hijacked_; }

 private:
  ResponseWriter& w_;
  int status_ = 0;
  std::int64_t bytes_ = 0;
  bool hijacked_ = false;
};

}  // namespace httpkit::middleware::detail
