// access_log: format one line per request and hand it to an async spdlog logger.
#include "httpkit/middleware/access_log.hpp"

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "httpkit/middleware/request_id.hpp"
#include "recording_writer.hpp"

namespace httpkit::middleware {
namespace {

using Buffer = fmt::memory_buffer;

// append_time writes RFC 3339 UTC with milliseconds; the seconds part is formatted once
// per second per thread.
void append_time(Buffer& out, std::chrono::system_clock::time_point now) {
  thread_local std::time_t cached_sec = -1;
  thread_local char cached[24];
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t sec = static_cast<std::time_t>(ms / 1000);
  if (sec != cached_sec) {
    std::tm tm{};
    ::gmtime_r(&sec, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_sec = sec;
  }
  fmt::format_to(std::back_inserter(out), "{}.{:03}Z", std::string_view(cached, 19), ms % 1000);
}

// json_escape follows RFC 8259 section 7: quote, backslash and control characters.
void json_escape(Buffer& out, std::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.push_back(c);
    }
  }
}

bool logfmt_needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

// Line writes key/value pairs in the chosen format.
struct Line {
  Buffer& out;
  bool json;
  bool first = true;

  void key(std::string_view k) {
    if (json) {
      out.append(std::string_view(first ? "{\"" : ",\""));
      out.append(k);
      out.append(std::string_view("\":"));
    } else {
      if (!first) out.push_back(' ');
      out.append(k);
      out.push_back('=');
    }
    first = false;
  }
  void str(std::string_view k, std::string_view v) {
    key(k);
    const bool quote = json || logfmt_needs_quotes(v);
    if (quote) out.push_back('"');
    if (quote) {
      json_escape(out, v);  // logfmt quoting uses the same escapes
    } else {
      out.append(v);
    }
    if (quote) out.push_back('"');
  }
  void num(std::string_view k, std::int64_t v) {
    key(k);
    const fmt::format_int f(v);
    out.append(f.data(), f.data() + f.size());
  }
  // millis writes a duration as milliseconds with microsecond precision ("0.021").
  void millis(std::string_view k, Clock::duration d) {
    key(k);
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    const fmt::format_int whole(us / 1000);
    out.append(whole.data(), whole.data() + whole.size());
    const char frac[4] = {'.', static_cast<char>('0' + us / 100 % 10), static_cast<char>('0' + us / 10 % 10),
                          static_cast<char>('0' + us % 10)};
    out.append(frac, frac + 4);
  }
  void finish() {
    if (json) out.push_back('}');
  }
};

bool is_credential(std::string_view h) {
  auto eq = [&](std::string_view name) {
    if (h.size() != name.size()) return false;
    for (std::size_t i = 0; i < h.size(); ++i) {
      if ((h[i] | 0x20) != (name[i] | 0x20)) return false;
    }
    return true;
  };
  return eq("authorization") || eq("cookie") || eq("proxy-authorization");
}

struct Outcome {
  const detail::RecordingWriter& rec;
  Clock::duration took;
  bool aborted;
};

void format_line(Buffer& out, const AccessLogOptions& o, const Request& r, ResponseWriter& w, const Outcome& x) {
  Line line{out, o.format == AccessLogOptions::Format::json};
  out.append(std::string_view(line.json ? "{\"time\":\"" : "time="));
  append_time(out, std::chrono::system_clock::now());
  if (line.json) out.push_back('"');
  line.first = false;
  line.str("method", r.method());
  line.str("route", r.pattern());
  line.str("path", r.url().path);
  if (o.log_query && !r.url().raw_query.empty()) line.str("query", r.url().raw_query);
  line.num("status", x.rec.status());
  line.num("bytes", x.rec.bytes());
  line.millis("duration_ms", x.took);
  line.str("remote_addr", r.remote_addr());
  line.str("user_agent", r.header().get("User-Agent"));
  std::string_view id = request_id_of(r);
  line.str("request_id", id.empty() ? w.header().get(kRequestIdHeader) : id);
  for (const std::string& h : o.headers) {
    const bool redact = !o.log_credentials && is_credential(h) && r.header().has(h);
    line.str(h, redact ? std::string_view("[redacted]") : r.header().get(h));
  }
  if (x.rec.hijacked()) line.str("hijacked", "true");
  if (x.aborted) line.str("aborted", "true");
  line.finish();
}

// AsyncLog owns an async logger, its thread pool (the logger only holds it weakly) and
// a flusher: lines reach the sink's stdio buffer at once and the file within
// kAccessLogFlush, without a write(2) per line.
struct AsyncLog {
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<spdlog::async_logger> logger;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;  // guarded by mu
  std::thread flusher;

