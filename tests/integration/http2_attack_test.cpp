// HTTP/2 attacks: each ends (or limits) only the offending connection; another
// connection to the same server is served normally afterwards.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/test/server.hpp"
#include "integration/http2_raw.hpp"

using namespace httpkit;
using namespace httpkit::testing;

namespace {

std::atomic<int> handled{0};

void count(ResponseWriter& w, Request&) {
  ++handled;
  w.write("ok");
}

void quiet(Server& s) { s.error_log = [](std::string_view) {}; }

void another_connection_works(int port) {
  H2Client c(port);
  CHECK(c.get("/").body == "ok");
}

// hpack_integer encodes n with an N-bit prefix (RFC 7541 section 5.1).
std::string hpack_integer(std::uint8_t first, int prefix_bits, std::size_t n) {
  const std::size_t max = (1u << prefix_bits) - 1;
  std::string out;
  if (n < max) return std::string(1, static_cast<char>(first | n));
  out.push_back(static_cast<char>(first | max));
  n -= max;
  while (n >= 128) {
    out.push_back(static_cast<char>(n % 128 + 128));
    n /= 128;
  }
  out.push_back(static_cast<char>(n));
  return out;
}

}  // namespace

TEST_CASE("h2 attack: rapid reset (CVE-2023-44487) ends the connection, not the server") {
  handled = 0;
  test::Server srv(test::Mode::h2c, count, quiet);
  RawH2 c(srv.port());
  std::string burst;
  for (std::uint32_t id = 1; id < 2 * 3000; id += 2) {
    std::string block;
    for (const auto& [k, v] : get_fields()) block += hpack_literal(k, v);
    burst += frame(kHeaders, kEndHeaders | kEndStream, id, block);
    burst += frame(kRstStream, 0, id, std::string("\0\0\0\x08", 4));
  }
  c.send(burst);
  RawFrame g = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kGoaway; });
  REQUIRE(g.type == kGoaway);
  CHECK(error_code_of(g) != kNoError);
  CHECK(handled.load() < 3000);  // streams reset before their handler ran were not served
  another_connection_works(srv.port());
}

TEST_CASE("h2 attack: CONTINUATION flood (CVE-2024-27316) is cut off") {
  test::Server srv(test::Mode::h2c, count, quiet);
  RawH2 c(srv.port());
  std::string block;
  for (const auto& [k, v] : get_fields()) block += hpack_literal(k, v);
  std::string flood = frame(kHeaders, 0, 1, block);  // no END_HEADERS
  for (int i = 0; i < 200; ++i) flood += frame(kContinuation, 0, 1, hpack_literal("x-pad", std::to_string(i)));
  c.send(flood);
  RawFrame g = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kGoaway; });
  REQUIRE(g.type == kGoaway);
  another_connection_works(srv.port());
}

TEST_CASE("h2 attack: an HPACK bomb stops at the header list limit") {
  test::Server srv(test::Mode::h2c, count, [](Server& s) {
    s.max_header_bytes = 64 << 10;
    quiet(s);
  });
  RawH2 c(srv.port());
  // One 4000-byte field put in the dynamic table, then referenced 400 times: 37 bytes
  // on the wire per KB... 1.6 MB decoded from about 4.5 KB (RFC 7541 section 7.3).
  std::string block;
  for (const auto& [k, v] : get_fields()) block += hpack_literal(k, v);
  block += std::string(1, '\x40') + hpack_integer(0, 7, 5) + "x-big" + hpack_integer(0, 7, 4000) + std::string(4000, 'b');
  for (int i = 0; i < 400; ++i) block += hpack_integer(0x80, 7, 62);  // indexed: the newest dynamic entry
  c.send(frame(kHeaders, kEndHeaders | kEndStream, 1, block));
  RawFrame f = c.next_end(1);
  CHECK((f.type == kRstStream || f.type == kGoaway));
  another_connection_works(srv.port());
}

TEST_CASE("h2 attack: a SETTINGS frame with too many entries ends the connection") {
  test::Server srv(test::Mode::h2c, count, quiet);
  RawH2 c(srv.port());
  std::string entries;
  for (int i = 0; i < 100; ++i) entries += std::string("\0\x03\0\0\0\x64", 6);  // MAX_CONCURRENT_STREAMS = 100
  c.send(frame(kSettings, 0, 0, entries));
  RawFrame g = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kGoaway; });
  REQUIRE(g.type == kGoaway);
  CHECK(error_code_of(g) == kEnhanceYourCalm);
  another_connection_works(srv.port());
}

TEST_CASE("h2 attack: a flood of empty DATA frames (CVE-2019-9518) ends the connection") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
    (void)read_all(r.body());
    w.write("ok");
  }, quiet);
  RawH2 c(srv.port());
  auto f = get_fields();
  f[0].second = "POST";
  c.headers(1, f, kEndHeaders);
  std::string flood;
  for (int i = 0; i < 1500; ++i) flood += frame(kData, 0, 1, "");
  c.send(flood);
  RawFrame g = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kGoaway; });
  REQUIRE(g.type == kGoaway);
  CHECK(error_code_of(g) == kEnhanceYourCalm);
  another_connection_works(srv.port());
}

TEST_CASE("h2 attack: a window beyond 2^31-1 is a flow-control error (RFC 9113 6.9.1)") {
  test::Server srv(test::Mode::h2c, count, quiet);
  RawH2 c(srv.port());
  c.send(frame(kWindowUpdate, 0, 0, std::string("\x7f\xff\xff\xff", 4)));
  RawFrame g = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kGoaway; });
  REQUIRE(g.type == kGoaway);
  CHECK(error_code_of(g) == kFlowControlError);
  another_connection_works(srv.port());
}

TEST_CASE("h2 attack: streams beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused") {
  Event release;
  test::Server srv(test::Mode::h2c, [&](ResponseWriter& w, Request&) {
    release.wait_for(std::chrono::seconds(5));
    w.write("ok");
  }, [](Server& s) { s.http2.max_concurrent_streams = 4; });
  RawH2 c(srv.port());
  // Before the client acknowledges the limit (RFC 9113 6.5.3), the fifth stream is
  // refused (REFUSED_STREAM: safe to retry); once acknowledged, exceeding it is the
  // client's protocol error and nghttp2 ends the connection (5.1.2 allows both).
  for (std::uint32_t id = 1; id <= 9; id += 2) c.headers(id, get_fields());
  RawFrame f = c.next_end(9);
  REQUIRE(f.type == kRstStream);
  CHECK((error_code_of(f) == kRefusedStream || error_code_of(f) == kProtocolError));
  release.set();
  std::set<std::uint32_t> answered;
  read_until(c.sock, c.buf, [&](const RawFrame& fr) {
    if (fr.type == kData && (fr.flags & kEndStream)) answered.insert(fr.stream);
    return answered.size() == 4 || fr.type == kGoaway;
  });
  CHECK(answered == std::set<std::uint32_t>{1, 3, 5, 7});
}
