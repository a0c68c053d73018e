// Mapping: a small map from string keys to owned values, tuned for the routing tree
// (Go's net/http/mapping.go): a flat vector scanned linearly while it is small, a
// hash table once it grows. Lookups take a string_view and never allocate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpkit::mux_detail {

template <class V>
class Mapping {
 public:
  // kMaxSlice: up to this many keys a linear scan beats hashing (Go uses 8 too).
  static constexpr std::size_t kMaxSlice = 8;

  // find returns the value for key, or nullptr.
  V* find(std::string_view key) const noexcept {
    if (table_.empty()) {
      for (const auto& [k, v] : slice_) {
        if (equal(k, key)) return v.get();
      }
      return nullptr;
    }
    const std::uint64_t h = hash(key);
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = table_[i];
      if (!s.value) return nullptr;
      if (s.hash == h && equal(s.key, key)) return s.value.get();
    }
  }

  // add inserts value under key, which must not be present, and returns it.
  V* add(std::string_view key, std::unique_ptr<V> value) {
    V* raw = value.get();
    if (table_.empty() && slice_.size() < kMaxSlice) {
      slice_.emplace_back(std::string(key), std::move(value));
      return raw;
    }
    for (auto& [k, v] : slice_) insert(std::move(k), std::move(v));
    slice_.clear();
    insert(std::string(key), std::move(value));
    return raw;
  }

  // each_pair calls f(key, value) for every entry, in no particular order.
  template <class F>
  void each_pair(F&& f) const {
    for (const auto& [k, v] : slice_) f(std::string_view(k), *v);
    for (const Slot& s : table_) {
      if (s.value) f(std::string_view(s.key), *s.value);
    }
  }

  std::size_t size() const noexcept { return slice_.size() + count_; }

 private:
  // The table is open-addressed with linear probing, at most half full.
  struct Slot {
    std::uint64_t hash = 0;
    std::string key;
    std::unique_ptr<V> value;
  };

  // equal compares in line: keys are short, a memcmp call costs more than the loop.
  static bool equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  // hash is FNV-1a: path segments are short, so a simple byte loop is fastest.
  static std::uint64_t hash(std::string_view s) noexcept {
    std::uint64_t h = 14695981039346656037ULL;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
  }

  void insert(std::string key, std::unique_ptr<V> value) {
    if (2 * (count_ + 1) > table_.size()) grow();
    const std::uint64_t h = hash(key);
    const std::size_t mask = table_.size() - 1;
    std::size_t i = h & mask;
    while (table_[i].value) i = (i + 1) & mask;
    table_[i] = Slot{h, std::move(key), std::move(value)};
    ++count_;
  }

  void grow() {
    std::vector<Slot> old = std::move(table_);
    table_ = std::vector<Slot>(old.empty() ? 32 : old.size() * 2);
    count_ = 0;
    for (Slot& s : old) {
      if (s.value) insert(std::move(s.key), std::move(s.value));
    }
  }

  std::vector<std::pair<std::string, std::unique_ptr<V>>> slice_;
  std::vector<Slot> table_;
  std::size_t count_ = 0;  // entries in table_
};

}  // namespace httpkit::mux_detail
