// FrameGate: which incoming frames it stops, fed the way a socket delivers bytes (all
// at once, or one octet per read), so that frame headers and PRIORITY payloads split
// across reads are read the same.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "http2/frame_gate.hpp"

using httpkit::detail::FrameGate;

namespace {

enum : std::uint8_t { kData = 0, kHeaders = 1, kPriority = 2, kRstStream = 3, kPing = 6 };
enum : std::uint8_t { kEndStream = 1, kEndHeaders = 4 };
enum : std::uint32_t { kProtocolError = 1, kStreamClosed = 5 };

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string payload) {
  std::string f;
  const auto n = static_cast<std::uint32_t>(payload.size());
  for (int shift : {16, 8, 0}) f.push_back(static_cast<char>((n >> shift) & 0xff));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  for (int shift : {24, 16, 8, 0}) f.push_back(static_cast<char>((stream >> shift) & 0xff));
  return f + payload;
}

std::string headers(std::uint32_t stream, bool end_stream) {
  return frame(kHeaders, static_cast<std::uint8_t>(kEndHeaders | (end_stream ? kEndStream : 0)), stream, "\x82");
}

std::string priority(std::uint32_t stream, std::uint32_t depends_on) {
  std::string p;
  for (int shift : {24, 16, 8, 0}) p.push_back(static_cast<char>((depends_on >> shift) & 0xff));
  return frame(kPriority, 0, stream, p + '\x10');
}

const std::string kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0, "");

struct Outcome {
  std::vector<FrameGate::StreamError> stream_errors;
  std::uint32_t connection_error = 0;
  std::size_t passed = 0;  // bytes let through before the connection error (all when none)
};

// feed gives the gate bytes in reads of `step` octets (0: all at once).
Outcome feed(FrameGate& gate, const std::string& bytes, std::size_t step) {
  Outcome out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t n = step == 0 ? bytes.size() - at : std::min(step, bytes.size() - at);
    auto v = gate.scan(p + at, n, [&](FrameGate::StreamError e) { out.stream_errors.push_back(e); });
    out.passed += v.pass;
    if (v.connection_error != 0) {
      out.connection_error = v.connection_error;
      return out;
    }
    at += n;
  }
  return out;
}

// only_stream_error: the outcome is one stream error, stream reset with code.
void only_stream_error(const Outcome& o, std::uint32_t stream, std::uint32_t code) {
  CHECK(o.connection_error == 0);
  REQUIRE(o.stream_errors.size() == 1);
  CHECK(o.stream_errors[0].stream == stream);
  CHECK(o.stream_errors[0].code == code);
}

}  // namespace

TEST_CASE("FrameGate lets a well-behaved client through", "[http2]") {
  for (std::size_t step : {0, 1, 5}) {
    INFO("step " << step);
    FrameGate gate;
    const std::string in = kPreface + headers(1, true) + headers(3, false) + frame(kData, kEndStream, 3, "body") +
                           priority(5, 3) + headers(5, true) + frame(kPing, 0, 0, "12345678");
    const Outcome o = feed(gate, in, step);
    CHECK(o.connection_error == 0);
    CHECK(o.stream_errors.empty());
    CHECK(o.passed == in.size());
  }
}

TEST_CASE("FrameGate: HEADERS on a client stream id skipped earlier is a connection error (RFC 9113 5.1.1)",
          "[http2]") {
  for (std::size_t step : {0, 1}) {
    FrameGate gate;
    const std::string before = kPreface + headers(5, true);
    const Outcome o = feed(gate, before + headers(3, true) + headers(7, true), step);
    CHECK(o.connection_error == kProtocolError);
    // nghttp2 never gets the offending frame's header whole (octets of it may have gone
    // in earlier reads, before its last one told what it is).
    CHECK(o.passed >= before.size());
    CHECK(o.passed < before.size() + 9);
    if (step == 0) CHECK(o.passed == before.size());
  }
}

