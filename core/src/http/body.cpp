// StringBody, no_body and read_all (strings.Reader, http.NoBody, io.ReadAll).
#include "httpkit/body.hpp"

#include <algorithm>
#include <cstring>

namespace httpkit {

IoResult StringBody::read(std::span<std::byte> buf) {
  if (closed_) return {0, make_error_code(errc::closed)};
  if (pos_ == data_.size()) return {0, make_error_code(errc::eof)};
  std::size_t n = std::min(buf.size(), data_.size() - pos_);
  std::memcpy(buf.data(), data_.data() + pos_, n);
  pos_ += n;
  return {n, {}};
}

namespace {
class NoBody final : public Body {
 public:
  IoResult read(std::span<std::byte>) override { return {0, make_error_code(errc::eof)}; }
};
}  // namespace

Body& no_body() noexcept {
  static NoBody body;
  return body;
}

Result<std::string> read_all(Body& body) {
  // kReadAllStepBytes: Go's io.ReadAll starts at 512 bytes and grows; reading in 4 KiB
  // steps keeps small bodies to one allocation and large ones amortised by std::string.
  constexpr std::size_t kReadAllStepBytes = 4096;
  std::string out;
  while (true) {
    std::size_t old = out.size();
    out.resize(old + kReadAllStepBytes);
    IoResult r = body.read(std::as_writable_bytes(std::span(out.data() + old, kReadAllStepBytes)));
    out.resize(old + r.n);
    if (r.err == errc::eof) return out;
    if (r.err) return r.err;
  }
}

}  // namespace httpkit
