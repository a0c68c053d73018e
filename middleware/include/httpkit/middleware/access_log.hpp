// access_log: one line per request, written by a background thread (spdlog async).
//
// Place it inside recover and request_id (so the line has the id and a recovered 500)
// and outside everything that changes the response (compress, timeout):
//   chain(h, {recover(), request_id(), access_log(opts), metrics.middleware(), labels()})
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// AccessLogOptions. logger receives each line at info level as the whole message (give
// it the pattern "%v"); empty means standard output. Handlers never call the logger:
// they queue the line and a writer thread owned by the middleware passes lines on in
// batches every kAccessLogFlush, so a synchronous logger (file_logger) is the cheap
// choice; an async one works too.
// The query string is left out unless log_query: it often carries tokens. headers lists
// request headers to log too; Authorization, Cookie and Proxy-Authorization values are
// logged as "[redacted]" unless log_credentials.
struct AccessLogOptions {
  std::shared_ptr<spdlog::logger> logger;
  enum class Format { json, logfmt } format = Format::json;
  bool log_query = false;
  std::vector<std::string> headers;
  bool log_credentials = false;
};

// access_log logs, after next returns: time, method, route (the mux pattern), path,
// status, bytes (body bytes written), duration_ms, remote_addr, user_agent, request_id,
// and then hijacked=true (the handler took the connection; status is what it wrote
// before, often 0) or aborted=true (next threw; the exception continues outwards).
// JSON lines:  {"time":"2024-05-01T12:00:00.123Z","method":"GET","route":"GET /a/{id}",...}
// logfmt:      time=2024-05-01T12:00:00.123Z method=GET route="GET /a/{id}" ...
Middleware access_log(AccessLogOptions options = {});

// kAccessLogFlush: how often queued lines go to the logger (and its sink is flushed).
inline constexpr std::chrono::milliseconds kAccessLogFlush{200};
// kAccessLogBatchBytes: queued bytes that wake the writer before kAccessLogFlush.
inline constexpr std::size_t kAccessLogBatchBytes = 256 << 10;
// kAccessLogMaxPendingBytes: beyond this backlog lines are dropped (and counted in a
// warning line) rather than making handlers wait (docs/decisions/0021).
inline constexpr std::size_t kAccessLogMaxPendingBytes = 16 << 20;

// file_logger returns a synchronous logger appending lines ("%v") to path: the right
// logger for access_log, whose writer thread already keeps it off the handlers.
std::shared_ptr<spdlog::logger> file_logger(const std::string& name, const std::string& path);

// async_file_logger returns a logger that appends lines ("%v") to path from its own
// background thread, flushed every kAccessLogFlush; when its queue (kAccessLogQueue
// lines) is full the oldest line is dropped. For other logs than access_log's.
inline constexpr std::size_t kAccessLogQueue = 8192;
std::shared_ptr<spdlog::logger> async_file_logger(const std::string& name, const std::string& path);
// async_stdout_logger is the same, to standard output.
std::shared_ptr<spdlog::logger> async_stdout_logger(const std::string& name);

}  // namespace httpkit::middleware
