// chain and Go's reply helpers: http.Error, http.NotFound, http.Redirect.
#include "httpkit/handler.hpp"

#include <vector>

#include "http/path_clean.hpp"
#include "httpkit/status.hpp"

namespace httpkit {

Handler chain(Handler h, std::initializer_list<Middleware> outer_first) {
  // Wrap from the innermost outwards so the first middleware listed runs first.
  std::vector<Middleware> ms(outer_first);
  for (auto it = ms.rbegin(); it != ms.rend(); ++it) h = (*it)(std::move(h));
  return h;
}

void error(ResponseWriter& w, std::string_view message, int code) {
  Header& h = w.header();
  // A wrapper may have set a length for a body that this reply replaces.
  h.del("Content-Length");
  h.set("Content-Type", "text/plain; charset=utf-8");
  h.set("X-Content-Type-Options", "nosniff");
  w.write_header(code);
  std::string body(message);
  body.push_back('\n');  // fmt.Fprintln
  w.write(body);
}

void not_found(ResponseWriter& w, Request&) { error(w, "404 page not found", kStatusNotFound); }

namespace {

// hex_escape_non_ascii percent-encodes bytes >= 0x80 in lower-case hex, exactly as
// Go's hexEscapeNonASCII (it formats with strconv.AppendInt(b, 16)).
std::string hex_escape_non_ascii(std::string_view s) {
  static constexpr char kLowerHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kLowerHex[c >> 4]);
      out.push_back(kLowerHex[c & 15]);
    }
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;   // shorter than &quot;
      case '\'': out += "&#39;"; break;  // &apos; is not HTML 4
      default: out.push_back(c);
    }
  }
  return out;
}

// resolve_relative makes a relative redirect target absolute against the request path
// and cleans it, keeping a trailing slash and the query (RFC 9110 section 10.2.2 allows
// relative Location values, but resolving here is more reliable, as Go notes).
std::string resolve_relative(std::string_view old_path, std::string target) {
  if (old_path.empty()) old_path = "/";
  if (target.empty() || target[0] != '/') {
    std::string dir(old_path.substr(0, old_path.rfind('/') + 1));
    target = dir + target;
  }
  std::string query;
  if (std::size_t q = target.find('?'); q != std::string::npos) {
    query = target.substr(q);
    target.resize(q);
  }
  bool trailing = !target.empty() && target.back() == '/';
  std::string cleaned = detail::clean_path(target);
  if (trailing && cleaned.back() != '/') cleaned.push_back('/');
  return cleaned + query;
}

}  // namespace

void redirect(ResponseWriter& w, Request& r, std::string_view url, int code) {
  std::string target(url);
  if (auto u = parse_url(url); u && u->scheme.empty() && u->host.empty()) {
    target = resolve_relative(r.url().path, std::move(target));
  }
  Header& h = w.header();
  // The short HTML body helps old agents that ignore 301/307 (RFC 9110 section 15.4);
  // it is written only when the handler did not choose a Content-Type.
  const bool had_content_type = h.has("Content-Type");
  h.set("Location", hex_escape_non_ascii(target));
  const bool get = r.method() == "GET";
  if (!had_content_type && (get || r.method() == "HEAD")) h.set("Content-Type", "text/html; charset=utf-8");
  w.write_header(code);
  if (!had_content_type && get) {
    std::string body = "<a href=\"" + html_escape(target) + "\">" + std::string(status_text(code)) + "</a>.\n\n";
    w.write(body);
  }
}

}  // namespace httpkit
