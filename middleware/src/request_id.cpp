// request_id: accept or mint X-Request-Id; store it in the context.
#include "httpkit/middleware/request_id.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <utility>

#include "request_clock.hpp"

namespace httpkit::middleware {
namespace {

// kRequestIdKey: the context key (its address) under which the id is stored.
constexpr char kRequestIdKey = 0;
// kGeneratedIdLength: a UUID's text form, 8-4-4-4-12 hex digits (RFC 9562 section 4).
constexpr std::uint8_t kGeneratedIdLength = 36;

struct IdState {
  std::uint64_t counter = 0;  // 42 bits used; starts random
  std::uint32_t node = 0;     // random per thread
};

IdState seeded() {
  std::array<std::uint64_t, 2> r{};
  if (::getrandom(r.data(), sizeof r, 0) != static_cast<ssize_t>(sizeof r)) {
    r[0] = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    r[1] = reinterpret_cast<std::uintptr_t>(&r) ^ (r[0] << 17);
  }
  return {r[0] & ((std::uint64_t{1} << 42) - 1), static_cast<std::uint32_t>(r[1])};
}

// put_hex writes the low 4*digits bits of v as lower-case hex, two digits per table
// look-up (digits is even).
void put_hex(char* out, std::uint64_t v, int digits) {
  static constexpr auto kPairs = [] {
    std::array<char, 512> t{};
    constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 256; ++i) {
      t[2 * i] = kHex[i >> 4];
      t[2 * i + 1] = kHex[i & 15];
    }
    return t;
  }();
  for (int i = digits - 2; i >= 0; i -= 2, v >>= 8) std::memcpy(out + i, &kPairs[2 * (v & 0xff)], 2);
}

// format_request_id writes a new UUIDv7 for the wall time now into out[0, 36).
void format_request_id(char* out, std::chrono::system_clock::time_point now) noexcept {
  thread_local IdState state = seeded();
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  state.counter = (state.counter + 1) & ((std::uint64_t{1} << 42) - 1);
  // 74 bits after the version and variant: counter (42) then node (32).
  const std::uint64_t rand_a = state.counter >> 30;                                          // 12 bits
  const std::uint64_t rand_b = ((state.counter & ((1u << 30) - 1)) << 32) | state.node;      // 62 bits
  put_hex(out, ms >> 16, 8);
  out[8] = '-';
  put_hex(out + 9, ms & 0xffff, 4);
  out[13] = '-';
  put_hex(out + 14, 0x7000 | rand_a, 4);              // version 7
  out[18] = '-';
  put_hex(out + 19, 0x8000 | (rand_b >> 48), 4);      // variant 10
  out[23] = '-';
  put_hex(out + 24, rand_b & 0xffffffffffffULL, 12);
}

// IdBuffer holds one request's id in place: no string, no allocation of its own. It is
// shared by the contexts that carry it (IdRef, intrusively counted so that it fits
// std::any's inline storage) and by the thread's spare (see acquire_id_buffer).
struct IdBuffer {
  std::atomic<long> refs{1};
  std::uint8_t size = 0;
  char data[kMaxRequestIdLength];
  std::string_view view() const noexcept { return {data, size}; }
};

// IdRef is the context's value: one pointer, so std::any stores it without allocating.
class IdRef {
 public:
  explicit IdRef(IdBuffer* b) noexcept : b_(b) { b_->refs.fetch_add(1, std::memory_order_relaxed); }
  IdRef(const IdRef& o) noexcept : IdRef(o.b_) {}
  IdRef(IdRef&& o) noexcept : b_(std::exchange(o.b_, nullptr)) {}
  IdRef& operator=(const IdRef&) = delete;
  ~IdRef() {
    if (b_ && b_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete b_;
  }
  std::string_view view() const noexcept { return b_->view(); }

 private:
  IdBuffer* b_;
};
static_assert(sizeof(IdRef) == sizeof(void*), "IdRef must fit std::any's inline storage");

// acquire_id_buffer returns a buffer the caller may overwrite: the thread's spare when
// no context holds it any more (the usual case once the previous request returned),
// else a new one that becomes the spare. The spare's own reference is the 1 in refs.
IdBuffer* acquire_id_buffer() {
  struct Spare {
    IdBuffer* b = nullptr;
    ~Spare() {
      if (b && b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete b;
    }
  };
  thread_local Spare spare;
  if (spare.b && spare.b->refs.load(std::memory_order_acquire) == 1) return spare.b;
  auto* fresh = new IdBuffer();
  if (spare.b && spare.b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete spare.b;
  spare.b = fresh;
  return fresh;
}

}  // namespace

std::string new_request_id() {
  std::string id(36, '-');
  format_request_id(id.data(), std::chrono::system_clock::now());
  return id;
}

bool valid_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '+' || c == '=' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view request_id_of(const Request& r) noexcept {
  const auto* id = r.context().value_as<IdRef>(&kRequestIdKey);
  return id ? id->view() : std::string_view();
}

// The id goes into the request's context in place (set_context, restored after) rather
// than into a copy of the Request, so that outer middleware still see what the mux sets
// on r (its pattern) and no Request is copied per request. The id itself lives in the
// thread's reused IdBuffer: the context node is the only allocation per request.
Middleware request_id() {
  return [](Handler next) -> Handler {
    return [next = std::move(next)](ResponseWriter& w, Request& r) {
      // The request's start reading, shared with access_log and metrics inside.
      detail::RequestClock clock(r);
      IdBuffer* buf = acquire_id_buffer();
      std::string_view incoming = r.header().get(kRequestIdHeader);
      if (valid_request_id(incoming)) {
        std::copy(incoming.begin(), incoming.end(), buf->data);
        buf->size = static_cast<std::uint8_t>(incoming.size());
      } else {
        format_request_id(buf->data, detail::wall_time(clock.start()));
        buf->size = kGeneratedIdLength;
      }
      w.header().set(kRequestIdHeader, buf->view());
      Context outer = r.context();
      r.set_context(with_value(outer, &kRequestIdKey, IdRef(buf)));
      struct Restore {
        Request& r;
        Context& ctx;
        ~Restore() { r.set_context(std::move(ctx)); }
      } restore{r, outer};
      next(w, r);
    };
  };
}

}  // namespace httpkit::middleware
