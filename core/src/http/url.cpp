// URL parsing and rendering with the semantics of Go's net/url (url.Parse,
// url.ParseRequestURI, URL.EscapedPath, URL.RequestURI, URL.String).
#include "httpkit/url.hpp"

#include <algorithm>

#include "http/chars.hpp"
#include "http/url_escape.hpp"

namespace httpkit {

namespace {

using detail::Encoding;

std::error_code bad_url() { return make_error_code(errc::bad_request); }

bool contains_ctl(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// split_scheme is Go's getScheme: a scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
// followed by ':' (RFC 3986 section 3.1); anything else means there is no scheme.
std::error_code split_scheme(std::string_view raw, std::string_view& scheme, std::string_view& rest) {
  scheme = {};
  rest = raw;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (alpha) continue;
    if (other && i > 0) continue;
    if (c == ':') {
      if (i == 0) return bad_url();  // "missing protocol scheme"
      scheme = raw.substr(0, i);
      rest = raw.substr(i + 1);
    }
    return {};
  }
  return {};
}

bool valid_optional_port(std::string_view port) noexcept {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  return std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// parse_ipv6_host handles "[addr%25zone]:port" (RFC 6874): the zone may hold bytes a
// host may not, so it is unescaped in its own mode.
std::error_code parse_ipv6_host(std::string_view host, std::size_t close, std::string& out) {
  std::size_t zone = host.substr(0, close).find("%25");
  if (zone == std::string_view::npos) return detail::unescape_into(host, Encoding::host, out);
  std::string part;
  if (auto ec = detail::unescape_into(host.substr(0, zone), Encoding::host, out)) return ec;
  if (auto ec = detail::unescape_into(host.substr(zone, close - zone), Encoding::zone, part)) return ec;
  out += part;
  if (auto ec = detail::unescape_into(host.substr(close), Encoding::host, part)) return ec;
  out += part;
  return {};
}

// parse_host is Go's parseHost: brackets for IPv6 literals, digits-only ports.
std::error_code parse_host(std::string_view host, std::string& out) {
  if (!host.empty() && host[0] == '[') {
    std::size_t close = host.rfind(']');
    if (close == std::string_view::npos) return bad_url();  // "missing ']' in host"
    if (!valid_optional_port(host.substr(close + 1))) return bad_url();
    return parse_ipv6_host(host, close, out);
  }
  if (std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    if (!valid_optional_port(host.substr(colon))) return bad_url();
  }
  return detail::unescape_into(host, Encoding::host, out);
}

bool valid_userinfo(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("-._:~!$&'()*+,;=%@").find(c) != std::string_view::npos;
  });
}

std::error_code parse_authority(std::string_view authority, URL& u) {
  std::size_t at = authority.rfind('@');
  std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
  if (auto ec = parse_host(host, u.host)) return ec;
  if (at == std::string_view::npos) return {};
  std::string_view userinfo = authority.substr(0, at);
  if (!valid_userinfo(userinfo)) return bad_url();
  // Validate the escapes as Go does, but keep the userinfo as written.
  std::string scratch;
  if (auto ec = detail::unescape_into(userinfo, Encoding::user_password, scratch)) return ec;
  u.user.assign(userinfo);
  return {};
}

// set_path is Go's URL.setPath: path is the decoded form; raw_path keeps the original
// only when it is not the default encoding of path ("/a%2Fb" vs "/a/b").
std::error_code set_path(std::string_view p, URL& u) {
  if (is_plain_path(p)) {  // the common case: nothing to decode or keep
    u.path.assign(p);
    u.raw_path.clear();
    return {};
  }
  if (auto ec = detail::unescape_into(p, Encoding::path, u.path)) return ec;
  if (detail::escapes_to(u.path, Encoding::path, p)) {
    u.raw_path.clear();
  } else {
    u.raw_path.assign(p);
  }
  return {};
}

void split_query(std::string_view& rest, URL& u) {
  std::size_t q = rest.find('?');
  if (q == std::string_view::npos) return;
  if (q == rest.size() - 1) {
    u.force_query = true;  // "/a?" renders back with its '?'
  } else {
    u.raw_query.assign(rest.substr(q + 1));
  }
  rest = rest.substr(0, q);
}

bool first_segment_has_colon(std::string_view rest) noexcept {
  return rest.substr(0, rest.find('/')).find(':') != std::string_view::npos;
}

// parse_into is Go's parse(rawURL, viaRequest).
std::error_code parse_into(std::string_view raw, bool via_request, URL& u) {
  // The common request-target, "/" then plain path bytes: no scheme, authority, query
  // or escapes to find, so it is the path as it stands (the steps below agree). "//"
  // starts an authority outside requests.
  if (raw.starts_with('/') && (via_request || !raw.starts_with("//")) && is_plain_path(raw)) {
    u.path.assign(raw);
    return {};
  }
  if (contains_ctl(raw)) return bad_url();
  if (raw.empty() && via_request) return bad_url();
  if (raw == "*") {
    u.path.assign("*");
    return {};
  }
  std::string_view scheme;
  std::string_view rest;
  if (auto ec = split_scheme(raw, scheme, rest)) return ec;
  if (!scheme.empty()) u.scheme.assign(scheme);
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), detail::ascii_lower);
  split_query(rest, u);
  if (rest.empty() || rest[0] != '/') {
    if (!u.scheme.empty()) {
      u.opaque.assign(rest);
      return {};
    }
    if (via_request) return bad_url();         // "invalid URI for request"
    if (first_segment_has_colon(rest)) return bad_url();
  }
  bool has_authority = rest.starts_with("//") && (!u.scheme.empty() || (!via_request && !rest.starts_with("///")));
  if (has_authority) {
    std::string_view authority = rest.substr(2);
    std::size_t slash = authority.find('/');
    rest = slash == std::string_view::npos ? std::string_view{} : authority.substr(slash);
    if (auto ec = parse_authority(authority.substr(0, slash), u)) return ec;
  }
  return set_path(rest, u);
}

}  // namespace

