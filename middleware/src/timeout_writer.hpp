// TimeoutWriter: the buffering ResponseWriter of the timeout middleware.
#pragma once

#include <string>

#include "httpkit/header.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit::middleware::detail {

// TimeoutWriter keeps the handler's header, status and body until the handler returns
// (Go's timeoutWriter), or until it flushes or hijacks: then what is held goes to the
// real writer and later writes pass through ("committed"). All of it runs on one
// scheduler thread; busy() marks calls that may park inside the real writer, during
// which the watcher must not write its 503.
class TimeoutWriter final : public ResponseWriter, public Flusher, public Hijacker {
 public:
  // deadline: when the handler's time is up; past it, calls fail even before the
  // watcher fiber had a chance to run.
  TimeoutWriter(ResponseWriter& real, TimePoint deadline) noexcept : real_(real), deadline_(deadline) {}

  Header& header() override { return committed_ ? real_.header() : header_; }
  void write_header(int code) override;
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override;
  ResponseWriter* unwrap() override { return &real_; }
  std::error_code flush() override;
  Result<Hijacked> hijack() override;

  // commit sends the held response to the real writer (the handler returned in time).
  void commit();
  // time_out makes later calls fail with errc::handler_timeout.
  void time_out() noexcept { timed_out_ = true; }

  bool committed() const noexcept { return committed_; }
  bool hijacked() const noexcept { return hijacked_; }
  bool busy() const noexcept { return busy_; }
  // timed_out: the watcher answered, or the deadline passed (checked on each call).
  bool timed_out() noexcept {
    if (!timed_out_ && Clock::now() >= deadline_) timed_out_ = true;
    return timed_out_;
  }

 private:
  ResponseWriter& real_;
  TimePoint deadline_;
  Header header_;
  std::string body_;
  int code_ = 0;
  bool committed_ = false;
  bool hijacked_ = false;
  bool busy_ = false;
  bool timed_out_ = false;
};

}  // namespace httpkit::middleware::detail
