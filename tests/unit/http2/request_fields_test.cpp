// known_field: the rule of each request field name HTTP/2 treats apart, and the
// canonical spelling of the common ones, which must be what canonical_header_key gives.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "http2/request_fields.hpp"
#include "httpkit/header.hpp"

using httpkit::canonical_header_key;
using httpkit::detail::FieldRule;
using httpkit::detail::known_field;

TEST_CASE("known_field spells the common names as canonical_header_key does", "[http2]") {
  const std::string_view common[] = {
      "accept", "accept-encoding", "accept-language", "authorization", "cache-control", "content-length",
      "content-type", "if-modified-since", "if-none-match", "origin", "referer", "te", "user-agent",
      "x-forwarded-for",
  };
  for (std::string_view name : common) {
    INFO(name);
    const auto known = known_field(name);
    CHECK(known.canonical == canonical_header_key(name));
  }
}

TEST_CASE("known_field gives the rules of RFC 9113 section 8", "[http2]") {
  CHECK(known_field("te").rule == FieldRule::te);
  CHECK(known_field("host").rule == FieldRule::host);
  CHECK(known_field("cookie").rule == FieldRule::cookie);
  CHECK(known_field("content-length").rule == FieldRule::content_length);
  for (std::string_view name : {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"}) {
    INFO(name);
    CHECK(known_field(name).rule == FieldRule::connection_specific);
  }
  CHECK(known_field("user-agent").rule == FieldRule::plain);
}

TEST_CASE("known_field knows nothing of other names, nor of names not in lowercase", "[http2]") {
  // Not lowercase (invalid in HTTP/2, section 8.2.1), or not a common name: the caller
  // checks and canonicalises those itself.
  for (std::string_view name : {"User-Agent", "USER-AGENT", "Host", "Cookie", "x-custom", "", "user-agen",
                                "user-agentx", "contentlength"}) {
    INFO(name);
    const auto known = known_field(name);
    CHECK(known.rule == FieldRule::plain);
    CHECK(known.canonical.empty());
  }
}
