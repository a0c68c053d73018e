// libFuzzer target: the HTTP/2 FrameGate (core/src/http2/frame_gate.hpp) on arbitrary
// input, fed whole and in pieces of 1 to 16 octets (the first input byte picks the
// size). Both must pass the same bytes on to nghttp2, take the same header blocks and
// find the same errors: where reads split the input must not matter.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "http2/frame_gate.hpp"

namespace {

using httpkit::detail::FrameGate;

struct Outcome {
  FrameGate* gate = nullptr;
  std::string passed;
  std::vector<std::string> blocks;  // stream, flags and bytes of each, flattened
  std::vector<std::uint64_t> stream_errors;
  std::uint32_t connection_error = 0;

  bool pass(const std::uint8_t* p, std::size_t n) {
    passed.append(reinterpret_cast<const char*>(p), n);
    return true;
  }
  bool header_block(const FrameGate::HeaderBlock& b) {
    blocks.push_back(std::to_string(b.stream) + (b.end_stream ? "e" : "-") + (b.drop ? "d" : "-") + std::string(b.bytes));
    return true;
  }
  bool stream_error(FrameGate::StreamError e) {
    if (e.stream == 0 || e.code == 0) std::abort();  // a stream error names a stream and a code
    stream_errors.push_back((std::uint64_t{e.stream} << 32) | e.code);
    gate->sent_reset(e.stream);  // what the server then sends
    return true;
  }
};

void scan(const std::uint8_t* data, std::size_t size, std::size_t step, Outcome& out) {
  FrameGate gate({16384, 4, 1 << 16});
  out.gate = &gate;
  for (std::size_t at = 0; at < size && out.connection_error == 0; at += step) {
    const std::size_t n = size - at < step ? size - at : step;
    out.connection_error = gate.scan(data + at, n, out);
  }
  out.gate = nullptr;
  if (out.passed.size() > size) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 16;
  Outcome whole, pieces;
  scan(data + 1, size - 1, size, whole);
  scan(data + 1, size - 1, step, pieces);
  if (whole.passed != pieces.passed || whole.blocks != pieces.blocks || whole.stream_errors != pieces.stream_errors ||
      whole.connection_error != pieces.connection_error) {
    std::abort();
  }
  return 0;
}