TEST_CASE("FrameGate: DATA or HEADERS on a stream the client reset is a stream error (5.1)", "[http2]") {
  for (std::uint8_t type : {kData, kHeaders}) {
    FrameGate gate;
    const std::string late = type == kData ? frame(kData, kEndStream, 1, "x") : headers(1, true);
    const std::string reset = frame(kRstStream, 0, 1, std::string(4, '\x08'));
    only_stream_error(feed(gate, kPreface + headers(1, false) + reset + late, 0), 1, kStreamClosed);
  }
}

TEST_CASE("FrameGate: a frame on a stream both sides ended is a connection error (5.1)", "[http2]") {
  FrameGate gate;
  feed(gate, kPreface + headers(1, true), 0);
  SECTION("while our response is not done, nghttp2 has the stream and judges") {
    const Outcome o = feed(gate, frame(kData, kEndStream, 1, "x"), 0);
    CHECK(o.connection_error == 0);
    CHECK(o.stream_errors.empty());
  }
  SECTION("once our END_STREAM went out, the stream is closed") {
    gate.sent_end_stream(1);
    CHECK(feed(gate, frame(kData, kEndStream, 1, "x"), 0).connection_error == kStreamClosed);
  }
  SECTION("a stream we reset takes what was in flight quietly") {
    gate.sent_reset(1);
    const Outcome o = feed(gate, frame(kData, kEndStream, 1, "x") + headers(1, true), 0);
    CHECK(o.connection_error == 0);
    CHECK(o.stream_errors.empty());
  }
}

TEST_CASE("FrameGate: the request's end after an early response still reaches nghttp2", "[http2]") {
  FrameGate gate;
  feed(gate, kPreface + headers(1, false), 0);
  gate.sent_end_stream(1);  // the response ended first: the stream is half-closed (local)
  const Outcome o = feed(gate, frame(kData, kEndStream, 1, "body"), 0);
  CHECK(o.connection_error == 0);
  CHECK(o.stream_errors.empty());
  // Now both sides ended.
  CHECK(feed(gate, frame(kData, 0, 1, "more"), 0).connection_error == kStreamClosed);
}

TEST_CASE("FrameGate: PRIORITY on stream 0, or a stream depending on itself (6.3, 5.3.1)", "[http2]") {
  for (std::size_t step : {0, 1, 10}) {
    INFO("step " << step);
    {
      FrameGate gate;
      CHECK(feed(gate, kPreface + priority(0, 1), step).connection_error == kProtocolError);
    }
    {
      FrameGate gate;  // an idle stream cannot be reset: the connection ends
      CHECK(feed(gate, kPreface + priority(1, 1), step).connection_error == kProtocolError);
    }
    {
      FrameGate gate;
      only_stream_error(feed(gate, kPreface + headers(1, false) + priority(1, 1) + headers(3, true), step), 1,
                        kProtocolError);
    }
  }
}

TEST_CASE("FrameGate: an h2c upgrade's stream 1 is ended by the HTTP/1.1 request", "[http2]") {
  FrameGate gate;
  gate.opened_by_upgrade();
  gate.sent_end_stream(1);
  CHECK(feed(gate, kPreface + frame(kData, 0, 1, "x"), 0).connection_error == kStreamClosed);
}

TEST_CASE("FrameGate remembers the last kWindow client streams only", "[http2]") {
  FrameGate gate;
  std::string in = kPreface;
  for (std::uint32_t id = 1; id <= 2 * FrameGate::kWindow + 1; id += 2) in += headers(id, true);
  feed(gate, in, 0);
  gate.sent_end_stream(1);  // too old to be remembered: left to nghttp2, which ignores it
  CHECK(feed(gate, frame(kData, 0, 1, "x"), 0).connection_error == 0);
  gate.sent_end_stream(3);  // the oldest remembered
  CHECK(feed(gate, frame(kData, 0, 3, "x"), 0).connection_error == kStreamClosed);
}
