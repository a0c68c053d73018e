// The request line, the field lines and what they decide: target form, Host, body
// framing, persistence and Expect (RFC 9112 sections 3, 5, 6, 9; Go's readRequest).
#include "http1/request_head.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "http/chars.hpp"
#include "http/common_keys.hpp"
#include "http1/field_line.hpp"
#include "httpkit/status.hpp"

namespace httpkit::http1::detail {

namespace {

using httpkit::detail::all_of;
using httpkit::detail::is_token_char;
using httpkit::detail::kHostChar;

// Failure is a status and message, or status 0 for success.
struct Failure {
  int status = 0;
  std::string_view message;
  explicit operator bool() const noexcept { return status != 0; }
};
Failure bad(std::string_view message) noexcept { return {kStatusBadRequest, message}; }

// The fields whose meaning the parser needs, gathered in one pass.
struct FramingFields {
  std::string_view host;
  int host_count = 0;
  std::string_view content_length;
  bool has_content_length = false;
  bool conflicting_content_length = false;
  std::string_view transfer_encoding;
  int transfer_encoding_count = 0;
  std::string_view expect;
  bool has_expect = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
};

Failure parse_version(std::string_view v, Request& req) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (v.size() != 8 || !v.starts_with("HTTP/") || !digit(v[5]) || v[6] != '.' || !digit(v[7])) {
    return bad("malformed HTTP version");
  }
  // Any HTTP/1.x is served as 1.1 (RFC 9110 section 6.2); other majors get 505, as Go's
  // http1ServerSupportsRequest. "PRI * HTTP/2.0" (h2c prior knowledge) is the connection
  // loop's business before it calls the parser.
  if (v[5] != '1') return {kStatusHTTPVersionNotSupported, "unsupported HTTP version"};
  req.set_proto(v, 1, v[7] - '0');
  return {};
}

// parse_request_line: method SP request-target SP HTTP-version (RFC 9112 section 3),
// with exactly one SP between the parts.
Failure parse_request_line(std::string_view line, Request& req, std::string_view& target) {
  std::size_t n = 0;
  while (n < line.size() && is_token_char(line[n])) ++n;
  if (n == 0 || n == line.size() || line[n] != ' ') return bad("invalid method");
  std::string_view rest = line.substr(n + 1);
  std::size_t sp = rest.find(' ');
  if (sp == std::string_view::npos) return bad("malformed request line");
  target = rest.substr(0, sp);
  if (target.empty()) return bad("empty request-target");
  if (Failure f = parse_version(rest.substr(sp + 1), req)) return f;
  req.set_method_view(line.substr(0, n));
  return {};
}

bool parse_content_length(std::string_view s, std::int64_t& out) noexcept {
  // 1*DIGIT (RFC 9110 section 8.6): no sign, no list, below 2^63 (Go's ParseUint(cl, 10, 63)).
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return false;
  }
  out = static_cast<std::int64_t>(v);
  return true;
}

// note_field records what framing needs; returns false when the field must not be kept
// in req.header() (Host is req.host(); Transfer-Encoding is consumed, as in Go).
bool note_field(std::string_view name, std::string_view value, FramingFields& ff) {
  switch (name.size()) {
    case 4:
      if (name != "Host") return true;
      ++ff.host_count;
      ff.host = value;
      return false;
    case 6:
      if (name == "Expect" && !ff.has_expect) ff.has_expect = true, ff.expect = value;
      return true;
    case 10:
      if (name != "Connection") return true;
      ff.connection_close |= header_values_contain_token(value, "close");
      ff.connection_keep_alive |= header_values_contain_token(value, "keep-alive");
      return true;
    case 14:
      if (name != "Content-Length") return true;
      // Identical duplicates collapse to one (Go); differing ones are a smuggling attempt.
      if (ff.has_content_length) {
        ff.conflicting_content_length |= value != ff.content_length;
        return false;
      }
      ff.has_content_length = true;
      ff.content_length = value;
      return true;
    case 17:
      if (name != "Transfer-Encoding") return true;
      ++ff.transfer_encoding_count;
      ff.transfer_encoding = value;
      return false;
    default:
      return true;
  }
}

Failure parse_fields(std::span<char> head, std::size_t pos, Request& req, FramingFields& ff) {
  while (true) {
    char* line_start = head.data() + pos;
    auto* lf = static_cast<char*>(std::memchr(line_start, '\n', head.size() - pos));
    std::size_t len = static_cast<std::size_t>(lf - line_start) - 1;  // without CRLF
    pos += len + 2;
    if (len == 0) return {};
    FieldLine fl;
    if (auto err = parse_field_line({line_start, len}, fl); !err.empty()) return bad(err);
    // A common name gets its static canonical text; any other is a token, so
    // canonicalisation cannot fail, and it rewrites the buffer in place.
    std::string_view name = httpkit::detail::common_header_key(fl.name);
    if (name.empty()) {
      canonicalize_header_key_in_place(line_start, fl.name.size());
      name = fl.name;
    }
    if (note_field(name, fl.value, ff)) req.header().add_view(name, fl.value);
  }
}

