#include "static_routes.hpp"

#include <cstring>
#include <utility>

#include "httpkit/url.hpp"
#include "routing_tree.hpp"
#include "text.hpp"

namespace httpkit::mux_detail {
namespace {

// literal_path returns the request path a pattern made only of plain literal
// segments matches ("/user/repos", "/a/" for "/a/{$}"), or "" when it has a
// wildcard or a segment a request path would spell differently.
std::string literal_path(const Pattern& p) {
  std::string out;
  for (const Segment& seg : p.segments) {
    if (seg.wild) return {};
    if (seg.s == "/") {  // {$}: the trailing slash, always last
      out += '/';
      continue;
    }
    if (seg.s.empty() || seg.s == "." || seg.s == "..") return {};
    if (seg.s.find('/') != std::string_view::npos || !is_plain_path(seg.s)) return {};
    out += '/';
    out += seg.s;
  }
  return out;
}

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint64_t load4(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// tail packs the last n % 8 bytes of s (all of s when it is shorter than 8) into
// one word with overlapping loads instead of a byte loop. Equal strings give equal
// words; that is all hashing and comparing need.
std::uint64_t tail(const char* p, std::size_t n) noexcept {
  if (n >= 8) return load8(p + n - 8);
  if (n >= 4) return load4(p) | load4(p + n - 4) << 32;
  if (n == 0) return 0;
  return std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
         std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
}

// hash_bytes folds eight bytes at a time: request paths run 10-40 bytes, so a
// byte-at-a-time FNV would cost more than the rest of the lookup.
std::uint64_t hash_bytes(std::uint64_t h, std::string_view s) noexcept {
  constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) h = ((h ^ load8(p + i)) * kPrime) ^ (h >> 29);
  return ((h ^ tail(p, n) ^ n) * kPrime) ^ (h >> 31);
}

// same_bytes is a == b for short keys, in line: a memcmp call costs more here.
bool same_bytes(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (load8(a.data() + i) != load8(b.data() + i)) return false;
  }
  return tail(a.data(), n) == tail(b.data(), n);
}

}  // namespace

std::uint64_t StaticRoutes::hash(std::string_view method, std::string_view path) noexcept {
  return hash_bytes(hash_bytes(0xcbf29ce484222325ULL, method), path);
}

void StaticRoutes::add(const Route& r) {
  const Pattern& p = *r.pattern;
  if (!p.host.empty()) {
    off_ = true;
    return;
  }
  if (p.method.empty()) return;
  std::string path = literal_path(p);
  if (path.empty()) return;
  if (2 * (count_ + 1) > table_.size()) {
    std::vector<Slot> old = std::exchange(table_, std::vector<Slot>(table_.empty() ? 64 : table_.size() * 2));
    count_ = 0;
    for (Slot& s : old) {
      if (s.route) insert(std::move(s));
    }
  }
  const std::uint64_t h = hash(p.method, path);
  insert(Slot{h, p.method, std::move(path), &r});
}

void StaticRoutes::insert(Slot s) {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = s.hash & mask;
  while (table_[i].route) i = (i + 1) & mask;
  table_[i] = std::move(s);
  ++count_;
}

const Route* StaticRoutes::find(std::string_view method, std::string_view path) const noexcept {
  if (off_ || count_ == 0) return nullptr;
  const std::uint64_t h = hash(method, path);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = table_[i];
    if (!s.route) return nullptr;
    if (s.hash == h && same_bytes(s.path, path) && same_bytes(s.method, method)) return s.route;
  }
}

}  // namespace httpkit::mux_detail
