#include "server/date_cache.hpp"

#include <time.h>

#include <chrono>

#include "httpkit/http_date.hpp"

namespace httpkit::detail {

std::string_view http_date_now() noexcept {
  thread_local char text[kTimeFormatLen];
  thread_local time_t formatted_second = -1;
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  if (ts.tv_sec != formatted_second) {
    formatted_second = ts.tv_sec;
    format_http_date(std::chrono::system_clock::from_time_t(ts.tv_sec), text);
  }
  return {text, kTimeFormatLen};
}

}  // namespace httpkit::detail