  AsyncLog(const std::string& name, spdlog::sink_ptr sink)
      : pool(std::make_shared<spdlog::details::thread_pool>(kAccessLogQueue, 1)),
        logger(std::make_shared<spdlog::async_logger>(name, std::move(sink), pool,
                                                      spdlog::async_overflow_policy::overrun_oldest)) {
    logger->set_pattern("%v");
    flusher = std::thread([this] {
      std::unique_lock lock(mu);
      while (!cv.wait_for(lock, kAccessLogFlush, [this] { return stop; })) logger->flush();
    });
  }
  ~AsyncLog() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_one();
    flusher.join();
    logger->flush();
  }
};

std::shared_ptr<spdlog::logger> make_async(const std::string& name, spdlog::sink_ptr sink) {
  auto log = std::make_shared<AsyncLog>(name, std::move(sink));
  return std::shared_ptr<spdlog::logger>(log, log->logger.get());
}

// LineQueue hands lines from handlers to one writer thread in batches: a handler only
// appends to a buffer under an uncontended mutex; the writer wakes every
// kAccessLogFlush (or when kAccessLogBatchBytes are waiting) and passes the lines to the
// logger. So no handler waits on the logger's sink, whatever logger it is, and there is
// no thread wake-up per request. Above kAccessLogMaxPendingBytes lines are dropped.
class LineQueue {
 public:
  explicit LineQueue(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {
    writer_ = std::thread([this] { run(); });
  }
  LineQueue(const LineQueue&) = delete;
  LineQueue& operator=(const LineQueue&) = delete;
  ~LineQueue() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    writer_.join();
  }

  void push(std::string_view line) {
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      if (pending_.size() + line.size() > kAccessLogMaxPendingBytes) {
        ++dropped_;
        return;
      }
      pending_.append(line);
      pending_.push_back('\n');
      wake = pending_.size() >= kAccessLogBatchBytes && !woken_;
      woken_ = woken_ || wake;
    }
    if (wake) cv_.notify_one();
  }

 private:
  void run() {
    std::string batch;
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait_for(lock, kAccessLogFlush, [this] { return stop_ || woken_; });
      batch.swap(pending_);
      woken_ = false;
      const bool stopping = stop_;
      const std::uint64_t dropped = std::exchange(dropped_, 0);
      lock.unlock();
      write(batch, dropped);
      batch.clear();
      lock.lock();
      if (stopping && pending_.empty()) return;
    }
  }

  // write hands the whole batch to the logger as one message: with the "%v" pattern
  // the sink receives exactly the lines, at one logger call per batch instead of per line.
  void write(std::string_view batch, std::uint64_t dropped) {
    if (!batch.empty()) {
      batch.remove_suffix(1);  // the sink adds the last end of line
      logger_->info(batch);
      logger_->flush();
    }
    if (dropped > 0) logger_->warn("httpkit: access log dropped {} lines (writer behind)", dropped);
  }

  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;        // guarded by mu_
  std::uint64_t dropped_ = 0;  // guarded by mu_
  bool woken_ = false;         // guarded by mu_
  bool stop_ = false;          // guarded by mu_
  std::thread writer_;
};

}  // namespace

std::shared_ptr<spdlog::logger> file_logger(const std::string& name, const std::string& path) {
  auto logger = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::basic_file_sink_mt>(path));
  logger->set_pattern("%v");
  return logger;
}

std::shared_ptr<spdlog::logger> async_file_logger(const std::string& name, const std::string& path) {
  return make_async(name, std::make_shared<spdlog::sinks::basic_file_sink_mt>(path));
}

std::shared_ptr<spdlog::logger> async_stdout_logger(const std::string& name) {
  return make_async(name, std::make_shared<spdlog::sinks::stdout_sink_mt>());
}

Middleware access_log(AccessLogOptions options) {
  if (!options.logger) {
    options.logger = std::make_shared<spdlog::logger>("httpkit.access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    options.logger->set_pattern("%v");
  }
  auto queue = std::make_shared<LineQueue>(options.logger);
  auto o = std::make_shared<const AccessLogOptions>(std::move(options));
  return [o, queue](Handler next) -> Handler {
    return [o, queue, next = std::move(next)](ResponseWriter& w, Request& r) {
      detail::RecordingWriter rec(w);
      const TimePoint start = Clock::now();
      bool aborted = true;
      struct LogOnExit {  // also on the way out of an exception: aborted requests count
        const AccessLogOptions& o;
        LineQueue& queue;
        Request& r;
        ResponseWriter& w;
        const detail::RecordingWriter& rec;
        TimePoint start;
        const bool& aborted;
        ~LogOnExit() {
          try {
            Buffer buf;
            format_line(buf, o, r, w, Outcome{rec, Clock::now() - start, aborted});
            queue.push(std::string_view(buf.data(), buf.size()));
          } catch (...) {  // out of memory: lose the line, not the process
          }
        }
      } log_on_exit{*o, *queue, r, w, rec, start, aborted};
      next(rec, r);
      aborted = false;
    };
  };
}

}  // namespace httpkit::middleware
