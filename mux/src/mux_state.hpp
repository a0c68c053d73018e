// MuxState: what a ServeMux (and every copy of it) shares, and the lookup that
// decides what a request gets (Go's ServeMux fields and findHandler).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpkit/request.hpp"
#include "request_path.hpp"
#include "rw_spin_lock.hpp"
#include "routing_index.hpp"
#include "routing_tree.hpp"
#include "static_routes.hpp"

namespace httpkit::mux_detail {

struct MuxState {
  mutable RwSpinLock mu;
  RoutingNode tree;                            // guarded by mu
  RoutingIndex index;                          // guarded by mu
  StaticRoutes statics;                        // guarded by mu; a shortcut into tree
  std::vector<std::unique_ptr<Route>> routes;  // guarded by mu; registration order, never shrinks
};

// Decision is what the mux does with one request, as Go's findHandler returns it.
struct Decision {
  enum class Kind { route, redirect, method_not_allowed, not_found };
  Kind kind = Kind::not_found;
  const Route* route = nullptr;  // Kind::route
  std::string_view pattern;      // the pattern reported for the request ("" if none)
  std::string pattern_storage;   // owns pattern when no route does (CONNECT redirects)
  std::string location;          // Kind::redirect: the Location, escaped, with the query
  std::string allow;             // Kind::method_not_allowed: "GET, HEAD"
};

// Lookup runs findHandler for one request. It owns the storage the wildcard values
// view (the split path, any unescaped text), so it must outlive their use. The
// common case (a clean path without escapes that matches) allocates nothing.
class Lookup {
 public:
  Lookup(const MuxState& mux, const Request& r);
  Lookup(const Lookup&) = delete;
  Lookup& operator=(const Lookup&) = delete;

  const Decision& decision() const noexcept { return d_; }
  const Matches& matches() const noexcept { return matches_; }

 private:
  void find_connect(const Request& r);
  void find_cleaned(const Request& r);
  bool redirect_to_slash(std::string_view host, std::string_view method, std::string_view path);
  void no_route(std::string_view host, std::string_view path);

  const MuxState& mux_;
  Decision d_;
  Matches matches_;
  std::string scratch_;  // the escaped path, when it had to be computed
  std::string cleaned_;  // the cleaned path, when it differs
  std::optional<RequestPath> path_;  // the path matched, split into segments
};

// escaped_path returns u's escaped path (Go's URL.EscapedPath) without allocating
// when path needs no escaping and raw_path is empty; otherwise it fills scratch.
std::string_view escaped_path(const URL& u, std::string& scratch);

}  // namespace httpkit::mux_detail
