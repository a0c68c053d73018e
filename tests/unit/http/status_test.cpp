// status_text: Go's table.
#include <catch2/catch.hpp>

#include "httpkit/status.hpp"

TEST_CASE("status_text matches Go's StatusText", "[status]") {
  CHECK(httpkit::status_text(200) == "OK");
  CHECK(httpkit::status_text(404) == "Not Found");
  CHECK(httpkit::status_text(418) == "I'm a teapot");
  CHECK(httpkit::status_text(421) == "Misdirected Request");
  CHECK(httpkit::status_text(425) == "Too Early");
  CHECK(httpkit::status_text(431) == "Request Header Fields Too Large");
  CHECK(httpkit::status_text(505) == "HTTP Version Not Supported");
  CHECK(httpkit::status_text(511) == "Network Authentication Required");
  CHECK(httpkit::status_text(103) == "Early Hints");
  CHECK(httpkit::status_text(413) == "Request Entity Too Large");
  CHECK(httpkit::status_text(999).empty());
  CHECK(httpkit::status_text(0).empty());
  CHECK(httpkit::status_text(306).empty());
}
