// FrameGate: what it passes on to nghttp2, which header blocks it takes and which frames
// it stops, fed the way a socket delivers bytes (all at once, or a few octets per
// read), so that frame headers, header blocks and PRIORITY payloads split across reads
// come out the same.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "http2/frame_gate.hpp"

using httpkit::detail::FrameGate;

namespace {

enum : std::uint8_t { kData = 0, kHeaders = 1, kPriority = 2, kRstStream = 3, kPing = 6, kContinuation = 9 };
enum : std::uint8_t { kEndStream = 1, kEndHeaders = 4, kPadded = 8, kPriorityFlag = 0x20 };
enum : std::uint32_t { kProtocolError = 1, kStreamClosed = 5, kFrameSizeError = 6, kEnhanceYourCalm = 0xb };

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string payload) {
  std::string f;
  const auto n = static_cast<std::uint32_t>(payload.size());
  for (int shift : {16, 8, 0}) f.push_back(static_cast<char>((n >> shift) & 0xff));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  for (int shift : {24, 16, 8, 0}) f.push_back(static_cast<char>((stream >> shift) & 0xff));
  return f + payload;
}

std::string be32(std::uint32_t v) {
  std::string s;
  for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>((v >> shift) & 0xff));
  return s;
}

// A header block's bytes are opaque to the gate: any octets stand for one.
std::string headers(std::uint32_t stream, bool end_stream, std::string block = "\x82\x86") {
  return frame(kHeaders, static_cast<std::uint8_t>(kEndHeaders | (end_stream ? kEndStream : 0)), stream, block);
}

std::string priority(std::uint32_t stream, std::uint32_t depends_on) {
  return frame(kPriority, 0, stream, be32(depends_on) + '\x10');
}

const std::string kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0, "");

struct Block {
  std::uint32_t stream;
  bool end_stream, drop;
  std::string bytes;
  bool operator==(const Block&) const = default;
};

// Outcome records what the gate hands on, as nghttp2 and the decoder would see it.
struct Outcome {
  std::string passed;  // the bytes nghttp2 reads
  std::vector<Block> blocks;
  std::vector<FrameGate::StreamError> stream_errors;
  std::uint32_t connection_error = 0;

  bool pass(const std::uint8_t* p, std::size_t n) {
    passed.append(reinterpret_cast<const char*>(p), n);
    return true;
  }
  bool header_block(const FrameGate::HeaderBlock& b) {
    blocks.push_back({b.stream, b.end_stream, b.drop, std::string(b.bytes)});
    return true;
  }
  bool stream_error(FrameGate::StreamError e) {
    stream_errors.push_back(e);
    return true;
  }
};

