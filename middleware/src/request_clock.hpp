// RequestClock: one clock reading at the start and one at the end of a request, shared
// by the middleware of a chain that time it (request_id, access_log, metrics), and wall
// time derived from the steady clock. Each clock read costs ~20 ns; the default chain
// used to make six per request (bench/RESULTS-middleware.md).
#pragma once

#include <chrono>

#include "httpkit/context.hpp"
#include "httpkit/request.hpp"

namespace httpkit::middleware::detail {

// wall_time converts a steady-clock reading to wall-clock time without reading the
// wall clock: the offset between the two clocks is sampled at most once per second per
// thread, so a step of the wall clock shows within a second and NTP slewing (parts per
// million) is invisible at the milliseconds we print.
inline std::chrono::system_clock::time_point wall_time(TimePoint steady) noexcept {
  using std::chrono::system_clock;
  thread_local TimePoint sampled_at{};
  thread_local system_clock::duration offset{};
  if (sampled_at == TimePoint{} || steady < sampled_at || steady - sampled_at > std::chrono::seconds(1)) {
    sampled_at = steady;
    offset = system_clock::now().time_since_epoch() -
             std::chrono::duration_cast<system_clock::duration>(steady.time_since_epoch());
  }
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(steady.time_since_epoch()) +
                                  offset);
}

// RequestClock times one request for one middleware, sharing readings with the others
// through a per-thread slot keyed by the Request's address:
//  - start: the outermost RequestClock reads the clock and publishes the reading until
//    it is destroyed; inner ones for the same Request take it. A publication never
//    outlives its owner's frame, and two requests in flight never share a Request, so
//    a match is always this request's start. (If a fiber parks in between and another
//    request overwrites the slot, the inner one simply reads the clock.)
//  - finish: the first to finish (the innermost) reads the clock and publishes; the
//    outer ones take that reading if it is for the same Request and not older than
//    their own start (a reading left by an earlier request on the same connection is).
// Lives on the middleware's stack frame, on the request's fiber.
class RequestClock {
 public:
  explicit RequestClock(const Request& r) noexcept : r_(&r) {
    Slot& s = slot();
    if (s.start_of == r_) {
      start_ = s.start;
    } else {
      start_ = Clock::now();
      s.start_of = r_;
      s.start = start_;
      owner_ = true;
    }
  }
  RequestClock(const RequestClock&) = delete;
  RequestClock& operator=(const RequestClock&) = delete;
  ~RequestClock() {
    Slot& s = slot();
    if (owner_ && s.start_of == r_ && s.start == start_) s.start_of = nullptr;
  }

  TimePoint start() const noexcept { return start_; }

  // finish returns the end of the request (see the class comment).
  TimePoint finish() noexcept {
    Slot& s = slot();
    if (s.end_of == r_ && s.end >= start_) return s.end;
    const TimePoint now = Clock::now();
    s.end_of = r_;
    s.end = now;
    return now;
  }

 private:
  struct Slot {
    const Request* start_of = nullptr;
    TimePoint start{};
    const Request* end_of = nullptr;
    TimePoint end{};
  };
  static Slot& slot() noexcept {
    thread_local Slot s;
    return s;
  }

  const Request* r_;
  TimePoint start_{};
  bool owner_ = false;
};

}  // namespace httpkit::middleware::detail
