// RoutingIndex: speeds up conflict detection by ruling out patterns that have a
// different literal at some position (Go's net/http/routing_index.go).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pattern.hpp"

namespace httpkit::mux_detail {

class RoutingIndex {
 public:
  void add_pattern(const Pattern& p);

  // possibly_conflicting calls f on every registered pattern that might conflict
  // with p (and possibly on more, or on one twice), until f returns false.
  // Returns false if f did.
  bool possibly_conflicting(const Pattern& p, const std::function<bool(const Pattern&)>& f) const;

 private:
  // Key: a segment position and its literal ("" for a wildcard), e.g. {1, "b"} holds
  // "/a/b" and "/a/b/c" but not "/a", "/b/a", "/a/c" or "/a/{x}".
  struct Key {
    std::size_t pos;
    std::string s;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<std::string_view>{}(k.s) ^ (k.pos * 0x9e3779b97f4a7c15ULL);
    }
  };
  const std::vector<const Pattern*>& at(std::size_t pos, std::string_view s) const;

  std::unordered_map<Key, std::vector<const Pattern*>, KeyHash> segments_;
  // Patterns ending in a multi wildcard (or trailing slash) are not indexed: there
  // are few of them, and any may conflict.
  std::vector<const Pattern*> multis_;
};

}  // namespace httpkit::mux_detail
