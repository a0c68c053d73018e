// access_log: format one line per request and hand it to an async spdlog logger.
#include "httpkit/middleware/access_log.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "httpkit/middleware/request_id.hpp"
#include "recording_writer.hpp"
#include "request_clock.hpp"

namespace httpkit::middleware {
namespace {

// kNeedsEscape marks the bytes RFC 8259 section 7 requires escaped in a string: quote,
// backslash and control characters. A table: one load per byte of every value.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}();
constexpr bool needs_escape(char c) noexcept { return kNeedsEscape[static_cast<unsigned char>(c)]; }

// first_escape returns the index of the first byte of v that needs an escape, or
// v.size(). It tests eight bytes at a time (the "has a zero byte" bit trick: exact when
// it says none, and the byte loop then finds the exact position).
std::size_t first_escape(std::string_view v) noexcept {
  constexpr std::uint64_t k01 = 0x0101010101010101ULL;
  constexpr std::uint64_t k80 = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t x) { return (x - k01) & ~x & k80; };
  std::size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, v.data() + i, 8);
    const std::uint64_t control = (x - k01 * 0x20) & ~x & k80;  // a byte below 0x20
    if (control | has_zero(x ^ (k01 * '"')) | has_zero(x ^ (k01 * '\\'))) break;
  }
  for (; i < v.size(); ++i) {
    if (needs_escape(v[i])) return i;
  }
  return v.size();
}

bool logfmt_needs_quotes(std::string_view s) noexcept {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '=' || needs_escape(c)) return true;
  }
  return false;
}

// kEscapeGrowth: an escaped character takes at most 6 bytes ("\u001f").
constexpr std::size_t kEscapeGrowth = 6;
// kFixedPartBytes bounds everything in a line but the string values and header names:
// the time (24), three numbers (20 each), the keys and the punctuation.
constexpr std::size_t kFixedPartBytes = 512;

// Line writes one log line into memory reserved for its worst case (see format_line),
// so it never checks for room. Keys are literals, copied with sizes known at compile
// time; a line costs a few hundred instructions (bench/RESULTS-middleware.md).
class Line {
 public:
  Line(char* p, bool json) noexcept : p_(p), json_(json) {}
  char* end() const noexcept { return p_; }

  // time writes RFC 3339 UTC with milliseconds; the seconds part is formatted once per
  // second per thread.
  void time(std::chrono::system_clock::time_point now) noexcept {
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
    if (json_) {
      lit("{\"time\":\"");
    } else {
      lit("time=");
    }
    std::memcpy(p_, cached, 19);
    p_ += 19;
    *p_++ = '.';
    uint(static_cast<std::uint64_t>(ms % 1000), 3);
    *p_++ = 'Z';
    if (json_) *p_++ = '"';
  }
  template <std::size_t N>
  void str(const char (&k)[N], std::string_view v) noexcept {
    key(k);
    value(v);
  }
  // str_dynamic is str for a key known only at run time (AccessLogOptions::headers).
  void str_dynamic(std::string_view k, std::string_view v) noexcept {
    if (json_) {
      lit(",\"");
      raw(k);
      lit("\":");
    } else {
      *p_++ = ' ';
      raw(k);
      *p_++ = '=';
    }
    value(v);
  }
  template <std::size_t N>
  void num(const char (&k)[N], std::int64_t v) noexcept {
    key(k);
    if (v < 0) *p_++ = '-';
    uint(v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v));
  }
  // millis writes a duration as milliseconds with microsecond precision ("0.021").
  template <std::size_t N>
  void millis(const char (&k)[N], Clock::duration d) noexcept {
    key(k);
    const auto us = static_cast<std::uint64_t>(
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count()));
    uint(us / 1000);
    *p_++ = '.';
    uint(us % 1000, 3);
  }
  void finish() noexcept {
    if (json_) *p_++ = '}';
  }

 private:
  template <std::size_t N>
  void lit(const char (&s)[N]) noexcept {
    std::memcpy(p_, s, N - 1);
    p_ += N - 1;
  }
  void raw(std::string_view s) noexcept {
    if (s.empty()) return;  // an empty view's data() may be null
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  template <std::size_t N>
  void key(const char (&k)[N]) noexcept {  // every key follows the time
    if (json_) {
      lit(",\"");
      lit(k);
      lit("\":");
    } else {
      *p_++ = ' ';
      lit(k);
      *p_++ = '=';
    }
  }
  // value: JSON strings are always quoted; logfmt values only when they must be, with
  // the same escapes (RFC 8259 section 7).
  void value(std::string_view v) noexcept {
    if (!json_ && !logfmt_needs_quotes(v)) return raw(v);
    char* p = p_;  // a local: stores through char* would make the compiler reload p_
    *p++ = '"';
    for (;;) {
      const std::size_t k = first_escape(v);
      if (k != 0) std::memcpy(p, v.data(), k);  // an empty view's data() may be null
      p += k;
      if (k == v.size()) break;
      const char c = v[k];
      v.remove_prefix(k + 1);
      if (c == '"' || c == '\\') {
        *p++ = '\\';
        *p++ = c;
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        const char u[kEscapeGrowth] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 15], kHex[c & 15]};
        std::memcpy(p, u, sizeof u);
        p += sizeof u;
      }
    }
    *p++ = '"';
    p_ = p;
  }
  // uint writes v in decimal, zero-padded to at least width digits.
  void uint(std::uint64_t v, int width = 1) noexcept {
    char digits[20];
    int n = 0;
    do {
      digits[sizeof digits - 1 - n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n < width) digits[sizeof digits - 1 - n++] = '0';
    std::memcpy(p_, digits + sizeof digits - n, static_cast<std::size_t>(n));
    p_ += n;
  }

  char* p_;
  bool json_;
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
  TimePoint start;
  TimePoint end;
  bool aborted;
};

