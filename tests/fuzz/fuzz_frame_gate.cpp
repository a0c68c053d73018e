// libFuzzer target: the HTTP/2 FrameGate (core/src/http2/frame_gate.hpp) on arbitrary
// input, fed whole and in pieces of 1 to 16 octets (the first input byte picks the
// size); both must find the same stream errors and the same connection error (where
// reads split the input must not matter), and every verdict must stay inside its read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "http2/frame_gate.hpp"

namespace {

using httpkit::detail::FrameGate;

struct Outcome {
  std::vector<FrameGate::StreamError> stream_errors;
  std::uint32_t connection_error = 0;
};

Outcome scan(const std::uint8_t* data, std::size_t size, std::size_t step) {
  Outcome out;
  FrameGate gate;
  for (std::size_t at = 0; at < size; at += step) {
    const std::size_t n = size - at < step ? size - at : step;
    const auto v = gate.scan(data + at, n, [&](FrameGate::StreamError e) {
      if (e.stream == 0 || e.code == 0) std::abort();  // a stream error names a stream and a code
      out.stream_errors.push_back(e);
      gate.sent_reset(e.stream);  // what the server then sends
    });
    if (v.pass > n) std::abort();
    if (v.connection_error != 0) {
      out.connection_error = v.connection_error;
      return out;
    }
    if (v.pass != n) std::abort();  // without an error every byte goes on
  }
  return out;
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.connection_error != b.connection_error || a.stream_errors.size() != b.stream_errors.size()) return false;
  for (std::size_t i = 0; i < a.stream_errors.size(); ++i) {
    if (a.stream_errors[i].stream != b.stream_errors[i].stream || a.stream_errors[i].code != b.stream_errors[i].code) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 16;
  const Outcome whole = scan(data + 1, size - 1, size);
  const Outcome pieces = scan(data + 1, size - 1, step);
  if (!same(whole, pieces)) std::abort();
  return 0;
}
