// Request field names that HTTP/2 treats apart: those with a rule of their own and the
// common ones, whose canonical spelling is kept as static text.
#pragma once

#include <string_view>

namespace httpkit::detail {

// FieldRule: what a request field's name asks of Stream::add_field beyond the checks
// every field gets (request_head.cpp).
enum class FieldRule {
  plain,
  cookie,               // crumbs joined with "; " (RFC 9113 section 8.2.3)
  host,                 // r.Host, held to the rules of ":authority" (section 8.3.1)
  content_length,       // a decimal, repeats agreeing (section 8.1.1)
  te,                   // only "trailers" (section 8.2.2)
  connection_specific,  // forbidden (section 8.2.2)
};

// KnownField: the rule of a name, and its canonical spelling ("User-Agent") when it is
// one of the names nearly every client sends, or "" (Go's http2 commonCanonHeader).
struct KnownField {
  FieldRule rule = FieldRule::plain;
  std::string_view canonical;
};

// known_field looks name up as HTTP/2 carries it (lowercase, RFC 9113 section 8.2.1).
// A name it knows is a valid field name, so the caller may skip checking and
// canonicalising it. Told apart by length first, so that most names cost one
// comparison or two; inline, as it runs for every field of every request.
[[gnu::always_inline]] inline KnownField known_field(std::string_view name) noexcept {
  auto common = [](std::string_view canonical) { return KnownField{FieldRule::plain, canonical}; };
  switch (name.size()) {
    case 2:
      if (name == "te") return {FieldRule::te, "Te"};
      break;
    case 4:
      if (name == "host") return {FieldRule::host, {}};
      break;
    case 6:
      if (name == "accept") return common("Accept");
      if (name == "cookie") return {FieldRule::cookie, {}};
      if (name == "origin") return common("Origin");
      break;
    case 7:
      if (name == "referer") return common("Referer");
      if (name == "upgrade") return {FieldRule::connection_specific, {}};
      break;
    case 10:
      if (name == "user-agent") return common("User-Agent");
      if (name == "connection" || name == "keep-alive") return {FieldRule::connection_specific, {}};
      break;
    case 12:
      if (name == "content-type") return common("Content-Type");
      break;
    case 13:
      if (name == "authorization") return common("Authorization");
      if (name == "cache-control") return common("Cache-Control");
      if (name == "if-none-match") return common("If-None-Match");
      break;
    case 14:
      if (name == "content-length") return {FieldRule::content_length, "Content-Length"};
      break;
    case 15:
      if (name == "accept-encoding") return common("Accept-Encoding");
      if (name == "accept-language") return common("Accept-Language");
      if (name == "x-forwarded-for") return common("X-Forwarded-For");
      break;
    case 16:
      if (name == "proxy-connection") return {FieldRule::connection_specific, {}};
      break;
    case 17:
      if (name == "if-modified-since") return common("If-Modified-Since");
      if (name == "transfer-encoding") return {FieldRule::connection_specific, {}};
      break;
    default: break;
  }
  return {};
}

}  // namespace httpkit::detail
