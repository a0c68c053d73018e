// StaticRoutes: a shortcut from (method, path) straight to the route of a fully
// literal pattern such as "GET /user/repos", tried before the routing tree.
//
// It returns what the tree would: below the method's node the tree tries literal
// children before wildcards at every level (routing_tree.cpp), so the first leaf
// it reaches for a path spelled exactly like a literal pattern is that pattern's.
// The shortcut only answers when nothing can come before that subtree:
//   - no pattern has a host (host patterns are tried first), and
//   - the pattern has a method, matched exactly (a HEAD request that only a GET
//     pattern serves, and method-less patterns, take the tree), and
//   - the request path is byte for byte the pattern's path, made of bytes Go's
//     EscapedPath leaves alone and of segments that are neither empty nor dots,
//     so the path is clean and unescaping cannot change it.
// Anything else misses and the tree decides, so a miss is always safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace httpkit::mux_detail {

struct Route;

class StaticRoutes {
 public:
  // add records r when its pattern qualifies; a pattern with a host turns the
  // shortcut off for good.
  void add(const Route& r);

  // find returns the route registered for exactly method and path, or nullptr
  // when the tree must decide.
  const Route* find(std::string_view method, std::string_view path) const noexcept;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string method;
    std::string path;
    const Route* route = nullptr;
  };
  static std::uint64_t hash(std::string_view method, std::string_view path) noexcept;
  void insert(Slot s);

  std::vector<Slot> table_;  // open addressing, linear probing, at most half full
  std::size_t count_ = 0;
  bool off_ = false;  // a host pattern exists
};

}  // namespace httpkit::mux_detail