// feed gives the gate bytes in reads of `step` octets (0: all at once).
Outcome feed(FrameGate& gate, const std::string& bytes, std::size_t step) {
  Outcome out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  for (std::size_t at = 0; at < bytes.size() && out.connection_error == 0;) {
    const std::size_t n = step == 0 ? bytes.size() - at : std::min(step, bytes.size() - at);
    out.connection_error = gate.scan(p + at, n, out);
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

TEST_CASE("FrameGate passes frames on and takes header blocks, however reads split them", "[http2]") {
  const std::string data = frame(kData, kEndStream, 3, "body");
  const std::string ping = frame(kPing, 0, 0, "12345678");
  const std::string in = kPreface + headers(1, true, "\x82\x84") + headers(3, false, "\x83") + data + priority(5, 3) +
                         headers(5, true, "\x82\x86\x84") + ping;
  for (std::size_t step : {0, 1, 2, 5, 9, 10}) {
    INFO("step " << step);
    FrameGate gate;
    const Outcome o = feed(gate, in, step);
    CHECK(o.connection_error == 0);
    CHECK(o.stream_errors.empty());
    // HEADERS and PRIORITY frames are ours (nghttp2 ignores PRIORITY: RFC 9218 priorities).
    CHECK(o.passed == kPreface + data + ping);
    const std::vector<Block> want = {{1, true, false, "\x82\x84"}, {3, false, false, "\x83"},
                                     {5, true, false, "\x82\x86\x84"}};
    CHECK(o.blocks == want);
  }
}

TEST_CASE("FrameGate assembles a block from HEADERS and CONTINUATION frames, without padding and priority",
          "[http2]") {
  // HEADERS: pad length 3, priority (stream 0, weight 16), fragment "ab", padding.
  const std::string head = frame(kHeaders, kPadded | kPriorityFlag | kEndStream, 1,
                                 std::string("\x03") + be32(0) + '\x0f' + "ab" + std::string(3, '\0'));
  const std::string in =
      kPreface + head + frame(kContinuation, 0, 1, "cd") + frame(kContinuation, kEndHeaders, 1, "ef") + headers(3, true);
  for (std::size_t step : {0, 1, 7}) {
    INFO("step " << step);
    FrameGate gate;
    const Outcome o = feed(gate, in, step);
    CHECK(o.connection_error == 0);
    CHECK(o.passed == kPreface);
    REQUIRE(o.blocks.size() == 2);
    CHECK(o.blocks[0] == Block{1, true, false, "abcdef"});
    CHECK(o.blocks[1].stream == 3);
  }
}

TEST_CASE("FrameGate holds header blocks to RFC 9113 sections 4.2, 5.3.1, 6.2 and 6.10", "[http2]") {
  auto error_of = [](const std::string& frames) {
    FrameGate gate({16384, 2, 1 << 20});
    return feed(gate, kPreface + frames, 0).connection_error;
  };
  const std::string open = frame(kHeaders, 0, 1, "ab");  // no END_HEADERS: CONTINUATION must follow
  CHECK(error_of(open + frame(kContinuation, kEndHeaders, 1, "cd")) == 0);
  CHECK(error_of(open + frame(kPing, 0, 0, "12345678")) == kProtocolError);         // a frame in between
  CHECK(error_of(open + frame(kContinuation, kEndHeaders, 3, "cd")) == kProtocolError);  // another stream
  CHECK(error_of(open + frame(kContinuation, 0, 1, "c") + frame(kContinuation, 0, 1, "d") +
                 frame(kContinuation, kEndHeaders, 1, "e")) == kEnhanceYourCalm);  // over 2 CONTINUATIONs
  CHECK(error_of(frame(kHeaders, kEndHeaders, 1, std::string(16385, 'x'))) == kFrameSizeError);
  CHECK(error_of(frame(kHeaders, kEndHeaders | kPadded, 1, std::string("\x03", 1) + "ab")) == kProtocolError);
  CHECK(error_of(frame(kHeaders, kEndHeaders | kPriorityFlag, 1, be32(1) + '\x0f' + "ab")) == kProtocolError);
  // A CONTINUATION with no block open is nghttp2's to refuse: passed on.
  FrameGate gate;
  const Outcome o = feed(gate, kPreface + frame(kContinuation, kEndHeaders, 1, "ab"), 0);
  CHECK(o.connection_error == 0);
  CHECK(o.passed == kPreface + frame(kContinuation, kEndHeaders, 1, "ab"));
}

TEST_CASE("FrameGate: HEADERS on a client stream id skipped earlier is a connection error (RFC 9113 5.1.1)",
          "[http2]") {
  for (std::size_t step : {0, 1}) {
    FrameGate gate;
    const Outcome o = feed(gate, kPreface + headers(5, true) + headers(3, true) + headers(7, true), step);
    CHECK(o.connection_error == kProtocolError);
    REQUIRE(o.blocks.size() == 1);  // stream 5's; not stream 3's
    CHECK(o.blocks[0].stream == 5);
  }
}

TEST_CASE("FrameGate: DATA or HEADERS on a stream the client reset is a stream error (5.1)", "[http2]") {
  const std::string reset = frame(kRstStream, 0, 1, be32(8));
  SECTION("DATA is passed on for nghttp2 to ignore") {
    FrameGate gate;
    only_stream_error(feed(gate, kPreface + headers(1, false) + reset + frame(kData, kEndStream, 1, "x"), 0), 1,
                      kStreamClosed);
  }
  SECTION("HEADERS: its block is still decoded, and dropped (section 4.3)") {
    FrameGate gate;
    const Outcome o = feed(gate, kPreface + headers(1, false) + reset + headers(1, true, "\x84"), 0);
    only_stream_error(o, 1, kStreamClosed);
    REQUIRE(o.blocks.size() == 2);
    CHECK(o.blocks[1] == Block{1, true, true, "\x84"});
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
  SECTION("a stream we reset takes what was in flight quietly; its blocks are decoded and dropped") {
    gate.sent_reset(1);
    const Outcome o = feed(gate, frame(kData, kEndStream, 1, "x") + headers(1, true, "\x84"), 0);
    CHECK(o.connection_error == 0);
    CHECK(o.stream_errors.empty());
    REQUIRE(o.blocks.size() == 1);
    CHECK(o.blocks[0].drop);
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

TEST_CASE("FrameGate gives back the memory a large header block took", "[http2]") {
  FrameGate gate({16384, 16, 1 << 20});
  std::string in = kPreface + frame(kHeaders, 0, 1, std::string(16000, 'a'));
  for (int i = 0; i < 6; ++i) in += frame(kContinuation, 0, 1, std::string(16000, 'b'));
  in += frame(kContinuation, kEndHeaders, 1, "c");
  const Outcome o = feed(gate, in, 5000);  // split reads: the frames' payloads are gathered too
  REQUIRE(o.blocks.size() == 1);
  CHECK(o.blocks[0].bytes.size() == 7 * 16000 + 1);
  CHECK(gate.retained() < 64 * 1024);
}
