// compress: negotiation, skipping, Vary, and correct gzip (checked by curl).
#include <catch2/catch.hpp>

#include "httpkit/middleware/compress.hpp"
#include "httpkit/test/server.hpp"
#include "support.hpp"

using namespace httpkit;
using namespace httpkit::middleware;

TEST_CASE("accepts_gzip follows RFC 9110 section 12.5.3", "[compress]") {
  struct Case {
    std::string_view header;
    bool gzip;
  } cases[] = {
      {"gzip", true},          {"deflate, gzip;q=0.5", true}, {"gzip;q=0", false}, {"GZIP", true},
      {"*", true},             {"*, gzip;q=0", false},       {"br", false},       {"", false},
      {"x-gzip", true},        {"gzip;q=0.000", false},      {"identity", false}, {"br;q=1, gzip ; q=0.1", true},
  };
  for (const auto& c : cases) {
    INFO(c.header);
    CHECK(accepts_gzip(c.header) == c.gzip);
  }
}

TEST_CASE("compress gzips large bodies only, for clients that accept it", "[compress]") {
  const std::string big(20000, 'a');
  test::Server srv(compress()([&](ResponseWriter& w, Request& r) {
    if (r.url().path == "/png") w.header().set("Content-Type", "image/png");
    if (r.url().path == "/small") return void(w.write("tiny"));
    if (r.url().path == "/encoded") w.header().set("Content-Encoding", "br");
    w.write(big);
  }));
  const std::string gz = mwtest::curl("-s -D - -o /dev/null -H 'Accept-Encoding: gzip' " + srv.url() + "/big");
  CHECK(gz.find("Content-Encoding: gzip") != std::string::npos);
  CHECK(gz.find("Vary: Accept-Encoding") != std::string::npos);
  CHECK(gz.find("Content-Type: text/plain; charset=utf-8") != std::string::npos);  // sniffed from plain bytes
  CHECK(mwtest::curl("--compressed " + srv.url() + "/big") == big);
  const std::string size = mwtest::curl("-s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' " + srv.url() + "/big");
  CHECK(std::stoi(size) < 200);

  const std::string plain = mwtest::curl("-s -D - -o /dev/null " + srv.url() + "/big");
  CHECK(plain.find("Content-Encoding") == std::string::npos);
  CHECK(plain.find("Vary: Accept-Encoding") != std::string::npos);
  CHECK(mwtest::curl(srv.url() + "/big") == big);

  for (const char* path : {"/png", "/small", "/encoded"}) {
    INFO(path);
    const std::string h = mwtest::curl(std::string("-s -D - -o /dev/null -H 'Accept-Encoding: gzip' ") + srv.url() + path);
    CHECK(h.find("Content-Encoding: gzip") == std::string::npos);
  }
}