// LineBuffer is a thread's line memory, kept between requests. Formatting cannot park,
// so no other fiber of the thread uses it meanwhile.
struct LineBuffer {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;
  char* reserve(std::size_t n) {
    if (n > capacity) {
      data = std::make_unique_for_overwrite<char[]>(n);
      capacity = n;
    }
    return data.get();
  }
};

// format_line returns the line (without end of line) in the thread's LineBuffer.
std::string_view format_line(const AccessLogOptions& o, const Request& r, ResponseWriter& w, const Outcome& x) {
  const std::string_view user_agent = r.header().get("User-Agent");
  std::string_view id = request_id_of(r);
  if (id.empty()) id = w.header().get(kRequestIdHeader);
  const bool query = o.log_query && !r.url().raw_query.empty();
  // The worst case: every value byte escaped.
  std::size_t values = r.method().size() + r.pattern().size() + r.url().path.size() + r.remote_addr().size() +
                       user_agent.size() + id.size() + (query ? r.url().raw_query.size() : 0);
  std::size_t extra = 0;
  for (const std::string& h : o.headers) {
    values += std::max<std::size_t>(r.header().get(h).size(), 16);
    extra += h.size() + 8;
  }
  thread_local LineBuffer buffer;
  char* const begin = buffer.reserve(kFixedPartBytes + extra + values * kEscapeGrowth);

  Line line(begin, o.format == AccessLogOptions::Format::json);
  line.time(detail::wall_time(x.end));
  line.str("method", r.method());
  line.str("route", r.pattern());
  line.str("path", r.url().path);
  if (query) line.str("query", r.url().raw_query);
  line.num("status", x.rec.status());
  line.num("bytes", x.rec.bytes());
  line.millis("duration_ms", x.end - x.start);
  line.str("remote_addr", r.remote_addr());
  line.str("user_agent", user_agent);
  line.str("request_id", id);
  for (const std::string& h : o.headers) {
    const bool redact = !o.log_credentials && is_credential(h) && r.header().has(h);
    line.str_dynamic(h, redact ? std::string_view("[redacted]") : r.header().get(h));
  }
  if (x.rec.hijacked()) line.str("hijacked", "true");
  if (x.aborted) line.str("aborted", "true");
  line.finish();
  return {begin, static_cast<std::size_t>(line.end() - begin)};
}

// LinesFormatter writes a message as it is plus an end of line: the "%v" pattern without
// the pattern formatter's machinery, and with the destination sized once for a batch of
// lines (LineQueue hands the logger up to kAccessLogBatchBytes at a time).
class LinesFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    constexpr std::string_view eol = spdlog::details::os::default_eol;
    dest.reserve(dest.size() + msg.payload.size() + eol.size());
    dest.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
    dest.append(eol.data(), eol.data() + eol.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LinesFormatter>(); }
};

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
    logger->set_formatter(std::make_unique<LinesFormatter>());
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
  logger->set_formatter(std::make_unique<LinesFormatter>());
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
    options.logger->set_formatter(std::make_unique<LinesFormatter>());
  }
  auto queue = std::make_shared<LineQueue>(options.logger);
  auto o = std::make_shared<const AccessLogOptions>(std::move(options));
  return [o, queue](Handler next) -> Handler {
    return [o, queue, next = std::move(next)](ResponseWriter& w, Request& r) {
      detail::RecordingWriter rec(w);
      bool aborted = true;
      struct LogOnExit {  // also on the way out of an exception: aborted requests count
        const AccessLogOptions& o;
        LineQueue& queue;
        Request& r;
        ResponseWriter& w;
        const detail::RecordingWriter& rec;
        detail::RequestClock clock;
        const bool& aborted;
        ~LogOnExit() {
          try {
            queue.push(format_line(o, r, w, Outcome{rec, clock.start(), clock.finish(), aborted}));
          } catch (...) {  // out of memory: lose the line, not the process
          }
        }
      } log_on_exit{*o, *queue, r, w, rec, detail::RequestClock(r), aborted};
      next(rec, r);
      aborted = false;
    };
  };
}

}  // namespace httpkit::middleware
