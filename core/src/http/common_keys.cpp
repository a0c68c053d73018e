#include "http/common_keys.hpp"

#include <array>
#include <cstdint>

#include "httpkit/header.hpp"

namespace httpkit::detail {
namespace {

// Canonical as Go writes them: "Etag", not "ETag".
constexpr std::string_view kCommonKeys[] = {
    "Accept", "Accept-Encoding", "Accept-Language", "Access-Control-Allow-Origin", "Allow",
    "Authorization", "Cache-Control", "Connection", "Content-Encoding", "Content-Length",
    "Content-Type", "Cookie", "Date", "Etag", "Expires", "Host", "If-Modified-Since",
    "If-None-Match", "Last-Modified", "Location", "Retry-After", "Server", "Set-Cookie", "Trailer",
    "Transfer-Encoding", "Upgrade", "User-Agent", "Vary", "X-Forwarded-For", "X-Request-Id",
};

// kSlot[n][c & 31] is 1 + the index of the key of length n whose last letter is c,
// or 0: no two keys share a length and a last letter (checked here, at compile
// time), so a look-up compares with one candidate at most.
constexpr std::size_t kMaxLength = 32;
using SlotTable = std::array<std::array<std::uint8_t, 32>, kMaxLength>;
constexpr SlotTable kSlot = [] {
  SlotTable t{};
  for (std::size_t i = 0; i < std::size(kCommonKeys); ++i) {
    const std::string_view k = kCommonKeys[i];
    std::uint8_t& slot = t[k.size()][static_cast<unsigned char>(k.back()) & 31];
    if (slot != 0) throw "two common keys share a length and a last letter";  // not a constant expression
    slot = static_cast<std::uint8_t>(i + 1);
  }
  return t;
}();

}  // namespace

std::string_view common_header_key(std::string_view key) noexcept {
  if (key.empty() || key.size() >= kMaxLength) return {};
  const std::uint8_t slot = kSlot[key.size()][static_cast<unsigned char>(key.back()) & 31];
  if (slot == 0) return {};
  const std::string_view k = kCommonKeys[slot - 1];
  return detail::equal_fold_same_size(k, key) ? k : std::string_view{};
}

}  // namespace httpkit::detail
