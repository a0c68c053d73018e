// Go's net/http StripPrefix (server.go).
#include "httpkit/strip_prefix.hpp"

#include <utility>

namespace httpkit {
namespace {

bool trim_prefix(std::string_view s, std::string_view prefix, std::string_view& out) noexcept {
  if (s.substr(0, prefix.size()) != prefix) {
    out = s;
    return false;
  }
  out = s.substr(prefix.size());
  return true;
}

}  // namespace

Handler strip_prefix(std::string_view prefix, Handler h) {
  if (prefix.empty()) return h;
  return [prefix = std::string(prefix), h = std::move(h)](ResponseWriter& w, Request& r) {
    std::string_view p, rp;
    bool path_ok = trim_prefix(r.url().path, prefix, p) && p.size() < r.url().path.size();
    bool raw_ok = r.url().raw_path.empty() || trim_prefix(r.url().raw_path, prefix, rp);
    if (!path_ok || !raw_ok) {
      not_found(w, r);
      return;
    }
    Request r2 = r;  // shallow, as Go's *r copy: the body is shared
    r2.url().path = std::string(p);
    r2.url().raw_path = std::string(rp);
    h(w, r2);
  };
}

}  // namespace httpkit
