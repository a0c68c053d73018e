// libFuzzer target: ChunkedDecoder on arbitrary bytes, fed whole and in small pieces;
// both must reach the same outcome and the same body bytes (decoding must not depend
// on where reads split the stream).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http1/parser.hpp"

namespace {

using httpkit::http1::ChunkedDecoder;

// kFuzzMaxTrailerBytes keeps trailer-limit paths reachable with small inputs.
constexpr std::size_t kFuzzMaxTrailerBytes = 256;

struct Outcome {
  ChunkedDecoder::Status status = ChunkedDecoder::Status::need_more;
  std::string body;
  std::size_t consumed = 0;
};

Outcome decode(std::string_view in, std::size_t step) {
  Outcome out;
  ChunkedDecoder dec;
  httpkit::Header trailer;
  std::string pending;
  std::size_t fed = 0;
  while (true) {
    auto s = dec.feed(pending, trailer, kFuzzMaxTrailerBytes);
    out.status = s.status;
    if (s.consumed > pending.size()) std::abort();
    if (s.status == ChunkedDecoder::Status::error) return out;
    if (!s.data.empty() && (s.data.data() < pending.data() || s.data.data() + s.data.size() > pending.data() + pending.size())) {
      std::abort();
    }
    out.body.append(s.data);
    pending.erase(0, s.consumed);
    out.consumed += s.consumed;
    if (s.status == ChunkedDecoder::Status::done) return out;
    if (s.status == ChunkedDecoder::Status::need_more) {
      if (fed == in.size()) return out;
      std::size_t n = std::min(step, in.size() - fed);
      pending.append(in.substr(fed, n));
      fed += n;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + data[0] % 8;  // the first byte picks the read size
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = decode(in, in.size() + 1);
  Outcome pieces = decode(in, step);
  // An error can surface earlier with whole input only for limits measured on buffered
  // bytes (line and trailer length); otherwise the outcomes must be identical.
  if (whole.status == ChunkedDecoder::Status::done || pieces.status == ChunkedDecoder::Status::done) {
    if (whole.status != pieces.status || whole.body != pieces.body || whole.consumed != pieces.consumed) std::abort();
  }
  return 0;
}