Values URL::query() const {
  Values v;
  (void)parse_query(raw_query, v);  // Go's URL.Query drops malformed pairs silently
  return v;
}

std::string URL::escaped_path() const {
  if (!raw_path.empty() && detail::valid_encoded(raw_path, Encoding::path)) {
    std::string decoded;
    if (!detail::unescape_into(raw_path, Encoding::path, decoded) && decoded == path) return raw_path;
  }
  if (path == "*") return "*";  // go.dev/issue/11202
  std::string out;
  detail::escape_append(path, Encoding::path, out);
  return out;
}

std::string URL::request_uri() const {
  std::string result = opaque;
  if (result.empty()) {
    result = escaped_path();
    if (result.empty()) result = "/";
  } else if (result.starts_with("//")) {
    result = scheme + ":" + result;
  }
  if (force_query || !raw_query.empty()) result.append("?").append(raw_query);
  return result;
}

std::string URL::string() const {
  std::string out;
  if (!scheme.empty()) out.append(scheme).push_back(':');
  if (!opaque.empty()) {
    out.append(opaque);
  } else {
    if (!scheme.empty() || !host.empty() || !user.empty()) {
      if (!host.empty() || !path.empty() || !user.empty()) out.append("//");
      if (!user.empty()) out.append(user).push_back('@');
      detail::escape_append(host, Encoding::host, out);
    }
    std::string p = escaped_path();
    if (!p.empty() && p[0] != '/' && !host.empty()) out.push_back('/');
    // A relative path whose first segment has a colon would read as a scheme.
    if (out.empty() && first_segment_has_colon(p)) out.append("./");
    out.append(p);
  }
  if (force_query || !raw_query.empty()) out.append("?").append(raw_query);
  if (!fragment.empty()) {
    out.push_back('#');
    detail::escape_append(fragment, Encoding::fragment, out);
  }
  return out;
}

void URL::clear() noexcept {
  scheme.clear();
  opaque.clear();
  user.clear();
  host.clear();
  path.clear();
  raw_path.clear();
  raw_query.clear();
  fragment.clear();
  force_query = false;
}

Result<URL> parse_url(std::string_view raw) {
  URL u;
  std::size_t hash = raw.find('#');
  if (auto ec = parse_into(raw.substr(0, hash), false, u)) return ec;
  if (hash != std::string_view::npos) {
    if (auto ec = detail::unescape_into(raw.substr(hash + 1), Encoding::fragment, u.fragment)) return ec;
  }
  return u;
}

std::error_code parse_request_uri(std::string_view raw, URL& out) {
  out.clear();
  return parse_into(raw, true, out);
}

Result<URL> parse_request_uri(std::string_view raw) {
  URL u;
  if (auto ec = parse_into(raw, true, u)) return ec;
  return u;
}

}  // namespace httpkit
