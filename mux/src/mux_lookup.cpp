// What a ServeMux does with a request: Go's findHandler, matchOrRedirect,
// exactMatch and matchingMethods (server.go), with Go 1.26's 307 redirects.
#include <array>
#include <mutex>
#include <shared_mutex>
#include <set>

#include "mux_state.hpp"
#include "sanitize.hpp"
#include "httpkit/url.hpp"
#include "text.hpp"

namespace httpkit::mux_detail {
namespace {

// exact_match: a match is inexact only when a "..." wildcard matched a non-empty
// rest of the path (Go's exactMatch): "/" matching "/a" is inexact.
bool exact_match(const Route* r, const RequestPath& path) noexcept {
  if (!r) return false;
  const Pattern& p = *r->pattern;
  if (!p.last_segment().multi) return true;
  std::string_view e = path.escaped();
  if (!e.empty() && e.back() != '/') return false;
  // "/a/b/{$}" and "/a/b/{x...}" match "/a/b/" exactly, "/a/" does not.
  return p.segments.size() == path.slash_count();
}

// SlashedPath is path + "/" without a heap allocation for ordinary paths.
class SlashedPath {
 public:
  explicit SlashedPath(std::string_view path) {
    if (path.size() < buf_.size()) {
      path.copy(buf_.data(), path.size());
      buf_[path.size()] = '/';
      view_ = {buf_.data(), path.size() + 1};
    } else {
      heap_ = std::string(path) + "/";
      view_ = heap_;
    }
  }
  std::string_view view() const noexcept { return view_; }

 private:
  std::array<char, 256> buf_;
  std::string heap_;
  std::string_view view_;
};

void append_query(std::string& location, const URL& u) {
  if (!u.raw_query.empty()) location += "?" + u.raw_query;
}

}  // namespace

std::string_view escaped_path(const URL& u, std::string& scratch) {
  if (u.raw_path.empty() && is_plain_path(u.path)) return u.path;
  scratch = u.escaped_path();
  return scratch;
}

Lookup::Lookup(const MuxState& mux, const Request& r) : mux_(mux) {
  std::shared_lock lock(mux.mu);
  // CONNECT requests are not canonicalized (Go's findHandler).
  if (r.method() == "CONNECT") {
    find_connect(r);
  } else {
    find_cleaned(r);
  }
}

void Lookup::find_cleaned(const Request& r) {
  // A literal route spelled exactly like the path: the answer the tree would give
  // (static_routes.hpp says why), without splitting the path.
  if (r.url().raw_path.empty()) {
    if (const Route* route = mux_.statics.find(r.method(), r.url().path)) {
      d_.kind = Decision::Kind::route;
      d_.route = route;
      d_.pattern = route->pattern->str;
      return;
    }
  }
  std::string_view escaped = escaped_path(r.url(), scratch_);
  std::string_view host = strip_host_port(r.host());
  std::string_view path = escaped;
  path_.emplace(path);
  const bool unclean = !path_->clean();
  if (unclean) {
    cleaned_ = clean_path(path);
    path = cleaned_;
    path_.reset();
    path_.emplace(path);
  }
  const Route* route = mux_.tree.match(host, r.method(), *path_, matches_);
  if (!exact_match(route, *path_) && redirect_to_slash(host, r.method(), path)) {
    // "/tree" -> "/tree/": keep the request's escaping (the cleaned escaped path)
    // and its query. Go rebuilds it from the unescaped path, losing e.g. "%2F";
    // see docs/decisions/0011-mux-redirect-escaping.md.
    d_.location = std::string(path) + "/";
    append_query(d_.location, r.url());
    return;
  }
  if (unclean && path != escaped) {  // redirect to the clean path
    d_.kind = Decision::Kind::redirect;
    d_.pattern = route ? std::string_view(route->pattern->str) : std::string_view();
    d_.location = std::string(path);
    append_query(d_.location, r.url());
    return;
  }
  if (!route) return no_route(host, path);
  d_.kind = Decision::Kind::route;
  d_.route = route;
  d_.pattern = route->pattern->str;
}

void Lookup::find_connect(const Request& r) {
  std::string_view path = escaped_path(r.url(), scratch_);
  path_.emplace(path);
  // The /tree -> /tree/ redirect applies to CONNECT, matched on the URL's host.
  std::string_view url_host = r.url().host;
  const Route* route = mux_.tree.match(url_host, r.method(), *path_, matches_);
  if (!exact_match(route, *path_) && redirect_to_slash(url_host, r.method(), path)) {
    // Go reports the path the redirect leads to as the pattern here.
    d_.pattern_storage = clean_path(r.url().path) + "/";
    d_.pattern = d_.pattern_storage;
    d_.location = clean_path(path) + "/";
    append_query(d_.location, r.url());
    return;
  }
  // Match again with the request's Host, unstripped, and no redirect.
  matches_.truncate(0);
  route = mux_.tree.match(r.host(), r.method(), *path_, matches_);
  if (!route) return no_route(url_host, path);
  d_.kind = Decision::Kind::route;
  d_.route = route;
  d_.pattern = route->pattern->str;
}

// redirect_to_slash: when path has no trailing slash (and is not empty, Go 1.25,
// go.dev/issue/74422) and path + "/" matches exactly, the answer is a redirect
// there; the pattern reported is the one that will match (Go 1.26).
bool Lookup::redirect_to_slash(std::string_view host, std::string_view method, std::string_view path) {
  if (path.empty() || path.back() == '/') return false;
  SlashedPath slashed(path);
  RequestPath p2(slashed.view());
  Matches m2;
  const Route* r2 = mux_.tree.match(host, method, p2, m2);
  if (!exact_match(r2, p2)) return false;
  d_.kind = Decision::Kind::redirect;
  d_.pattern = r2->pattern->str;
  return true;
}

// no_route tells 405 from 404: does the path match with another method? The
// trailing-slash variant counts too, as a request for it would be redirected.
void Lookup::no_route(std::string_view host, std::string_view path) {
  std::set<std::string> methods;
  mux_.tree.matching_methods(host, *path_, methods);
  if (path.empty() || path.back() != '/') {
    SlashedPath slashed(path);
    RequestPath p2(slashed.view());
    mux_.tree.matching_methods(host, p2, methods);
  }
  if (methods.empty()) {
    d_.kind = Decision::Kind::not_found;
    return;
  }
  d_.kind = Decision::Kind::method_not_allowed;
  for (const std::string& m : methods) {
    if (!d_.allow.empty()) d_.allow += ", ";
    d_.allow += m;
  }
}

}  // namespace httpkit::mux_detail
