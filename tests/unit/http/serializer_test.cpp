// Response serialization, byte for byte as Go writes it.
#include <catch2/catch.hpp>

#include <string>

#include "http1/serializer.hpp"

namespace s = httpkit::http1;

TEST_CASE("status lines", "[http1][serializer]") {
  struct Case {
    int status;
    std::string_view want;
  };
  const Case cases[] = {
      {200, "HTTP/1.1 200 OK\r\n"},
      {404, "HTTP/1.1 404 Not Found\r\n"},
      {999, "HTTP/1.1 999 status code 999\r\n"},
      {299, "HTTP/1.1 299 status code 299\r\n"},
      {103, "HTTP/1.1 103 Early Hints\r\n"},
  };
  for (const Case& c : cases) {
    httpkit::detail::ByteBuffer out;
    s::append_status_line(out, "HTTP/1.1", c.status);
    CHECK(out.view() == c.want);
  }
  httpkit::detail::ByteBuffer out;
  out.append("x");
  s::append_status_line(out, "HTTP/1.0", 204);
  CHECK(out.view() == "xHTTP/1.0 204 No Content\r\n");
}

TEST_CASE("header fields cannot inject lines", "[http1][serializer]") {
  httpkit::Header h;
  h.add("Content-Type", "text/plain");
  h.add("X-Evil", "a\r\nSet-Cookie: b");
  h.add("Date", "now");
  httpkit::detail::ByteBuffer out;
  s::append_header_fields(out, h, [](std::string_view) { return false; });
  CHECK(out.view() == "Content-Type: text/plain\r\nX-Evil: a  Set-Cookie: b\r\nDate: now\r\n");
  out.clear();
  s::append_header_fields(out, h, [](std::string_view name) { return name == "Date"; });
  CHECK(out.view() == "Content-Type: text/plain\r\nX-Evil: a  Set-Cookie: b\r\n");
  out.clear();
  s::append_header_line(out, "Content-Length", "5");
  CHECK(out.view() == "Content-Length: 5\r\n");
}

TEST_CASE("a byte buffer grows past its capacity and keeps what it held", "[http1][serializer]") {
  httpkit::detail::ByteBuffer out;
  out.append("prefix|");
  for (int i = 0; i < 50; ++i) {
    s::append_header_field(out, "X-Long-Field-Name", std::string(100, static_cast<char>('a' + i % 26)));
  }
  out.append("\r\n");
  CHECK(out.size() == 7 + 50 * (17 + 2 + 100 + 2) + 2);
  CHECK(out.view().starts_with("prefix|X-Long-Field-Name: aaaa"));
  CHECK(out.view().find(std::string(100, 'z')) != std::string::npos);
  CHECK(out.view().ends_with(std::string(100, 'x') + "\r\n\r\n"));
  out.truncate(7);
  CHECK(out.view() == "prefix|");
  out.truncate(100);  // past the end: nothing to drop
  CHECK(out.view() == "prefix|");
}

TEST_CASE("chunk framing", "[http1][serializer]") {
  httpkit::detail::ByteBuffer out;
  s::append_chunk_size(out, 0x1f4a);
  s::append_chunk_size(out, 1);
  s::append_chunk_size(out, SIZE_MAX);
  CHECK(out.view() == "1f4a\r\n1\r\nffffffffffffffff\r\n");
  out.clear();
  s::append_last_chunk(out, httpkit::Header{});
  CHECK(out.view() == "0\r\n\r\n");
  out.clear();
  s::append_last_chunk(out, httpkit::Header{{"x-sum", "1"}});
  CHECK(out.view() == "0\r\nX-Sum: 1\r\n\r\n");
}

TEST_CASE("field values lose CR and LF at every position and length", "[http1][serializer]") {
  auto written = [](std::string_view value) {
    httpkit::detail::ByteBuffer out;
    s::append_header_field(out, "X", value);
    return std::string(out.view().substr(3, out.size() - 5));  // between "X: " and "\r\n"
  };
  for (std::size_t n = 0; n < 40; ++n) {
    const std::string plain(n, 'a');
    CHECK(written(plain) == plain);
    for (std::size_t i = 0; i < n; ++i) {
      for (char c : {'\r', '\n'}) {
        std::string t = plain;
        t[i] = c;
        std::string want = plain;
        want[i] = ' ';
        INFO("n=" << n << " i=" << i);
        CHECK(written(t) == want);
      }
    }
  }
  // Bytes next to CR and LF in value, and high bytes, are not mistaken for them.
  const std::string near("\x0b\x0c\x0e\x09\x8a\x8d\xff\x00\x2a\x2d\x0c\x0e", 12);
  CHECK(written(near) == near);
}
