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

// kByLength[n] lists the keys of length n, so a look-up compares at most a few.
constexpr std::size_t kMaxLength = 32;
constexpr std::size_t kPerLength = 4;
struct Bucket {
  std::array<std::uint8_t, kPerLength> index{};
  std::uint8_t count = 0;
};
constexpr std::array<Bucket, kMaxLength> kByLength = [] {
  std::array<Bucket, kMaxLength> t{};
  for (std::size_t i = 0; i < std::size(kCommonKeys); ++i) {
    Bucket& b = t[kCommonKeys[i].size()];
    b.index[b.count++] = static_cast<std::uint8_t>(i);  // a fifth key of one length fails to compile
  }
  return t;
}();

}  // namespace

std::string_view common_header_key(std::string_view key) noexcept {
  if (key.size() >= kMaxLength) return {};
  const Bucket& b = kByLength[key.size()];
  for (std::size_t i = 0; i < b.count; ++i) {
    const std::string_view k = kCommonKeys[b.index[i]];
    // The first letter tells most candidates apart without a call (0x20 folds case).
    if ((k[0] | 0x20) == (key[0] | 0x20) && equal_fold(k, key)) return k;
  }
  return {};
}

}  // namespace httpkit::detail
