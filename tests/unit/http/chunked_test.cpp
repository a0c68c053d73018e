// ChunkedDecoder (RFC 9112 section 7.1): whole bodies, byte-at-a-time input, trailers
// and the malformed encodings that must fail.
#include <catch2/catch.hpp>

#include <string>

#include "http1/parser.hpp"

using httpkit::http1::ChunkedDecoder;
using Status = ChunkedDecoder::Status;

namespace {

constexpr std::size_t kMaxTrailer = 1024;

struct Decoded {
  Status last = Status::need_more;
  std::string body;
  std::string error;
  httpkit::Header trailer;
  std::size_t consumed = 0;
};

// decode feeds in as pieces of step bytes, keeping unconsumed bytes like a connection.
Decoded decode(std::string_view in, std::size_t step) {
  Decoded d;
  ChunkedDecoder dec;
  std::string pending;
  std::size_t fed = 0;
  while (true) {
    auto s = dec.feed(pending, d.trailer, kMaxTrailer);
    d.last = s.status;
    if (s.status == Status::error) {
      d.error = s.error;
      return d;
    }
    d.body.append(s.data);
    pending.erase(0, s.consumed);
    d.consumed += s.consumed;
    if (s.status == Status::done) return d;
    if (s.status == Status::need_more) {
      if (fed == in.size()) return d;
      std::size_t n = std::min(step, in.size() - fed);
      pending.append(in.substr(fed, n));
      fed += n;
    }
  }
}

}  // namespace

TEST_CASE("chunked bodies decode at any input granularity", "[http1][chunked]") {
  struct Case {
    std::string_view in, body, trailer;
  };
  const Case cases[] = {
      {"5\r\nhello\r\n0\r\n\r\n", "hello", ""},
      {"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world", ""},
      {"0\r\n\r\n", "", ""},
      {"A\r\n0123456789\r\n000\r\n\r\n", "0123456789", ""},
      {"a;name=value\r\n0123456789\r\n0\r\n\r\n", "0123456789", ""},
      {"3 ; ext ; q=\"a \\\"b\\\" c\"\r\nabc\r\n0\r\n\r\n", "abc", ""},
      {"00000000000000003\r\nabc\r\n0\r\n\r\n", "abc", ""},
      {"2\r\n\r\n\r\n0\r\nx-checksum: abc\r\nX-More:  1 \r\n\r\n", "\r\n", "X-Checksum=abc;X-More=1"},
  };
  for (const Case& c : cases) {
    for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{7}, c.in.size()}) {
      INFO(c.in << " step " << step);
      Decoded d = decode(c.in, step);
      REQUIRE(d.last == Status::done);
      CHECK(d.body == c.body);
      CHECK(d.consumed == c.in.size());
      std::string t;
      for (const auto& f : d.trailer) t += (t.empty() ? "" : ";") + std::string(f.name) + "=" + std::string(f.value);
      CHECK(t == c.trailer);
    }
  }
}

TEST_CASE("bytes after the last chunk are left for the next request", "[http1][chunked]") {
  ChunkedDecoder dec;
  httpkit::Header trailer;
  std::string_view in = "1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
  auto s1 = dec.feed(in, trailer, kMaxTrailer);
  REQUIRE(s1.status == Status::data);
  CHECK(s1.data == "x");
  auto s2 = dec.feed(in.substr(s1.consumed), trailer, kMaxTrailer);
  REQUIRE(s2.status == Status::done);
  CHECK(in.substr(s1.consumed + s2.consumed) == "GET / HTTP/1.1\r\n");
  CHECK(dec.done());
  CHECK(dec.feed("more", trailer, kMaxTrailer).consumed == 0);
}

TEST_CASE("malformed chunked encodings fail", "[http1][chunked]") {
  const std::string long_ext = "1;" + std::string(5000, 'e') + "\r\nx\r\n0\r\n\r\n";
  const std::string big_trailer = "0\r\nX: " + std::string(2000, 't') + "\r\n\r\n";
  const std::string_view cases[] = {
      "zz\r\n",                              // not hex
      "\r\n",                                // empty size
      "-1\r\n",                              // sign
      "+1\r\nx\r\n0\r\n\r\n",                // sign
      "0x5\r\nhello\r\n0\r\n\r\n",           // 0x prefix
      "8000000000000000\r\n",                // 2^63: over int64
      "10000000000000000\r\n",               // 17 digits
      "5\nhello\r\n0\r\n\r\n",               // bare LF after the size
      "5\r\nhelloX\r\n0\r\n\r\n",            // no CRLF after data
      "5\r\nhello\n0\r\n\r\n",               // bare LF after data
      "5\r\nhello\rx0\r\n\r\n",              // CR without LF after data
      "5;\r\nhello\r\n0\r\n\r\n",            // empty extension name
      "5;a=\r\nhello\r\n0\r\n\r\n",          // empty extension value
      "5;a=\"x\r\nhello\r\n0\r\n\r\n",       // unterminated quoted string
      "5;a b\r\nhello\r\n0\r\n\r\n",         // garbage after the name
      "5 x\r\nhello\r\n0\r\n\r\n",           // garbage after the size
      "5\r\nhello\r\n0\r\n bad: fold\r\n\r\n",  // obs-fold in the trailer
      "5\r\nhello\r\n0\r\nNo colon\r\n\r\n",    // malformed trailer field
      "5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n",     // bare CR in a trailer value
      "5\r\nhello\r\n0\r\n\n",                  // bare LF ending the trailer
  };
  for (std::string_view in : cases) {
    INFO(in);
    for (std::size_t step : {std::size_t{1}, in.size()}) {
      CHECK(decode(in, step).last == Status::error);
    }
  }
  CHECK(decode(std::string_view("5\0\r\nhello\r\n0\r\n\r\n", 17), 100).last == Status::error);
  CHECK(decode(long_ext, 100).last == Status::error);
  CHECK(decode(long_ext, long_ext.size()).error == "chunk line too long");
  CHECK(decode(big_trailer, 64).error == "trailer too large");
  CHECK(decode(big_trailer, big_trailer.size()).error == "trailer too large");
}

TEST_CASE("unread returns untaken data on the next feed", "[http1][chunked]") {
  ChunkedDecoder dec;
  httpkit::Header trailer;
  std::string_view in = "6\r\nabcdef\r\n0\r\n\r\n";
  auto s1 = dec.feed(in, trailer, kMaxTrailer);
  REQUIRE(s1.status == Status::data);
  REQUIRE(s1.data == "abcdef");
  // The caller takes 2 bytes only: it consumes the framing plus those 2.
  std::size_t taken = s1.consumed - (s1.data.size() - 2);
  dec.unread(s1.data.size() - 2);
  auto s2 = dec.feed(in.substr(taken), trailer, kMaxTrailer);
  REQUIRE(s2.status == Status::data);
  CHECK(s2.data == "cdef");
  auto s3 = dec.feed(in.substr(taken + s2.consumed), trailer, kMaxTrailer);
  CHECK(s3.status == Status::done);
}
