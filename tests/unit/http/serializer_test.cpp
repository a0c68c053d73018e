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
    std::string out;
    s::HeadWriter(out, 0).status_line("HTTP/1.1", c.status);
    CHECK(out == c.want);
  }
  std::string out = "x";
  s::HeadWriter(out, 0).status_line("HTTP/1.0", 204);
  CHECK(out == "xHTTP/1.0 204 No Content\r\n");
}

TEST_CASE("header fields cannot inject lines", "[http1][serializer]") {
  httpkit::Header h;
  h.add("Content-Type", "text/plain");
  h.add("X-Evil", "a\r\nSet-Cookie: b");
  h.add("Date", "now");
  std::string out;
  s::HeadWriter(out, 0).fields(h, [](std::string_view) { return false; });
  CHECK(out == "Content-Type: text/plain\r\nX-Evil: a  Set-Cookie: b\r\nDate: now\r\n");
  out.clear();
  s::HeadWriter(out, 0).fields(h, [](std::string_view name) { return name == "Date"; });
  CHECK(out == "Content-Type: text/plain\r\nX-Evil: a  Set-Cookie: b\r\n");
  out.clear();
  s::HeadWriter(out, 0).line("Content-Length", "5");
  CHECK(out == "Content-Length: 5\r\n");
}

TEST_CASE("a head writer grows past its guess and trims to what it wrote", "[http1][serializer]") {
  std::string out = "prefix|";
  {
    s::HeadWriter w(out, 4);  // far too small a guess: every line must grow the buffer
    for (int i = 0; i < 50; ++i) w.field("X-Long-Field-Name", std::string(100, static_cast<char>('a' + i % 26)));
    w.raw("\r\n");
  }
  CHECK(out.size() == 7 + 50 * (17 + 2 + 100 + 2) + 2);
  CHECK(out.starts_with("prefix|X-Long-Field-Name: aaaa"));
  CHECK(out.find(std::string(100, 'z')) != std::string::npos);
  CHECK(out.ends_with(std::string(100, 'x') + "\r\n\r\n"));
  CHECK(out.find('\0') == std::string::npos);  // no room left over inside the head
}

TEST_CASE("chunk framing", "[http1][serializer]") {
  std::string out;
  s::append_chunk_size(out, 0x1f4a);
  s::append_chunk_size(out, 1);
  CHECK(out == "1f4a\r\n1\r\n");
  out.clear();
  s::append_last_chunk(out, httpkit::Header{});
  CHECK(out == "0\r\n\r\n");
  out.clear();
  s::append_last_chunk(out, httpkit::Header{{"x-sum", "1"}});
  CHECK(out == "0\r\nX-Sum: 1\r\n\r\n");
}

TEST_CASE("field values lose CR and LF at every position and length", "[http1][serializer]") {
  auto written = [](std::string_view value) {
    std::string out;
    s::HeadWriter(out, 0).field("X", value);
    return out.substr(3, out.size() - 5);  // between "X: " and "\r\n"
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
