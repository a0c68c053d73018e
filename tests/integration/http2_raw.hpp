// Raw HTTP/2 for conformance and attack tests: a cleartext connection that sends
// hand-made frames (h2_client.hpp) to a test::Server in h2c mode.
#pragma once

#include <string>

#include "support/h2_client.hpp"

namespace httpkit::testing {

// Frame types and flags (RFC 9113 section 6).
enum : std::uint8_t { kData = 0, kHeaders = 1, kRstStream = 3, kSettings = 4, kPing = 6, kGoaway = 7, kWindowUpdate = 8,
                      kContinuation = 9 };
enum : std::uint8_t { kEndStream = 0x1, kAck = 0x1, kEndHeaders = 0x4 };
// Error codes (RFC 9113 section 7).
enum : std::uint32_t { kNoError = 0, kProtocolError = 1, kInternalError = 2, kFlowControlError = 3, kRefusedStream = 7,
                       kCancel = 8, kEnhanceYourCalm = 0xb };

inline std::uint32_t error_code_of(const RawFrame& f) {
  const std::size_t at = f.type == kGoaway ? 4 : 0;  // GOAWAY: last stream id, then the code
  if (f.payload.size() < at + 4) return 0xffffffff;
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<std::uint8_t>(f.payload[at + i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// RawH2 is a connection that has sent the preface and an empty SETTINGS.
struct RawH2 {
  Socket sock;
  std::string buf;
  explicit RawH2(int port) : sock(port, std::nullopt, std::chrono::seconds(5)) {
    sock.send(std::string(kPreface) + frame(kSettings, 0, 0, ""));
  }
  void send(const std::string& bytes) { sock.send(bytes); }
  // headers sends one HEADERS frame of literal fields.
  void headers(std::uint32_t stream, const Fields& fields, std::uint8_t flags = kEndHeaders | kEndStream) {
    std::string block;
    for (const auto& [k, v] : fields) block += hpack_literal(k, v);
    send(frame(kHeaders, flags, stream, block));
  }
  // next_end waits for RST_STREAM on stream, GOAWAY, or a response HEADERS/DATA that
  // ends the stream; type -1 when the connection closed or went silent.
  RawFrame next_end(std::uint32_t stream) {
    return read_until(sock, buf, [&](const RawFrame& f) {
      if (f.type == kGoaway) return true;
      if (f.stream != stream) return false;
      return f.type == kRstStream || ((f.type == kHeaders || f.type == kData) && (f.flags & kEndStream));
    });
  }
};

// A valid GET for stream, as literal fields.
inline Fields get_fields(std::string path = "/") {
  return {{":method", "GET"}, {":scheme", "http"}, {":path", std::move(path)}, {":authority", "localhost"}};
}

}  // namespace httpkit::testing
