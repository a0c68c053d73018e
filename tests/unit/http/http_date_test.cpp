// HTTP dates: IMF-fixdate out; the three RFC 9110 section 5.6.7 formats in.
#include <catch2/catch.hpp>

#include "httpkit/http_date.hpp"

using std::chrono::system_clock;
using Seconds = std::chrono::seconds;

namespace {
system_clock::time_point at(std::int64_t unix_seconds) { return system_clock::time_point(Seconds(unix_seconds)); }
}  // namespace

TEST_CASE("format_http_date writes IMF-fixdate", "[date]") {
  struct Case {
    std::int64_t unix;
    std::string_view want;
  };
  const Case cases[] = {
      {0, "Thu, 01 Jan 1970 00:00:00 GMT"},
      {784111777, "Sun, 06 Nov 1994 08:49:37 GMT"},
      {1136214245, "Mon, 02 Jan 2006 15:04:05 GMT"},
      {951782400, "Tue, 29 Feb 2000 00:00:00 GMT"},
      {4102444799, "Thu, 31 Dec 2099 23:59:59 GMT"},
      {-1, "Wed, 31 Dec 1969 23:59:59 GMT"},
      {-86400 * 365, "Wed, 01 Jan 1969 00:00:00 GMT"},
  };
  for (const Case& c : cases) {
    INFO(c.unix);
    CHECK(httpkit::format_http_date(at(c.unix)) == c.want);
  }
  // Sub-second parts are dropped, not rounded.
  CHECK(httpkit::format_http_date(at(0) + std::chrono::milliseconds(999)) == "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST_CASE("parse_http_date accepts the three formats", "[date]") {
  struct Case {
    std::string_view in;
    std::int64_t unix;
  };
  const Case good[] = {
      {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},
      {"Sunday, 06-Nov-94 08:49:37 GMT", 784111777},
      {"Sun Nov  6 08:49:37 1994", 784111777},
      {"Sun Nov 16 08:49:37 1994", 784111777 + 10 * 86400},
      {"Thursday, 01-Jan-70 00:00:00 GMT", 0},
      {"Tuesday, 29-Feb-00 00:00:00 GMT", 951782400},
      {"Mon, 02 Jan 2006 15:04:05 GMT", 1136214245},
  };
  for (const Case& c : good) {
    INFO(c.in);
    auto t = httpkit::parse_http_date(c.in);
    REQUIRE(t.has_value());
    CHECK(*t == at(c.unix));
  }
  const std::string_view bad[] = {
      "", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT ", "Sun Nov  6 08:49:37 94", "Sun, 29 Feb 1900 00:00:00 GMT",
  };
  for (std::string_view in : bad) {
    INFO(in);
    CHECK_FALSE(httpkit::parse_http_date(in).has_value());
  }
}

TEST_CASE("format and parse round-trip", "[date]") {
  for (std::int64_t t = -2208988800; t < 4102444800; t += 86399 * 37) {
    INFO(t);
    CHECK(httpkit::parse_http_date(httpkit::format_http_date(at(t))) == at(t));
  }
}
