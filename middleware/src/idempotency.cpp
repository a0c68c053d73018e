// idempotency: replay the first response for an Idempotency-Key (Stripe's design,
// https://docs.stripe.com/api/idempotent_requests; draft-ietf-httpapi-idempotency-key).
#include "httpkit/middleware/idempotency.hpp"

#include <zlib.h>

#include <algorithm>

#include <fmt/format.h>

#include "httpkit/response_controller.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/status.hpp"

namespace httpkit::middleware {
namespace {

constexpr std::string_view kKeyHeader = "Idempotency-Key";
// kMaxKeyLength: Stripe accepts keys of up to 255 characters.
constexpr std::size_t kMaxKeyLength = 255;
// kRetryPoll: how often a waiting retry asks the store again.
constexpr auto kRetryPoll = std::chrono::milliseconds(10);

bool unsafe(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

// Fields not replayed: they belong to the connection or to the retry itself.
bool per_response(std::string_view name) {
  return name == "Date" || name == "Connection" || name == "Content-Length" || name == "X-Request-Id" ||
         name == "Transfer-Encoding";
}

// CaptureWriter passes the response on and keeps a copy of it for the store.
class CaptureWriter final : public ResponseWriter, public Hijacker {
 public:
  CaptureWriter(ResponseWriter& w, std::size_t max_body) : w_(w), max_body_(max_body) {}
  Header& header() override { return w_.header(); }
  void write_header(int code) override {
    if (stored_.status == 0 && code >= 200) snapshot(code);
    w_.write_header(code);
  }
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override {
    if (stored_.status == 0) snapshot(kStatusOK);
    IoResult r = w_.write(data);
    if (stored_.body.size() + r.n > max_body_) too_big_ = true;
    if (!too_big_) stored_.body.append(reinterpret_cast<const char*>(data.data()), r.n);
    return r;
  }
  ResponseWriter* unwrap() override { return &w_; }
  Result<Hijacked> hijack() override {
    hijacked_ = true;
    return ResponseController(w_).hijack();
  }
  // storable: a complete response we kept whole.
  bool storable() const { return !hijacked_ && !too_big_; }
  StoredResponse take() {
    if (stored_.status == 0) snapshot(kStatusOK);
    return std::move(stored_);
  }

 private:
  void snapshot(int code) {
    stored_.status = code;
    for (const auto& f : w_.header()) {
      if (!per_response(f.name)) stored_.header.emplace_back(std::string(f.name), std::string(f.value));
    }
  }
  ResponseWriter& w_;
  std::size_t max_body_;
  StoredResponse stored_;
  bool hijacked_ = false;
  bool too_big_ = false;
};

// read_limited reads the whole body if it has at most max bytes.
Result<std::string> read_limited(Body& body, std::size_t max) {
  std::string out;
  std::byte buf[16 << 10];
  for (;;) {
    IoResult r = body.read(buf);
    out.append(reinterpret_cast<const char*>(buf), r.n);
    if (out.size() > max) return errc::body_too_large;
    if (r.err == errc::eof) return out;
    if (r.err) return r.err;
  }
}

// fingerprint identifies the request a key was first used with: method, target and a
// 96-bit digest of the body (FNV-1a 64 and CRC-32), enough to tell a changed body.
std::string fingerprint(const Request& r, const std::string& body) {
  std::uint64_t fnv = 14695981039346656037ULL;
  for (unsigned char c : body) fnv = (fnv ^ c) * 1099511628211ULL;
  const auto crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return fmt::format("{} {}?{} {} {:016x}{:08x}", r.method(), r.url().path, r.url().raw_query, body.size(), fnv, crc);
}

void replay(ResponseWriter& w, const StoredResponse& s) {
  Header& h = w.header();
  for (const auto& [name, value] : s.header) h.add(name, value);
  h.set("Idempotent-Replayed", "true");
  w.write_header(s.status);
  w.write(s.body);
}

void run_first(IdempotencyStore& store, const std::string& key, std::size_t max_body, const Handler& next,
               ResponseWriter& w, Request& r, std::string body) {
  Request inner = r;
  inner.set_body(std::make_shared<StringBody>(std::move(body)));
  CaptureWriter cw(w, max_body);
  try {
    next(cw, inner);
  } catch (...) {
    store.abandon(key);
    throw;
  }
  r.set_pattern(inner.pattern());
  if (cw.storable()) {
    store.complete(key, cw.take());
  } else {
    store.abandon(key);
  }
}

// claim asks the store until the key is ours, replayable, refused, or the wait is over.
bool claim(IdempotencyStore& store, const IdempotencyOptions& o, const std::string& key, const std::string& fp,
           ResponseWriter& w) {
  const TimePoint deadline = Clock::now() + o.wait;
  for (;;) {
    IdempotencyStore::Begin b = store.begin(key, fp);
    switch (b.state) {
      case IdempotencyStore::State::started: return true;
      case IdempotencyStore::State::done: replay(w, b.response); return false;
      case IdempotencyStore::State::mismatch:
        error(w, "Idempotency-Key was used with a different request", kStatusUnprocessableEntity);
        return false;
      case IdempotencyStore::State::in_flight: break;
    }
    if (Clock::now() >= deadline) {
      w.header().set("Retry-After", "1");
      error(w, "a request with this Idempotency-Key is still being processed", kStatusConflict);
      return false;
    }
    sleep_for(std::min<Duration>(kRetryPoll, deadline - Clock::now()));
  }
}

}  // namespace

Middleware idempotency(IdempotencyOptions options) {
  if (!options.store) options.store = memory_idempotency_store();
  auto o = std::make_shared<const IdempotencyOptions>(std::move(options));
  return [o](Handler next) -> Handler {
    return [o, next = std::move(next)](ResponseWriter& w, Request& r) {
      const std::string_view key_view = r.header().get(kKeyHeader);
      if (!unsafe(r.method()) || key_view.empty()) return next(w, r);
      if (key_view.size() > kMaxKeyLength) return error(w, "Idempotency-Key is too long", kStatusBadRequest);
      Result<std::string> body = read_limited(r.body(), o->max_body);
      if (!body) {
        const bool large = body.error() == errc::body_too_large;
        return error(w, large ? "request body too large" : "cannot read request body",
                     large ? kStatusRequestEntityTooLarge : kStatusBadRequest);
      }
      const std::string key(key_view);
      if (!claim(*o->store, *o, key, fingerprint(r, *body), w)) return;
      run_first(*o->store, key, o->max_body, next, w, r, std::move(*body));
    };
  };
}

}  // namespace httpkit::middleware
