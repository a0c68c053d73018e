// request_id: accept or mint X-Request-Id; store it in the context.
#include "httpkit/middleware/request_id.hpp"

#include <sys/random.h>

#include <array>
#include <chrono>
#include <cstdint>

namespace httpkit::middleware {
namespace {

// kRequestIdKey: the context key (its address) under which the id is stored.
constexpr char kRequestIdKey = 0;

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

void put_hex(char* out, std::uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[i] = kHex[v & 15];
}

}  // namespace

std::string new_request_id() {
  thread_local IdState state = seeded();
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  state.counter = (state.counter + 1) & ((std::uint64_t{1} << 42) - 1);
  // 74 bits after the version and variant: counter (42) then node (32).
  const std::uint64_t rand_a = state.counter >> 30;                                          // 12 bits
  const std::uint64_t rand_b = ((state.counter & ((1u << 30) - 1)) << 32) | state.node;      // 62 bits
  std::string id(36, '-');
  put_hex(&id[0], ms >> 16, 8);
  put_hex(&id[9], ms & 0xffff, 4);
  put_hex(&id[14], 0x7000 | rand_a, 4);                                  // version 7
  put_hex(&id[19], 0x8000 | (rand_b >> 48), 4);                          // variant 10
  put_hex(&id[24], rand_b & 0xffffffffffffULL, 12);
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
  const auto* id = r.context().value_as<std::string>(&kRequestIdKey);
  return id ? std::string_view(*id) : std::string_view();
}

// The id goes into the request's context in place (set_context, restored after) rather
// than into a copy of the Request, so that outer middleware still see what the mux sets
// on r (its pattern) and no Request is copied per request.
Middleware request_id() {
  return [](Handler next) -> Handler {
    return [next = std::move(next)](ResponseWriter& w, Request& r) {
      std::string_view incoming = r.header().get(kRequestIdHeader);
      std::string id = valid_request_id(incoming) ? std::string(incoming) : new_request_id();
      w.header().set(kRequestIdHeader, id);
      Context outer = r.context();
      r.set_context(with_value(outer, &kRequestIdKey, std::move(id)));
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
