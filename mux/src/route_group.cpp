// Route groups: a prefix and middleware shared by some routes of a ServeMux.
// Go's ServeMux has none; users of C++ routers ask for them (Crow #45,
// cpp-httplib #813). See docs/decisions/0013-mux-route-groups.md.
#include <stdexcept>

#include "httpkit/serve_mux.hpp"
#include "text.hpp"

namespace httpkit {
namespace {

// split_prefix splits "[HOST]/path" into host and the path without its trailing
// slash; returns false when there is no '/', or a method was given.
bool split_prefix(std::string_view prefix, std::string& host, std::string& path) {
  if (prefix.find_first_of(" \t") != std::string_view::npos) return false;
  std::size_t slash = prefix.find('/');
  if (slash == std::string_view::npos) return false;
  host = std::string(prefix.substr(0, slash));
  path = std::string(prefix.substr(slash));
  if (!path.empty() && path.back() == '/') path.pop_back();
  return true;
}

Handler wrap(Handler h, const std::vector<Middleware>& middleware) {
  for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) h = (*it)(std::move(h));
  return h;
}

}  // namespace

RouteGroup ServeMux::group(std::string_view prefix, std::vector<Middleware> middleware) const {
  std::string host, path;
  if (!split_prefix(prefix, host, path)) {
    throw std::invalid_argument("httpkit: group prefix \"" + std::string(prefix) + "\" must be [HOST]/PATH");
  }
  return RouteGroup(*this, std::move(host), std::move(path), std::move(middleware));
}

RouteGroup::RouteGroup(ServeMux mux, std::string host, std::string path, std::vector<Middleware> middleware)
    : mux_(std::move(mux)), host_(std::move(host)), path_(std::move(path)), middleware_(std::move(middleware)) {}

std::optional<std::string> RouteGroup::full_pattern(std::string_view route, std::string& err) const {
  // "[METHOD ]/path": the method ends at the first space or tab, as in Go.
  std::string_view method, rest = route;
  if (std::size_t sp = route.find_first_of(" \t"); sp != std::string_view::npos) {
    method = route.substr(0, sp);
    std::size_t start = route.find_first_not_of(" \t", sp);
    rest = start == std::string_view::npos ? std::string_view() : route.substr(start);
  }
  if (rest.empty() || rest[0] != '/') {
    err = "pattern in a group must be [METHOD ]/PATH (the group gives the host)";
    return std::nullopt;
  }
  std::string full;
  if (!method.empty()) full = std::string(method) + " ";
  return full + host_ + path_ + std::string(rest);
}

std::optional<RouteError> RouteGroup::try_handle(std::string_view pattern, Handler h, std::source_location where) {
  std::string err;
  std::optional<std::string> full = full_pattern(pattern, err);
  if (!full) return RouteError{RouteError::Kind::invalid_pattern, "parsing " + mux_detail::go_quote(pattern) + ": " + err};
  if (!h) return RouteError{RouteError::Kind::nil_handler, "http: nil handler"};
  return mux_.try_handle(*full, wrap(std::move(h), middleware_), where);
}

void RouteGroup::handle(std::string_view pattern, Handler h, std::source_location where) {
  if (auto err = try_handle(pattern, std::move(h), where)) throw std::invalid_argument(err->message);
}

RouteGroup RouteGroup::group(std::string_view prefix, std::vector<Middleware> middleware) const {
  std::string host, path;
  if (!split_prefix(prefix, host, path) || !host.empty()) {
    throw std::invalid_argument("httpkit: nested group prefix \"" + std::string(prefix) + "\" must be /PATH");
  }
  std::vector<Middleware> all = middleware_;
  all.insert(all.end(), middleware.begin(), middleware.end());
  return RouteGroup(mux_, host_, path_ + path, std::move(all));
}

}  // namespace httpkit
