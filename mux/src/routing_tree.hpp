// RoutingNode: the decision tree that matches requests to patterns (Go's
// net/http/routing_tree.go). The root branches on the host, the next level on the
// method, the rest on consecutive path segments. "More specific wins" can make the
// match backtrack: with /a/b/z and /a/{x}/c, "/a/b/c" first tries /a/b/z.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "httpkit/handler.hpp"
#include "mapping.hpp"
#include "pattern.hpp"
#include "request_path.hpp"

namespace httpkit::mux_detail {

// Route is one registration: its pattern and handler. The mux owns routes; tree
// nodes point at them.
struct Route {
  std::unique_ptr<Pattern> pattern;
  Handler handler;
};

// Matches holds the values of a route's named wildcards in pattern order, as views
// into the request path (or its unescaped copy). Inline up to kInline values.
class Matches {
 public:
  static constexpr std::size_t kInline = 16;
  std::size_t size() const noexcept { return size_; }
  std::string_view operator[](std::size_t i) const noexcept {
    return i < kInline ? std::string_view(inline_[i].data, inline_[i].size) : spill_[i - kInline];
  }
  void push(std::string_view v) {
    if (size_ < kInline) {
      inline_[size_] = {v.data(), v.size()};
    } else {
      spill_.resize(size_ - kInline);
      spill_.push_back(v);
    }
    ++size_;
  }
  void truncate(std::size_t n) noexcept { size_ = n; }

 private:
  struct Slot {  // trivial, so the inline array costs nothing to construct
    const char* data;
    std::size_t size;
  };
  std::size_t size_ = 0;
  std::array<Slot, kInline> inline_;
  std::vector<std::string_view> spill_;
};

class RoutingNode {
 public:
  // add_route adds r under this root (host, method, then segments). The caller has
  // ruled out conflicts, so the leaf is free.
  void add_route(const Route& r);

  // match returns the route for host, method and path, filling m with its wildcard
  // values; nullptr if none. A pattern with the host is tried before those without.
  const Route* match(std::string_view host, std::string_view method, RequestPath& path, Matches& m) const;

  // matching_methods adds the methods that would match host and path (HEAD with
  // GET), for a 405's Allow header.
  void matching_methods(std::string_view host, RequestPath& path, std::set<std::string>& out) const;

  // dump renders the tree as Go's routing_tree_test.go print does, for golden tests.
  std::string dump() const;

 private:
  RoutingNode* add_child(std::string_view key);
  // find_child: key "" is the wildcard child (or no host, no method).
  const RoutingNode* find_child(std::string_view key) const noexcept {
    return key.empty() ? empty_child_.get() : children_.find(key);
  }
  RoutingNode* add_literal(std::string_view seg);
  const RoutingNode* find_literal(std::string_view seg) const noexcept {
    return seg.empty() ? empty_literal_.get() : children_.find(seg);
  }
  void add_segments(const std::vector<Segment>& segs, std::size_t i, const Route& r);
  const Route* match_method_and_path(std::string_view method, RequestPath& path, Matches& m) const;
  const Route* match_path(RequestPath& path, std::size_t i, Matches& m) const;
  void matching_methods_path(RequestPath& path, std::set<std::string>& out) const;
  void dump(std::string& out, int level) const;

  const Route* route_ = nullptr;             // set on leaves
  Mapping<RoutingNode> children_;            // literal segment (or host, method) -> child
  std::unique_ptr<RoutingNode> empty_child_;  // key "": single wildcard, no host, no method
  std::unique_ptr<RoutingNode> multi_child_;  // the "..." wildcard at this position
  std::unique_ptr<RoutingNode> empty_literal_;  // an empty literal segment ("//")
};

}  // namespace httpkit::mux_detail
