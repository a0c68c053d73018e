// ServeMux registration and serving (Go's server.go: register, registerErr,
// Handler, ServeHTTP, setPathValues).
#include "httpkit/serve_mux.hpp"

#include <mutex>
#include <shared_mutex>
#include <stdexcept>

#include "httpkit/status.hpp"
#include "mux_state.hpp"
#include "text.hpp"

namespace httpkit {
namespace {

using mux_detail::Decision;
using mux_detail::Lookup;

std::optional<RouteError> conflict_error(const mux_detail::Pattern& p, const mux_detail::Pattern& existing) {
  return RouteError{RouteError::Kind::conflict,
                    "pattern " + mux_detail::go_quote(p.str) + " (registered at " + p.location() +
                        ") conflicts with pattern " + mux_detail::go_quote(existing.str) + " (registered at " +
                        existing.location() + "):\n" + mux_detail::describe_conflict(p, existing)};
}

// set_path_values gives each named wildcard its value, in pattern order.
void set_path_values(Request& r, const mux_detail::Pattern& p, const mux_detail::Matches& m) {
  std::size_t i = 0;
  for (const mux_detail::Segment& seg : p.segments) {
    if (!seg.wild || seg.s.empty()) continue;
    if (i < m.size()) r.set_path_value(seg.s, m[i]);
    ++i;
  }
}

void serve_method_not_allowed(ResponseWriter& w, std::string_view allow) {
  w.header().set("Allow", allow);
  error(w, status_text(kStatusMethodNotAllowed), kStatusMethodNotAllowed);
}

}  // namespace

ServeMux::ServeMux() : state_(std::make_shared<mux_detail::MuxState>()) {}

void ServeMux::handle(std::string_view pattern, Handler h, std::source_location where) {
  if (auto err = try_handle(pattern, std::move(h), where)) throw std::invalid_argument(err->message);
}

std::optional<RouteError> ServeMux::try_handle(std::string_view pattern, Handler h, std::source_location where) {
  if (pattern.empty()) return RouteError{RouteError::Kind::invalid_pattern, "http: invalid pattern"};
  if (!h) return RouteError{RouteError::Kind::nil_handler, "http: nil handler"};
  mux_detail::ParseError perr;
  auto route = std::make_unique<mux_detail::Route>();
  route->pattern = mux_detail::parse_pattern(pattern, perr);
  if (!route->pattern) {
    return RouteError{RouteError::Kind::invalid_pattern,
                      "parsing " + mux_detail::go_quote(pattern) + ": " + perr.message()};
  }
  route->pattern->loc = where;
  route->handler = std::move(h);

  auto& s = *state_;
  std::unique_lock lock(s.mu);
  std::optional<RouteError> err;
  s.index.possibly_conflicting(*route->pattern, [&](const mux_detail::Pattern& other) {
    if (!mux_detail::conflicts_with(*route->pattern, other)) return true;
    err = conflict_error(*route->pattern, other);
    return false;
  });
  if (err) return err;
  s.tree.add_route(*route);
  s.statics.add(*route);
  s.index.add_pattern(*route->pattern);
  s.routes.push_back(std::move(route));
  return std::nullopt;
}

std::pair<Handler, std::string> ServeMux::handler(const Request& r) const {
  Lookup lk(*state_, r);
  const Decision& d = lk.decision();
  switch (d.kind) {
    case Decision::Kind::route:
      return {d.route->handler, std::string(d.pattern)};
    case Decision::Kind::redirect:
      return {[loc = d.location](ResponseWriter& w, Request& req) { redirect(w, req, loc, kStatusTemporaryRedirect); },
              std::string(d.pattern)};
    case Decision::Kind::method_not_allowed:
      return {[allow = d.allow](ResponseWriter& w, Request&) { serve_method_not_allowed(w, allow); }, ""};
    case Decision::Kind::not_found:
      break;
  }
  return {[](ResponseWriter& w, Request& req) { not_found(w, req); }, ""};
}

void ServeMux::operator()(ResponseWriter& w, Request& r) const {
  if (r.request_uri() == "*") {  // "OPTIONS *" and friends are not for the mux
    if (r.proto_at_least(1, 1)) w.header().set("Connection", "close");
    w.write_header(kStatusBadRequest);
    return;
  }
  Lookup lk(*state_, r);
  const Decision& d = lk.decision();
  // r.pattern() views storage that outlives r: a route's pattern, or "".
  bool stable = d.kind == Decision::Kind::route || (d.kind == Decision::Kind::redirect && d.pattern_storage.empty());
  r.set_pattern(stable ? d.pattern : std::string_view());
  switch (d.kind) {
    case Decision::Kind::route:
      set_path_values(r, *d.route->pattern, lk.matches());
      d.route->handler(w, r);
      return;
    case Decision::Kind::redirect:
      redirect(w, r, d.location, kStatusTemporaryRedirect);
      return;
    case Decision::Kind::method_not_allowed:
      serve_method_not_allowed(w, d.allow);
      return;
    case Decision::Kind::not_found:
      not_found(w, r);
      return;
  }
}

std::vector<RouteInfo> ServeMux::routes() const {
  std::shared_lock lock(state_->mu);
  std::vector<RouteInfo> out;
  out.reserve(state_->routes.size());
  for (const auto& route : state_->routes) out.push_back({route->pattern->str, route->pattern->loc});
  return out;
}

}  // namespace httpkit