// apply_target parses the request-target in the form the method allows (section 3.2).
Failure apply_target(std::string_view target, Request& req) {
  URL& u = req.url();
  if (req.method() == "CONNECT" && target[0] != '/') {
    // authority-form (section 3.2.3): host ":" port, parsed as Go does, via "http://".
    std::string scratch = "http://";
    scratch.append(target);
    if (parse_request_uri(scratch, u)) return bad("malformed CONNECT authority");
    u.scheme.clear();
    std::size_t colon = u.host.rfind(':');
    bool has_port = colon != std::string::npos && colon + 1 < u.host.size() && u.host.back() != ']';
    if (u.host.empty() || !has_port || !u.path.empty() || !u.raw_query.empty() || !u.user.empty()) {
      return bad("CONNECT requires an authority-form target");
    }
  } else if (target == "*") {
    // asterisk-form (section 3.2.4) is only for a server-wide OPTIONS.
    if (req.method() != "OPTIONS") return bad("asterisk-form target is only for OPTIONS");
    u.clear();
    u.path.push_back('*');  // not assign("*"): GCC 12 warns of a bogus overlap (-Wrestrict)
  } else {
    if (parse_request_uri(target, u)) return bad("malformed request-target");
    // absolute-form (section 3.2.2) must be hierarchical: "http:x" is not a target.
    if (target[0] != '/' && !u.opaque.empty()) return bad("malformed request-target");
  }
  req.set_request_uri_view(target);
  return {};
}

bool valid_host_header(std::string_view h) noexcept { return all_of(h, kHostChar); }

// apply_body_framing: section 6.3's rules, stricter than Go where Go is lenient.
Failure apply_body_framing(const FramingFields& ff, Request& req, BodyFraming& framing) {
  if (ff.transfer_encoding_count > 0) {
    // Section 6.1: TE in HTTP/1.0 means faulty framing; TE with CL is a smuggling
    // attempt (Go drops CL instead; we refuse so no proxy can disagree with us).
    if (!req.proto_at_least(1, 1)) return bad("Transfer-Encoding in an HTTP/1.0 request");
    if (ff.has_content_length) return bad("both Content-Length and Transfer-Encoding");
    if (ff.transfer_encoding_count > 1 || !equal_fold(ff.transfer_encoding, "chunked")) {
      return {kStatusNotImplemented, "unsupported Transfer-Encoding"};
    }
    framing.kind = BodyKind::chunked;
    req.set_content_length(-1);
    return {};
  }
  if (ff.has_content_length) {
    std::int64_t n = 0;
    if (!parse_content_length(ff.content_length, n)) return bad("invalid Content-Length");
    if (ff.conflicting_content_length) return bad("multiple differing Content-Length values");
    framing.kind = n > 0 ? BodyKind::content_length : BodyKind::none;
    framing.length = n;
    req.set_content_length(n);
  }
  return {};
}

Failure apply_host(const FramingFields& ff, Request& req) {
  if (ff.host_count > 1) return bad("too many Host headers");
  // Section 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
  if (ff.host_count == 0 && req.proto_at_least(1, 1) && req.method() != "CONNECT") {
    return bad("missing required Host header");
  }
  if (!valid_host_header(ff.host)) return bad("malformed Host header");
  // The authority of an absolute-form target wins over Host (section 3.2.2).
  if (req.url().host.empty()) {
    req.set_host_view(ff.host);
  } else {
    req.set_host(req.url().host);  // a copy: url() may change while the request lives
  }
  return {};
}

// apply_connection: HTTP/1.0 closes unless asked to keep alive; 1.1 persists unless
// "Connection: close" (section 9.3; Go's shouldClose). Expect as Go's conn.serve:
// 100-continue only matters with a body; any other expectation is refused with 417.
Failure apply_connection(const FramingFields& ff, Request& req, BodyFraming& framing) {
  bool close = ff.connection_close || (req.proto_minor() == 0 && !ff.connection_keep_alive);
  req.set_close(close);
  framing.keep_alive = !close;
  if (!ff.has_expect) return {};
  if (header_values_contain_token(ff.expect, "100-continue")) {
    framing.expect_continue = req.proto_at_least(1, 1) && req.content_length() != 0;
    return {};
  }
  if (!ff.expect.empty()) return {kStatusExpectationFailed, "unsupported Expect"};
  return {};
}

Failure parse_all(std::span<char> head, std::size_t start, Request& req, BodyFraming& framing) {
  const char* line = head.data() + start;
  auto* lf = static_cast<const char*>(std::memchr(line, '\n', head.size() - start));
  std::string_view request_line(line, static_cast<std::size_t>(lf - line) - 1);
  std::string_view target;
  if (Failure f = parse_request_line(request_line, req, target)) return f;
  FramingFields ff;
  if (Failure f = parse_fields(head, start + request_line.size() + 2, req, ff)) return f;
  if (Failure f = apply_target(target, req)) return f;
  if (Failure f = apply_body_framing(ff, req, framing)) return f;
  if (Failure f = apply_host(ff, req)) return f;
  return apply_connection(ff, req, framing);
}

}  // namespace

HeadResult parse_located_head(std::span<char> head, std::size_t start, Request& req, BodyFraming& framing) {
  framing = BodyFraming{};
  Failure f = parse_all(head, start, req, framing);
  if (f) return {ParseStatus::error, 0, f.status, f.message};
  return {ParseStatus::complete, 0, 0, {}};
}

}  // namespace httpkit::http1::detail
