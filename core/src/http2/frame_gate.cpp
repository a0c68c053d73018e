// FrameGate: frame headers read on their way to nghttp2 (see frame_gate.hpp), the
// rarer paths.
#include "http2/frame_gate.hpp"

#include <nghttp2/nghttp2.h>

namespace httpkit::detail {

bool FrameGate::take_partial_header(const std::uint8_t* data, std::size_t n, std::size_t& at) {
  while (partial_len_ < partial_.size() && at < n) partial_[partial_len_++] = data[at++];
  if (partial_len_ < partial_.size()) return false;
  partial_len_ = 0;
  read_header(partial_.data());
  return true;
}

FrameGate::StreamError FrameGate::take_dependency(const std::uint8_t* p, std::size_t k) {
  while (k > 0 && dependency_len_ < dependency_.size()) {
    dependency_[dependency_len_++] = *p++;
    --k;
    --skip_;
  }
  if (dependency_len_ < dependency_.size()) return {};
  dependency_wanted_ = false;
  return on_priority_dependency();
}

FrameGate::StreamError FrameGate::on_header() {
  switch (frame_.type) {
    case NGHTTP2_DATA:
      return on_stream_frame(false);
    case NGHTTP2_HEADERS:
      return on_stream_frame(true);
    case NGHTTP2_RST_STREAM:
      if (std::uint8_t* s = slot(frame_.stream)) *s |= kClientReset;
      return {};
    case NGHTTP2_PRIORITY:
      if (frame_.stream == 0) return {0, NGHTTP2_PROTOCOL_ERROR};  // section 6.3
      dependency_wanted_ = frame_.length == 5;  // another length is nghttp2's FRAME_SIZE_ERROR
      dependency_len_ = 0;
      return {};
    default:
      return {};
  }
}

FrameGate::StreamError FrameGate::on_stream_frame(bool headers) {
  const bool end_stream = (frame_.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  const std::uint32_t id = frame_.stream;
  if (headers && (id & 1) == 1 && id >= next_) {  // a new stream, past some never opened
    // The ids skipped on the way are closed without ever being opened (section 5.1.1).
    if ((id - next_) >> 1 >= kWindow) {
      state_.fill(0);
      next_ = id;
    }
    for (; next_ < id; next_ += 2) state_[(next_ >> 1) & (kWindow - 1)] = 0;
    open_next(end_stream);
    return {};
  }
  std::uint8_t* s = slot(id);
  if (!s) return {};  // stream 0, even, idle or long closed: nghttp2's to judge
  if (!(*s & kOpened)) return headers ? StreamError{0, NGHTTP2_PROTOCOL_ERROR} : StreamError{};
  if (*s & kServerReset) return {};  // in flight when we reset it: ignored (section 5.1)
  if (*s & kClientReset) return {id, NGHTTP2_STREAM_CLOSED};
  if ((*s & kClientEnded) && (*s & kServerEnded)) return {0, NGHTTP2_STREAM_CLOSED};
  if (end_stream) *s |= kClientEnded;  // nghttp2 still has the stream: it judges the rest
  return {};
}

FrameGate::StreamError FrameGate::on_priority_dependency() {
  const std::uint32_t dependency = ((std::uint32_t{dependency_[0]} << 24) | (std::uint32_t{dependency_[1]} << 16) |
                                    (std::uint32_t{dependency_[2]} << 8) | dependency_[3]) &
                                   0x7fffffffu;
  if (dependency != frame_.stream) return {};
  // Section 5.3.1: a stream error; a stream not opened yet cannot be reset (section
  // 6.4), and any stream error may be a connection error (section 5.4).
  if (frame_.stream >= next_) return {0, NGHTTP2_PROTOCOL_ERROR};
  return {frame_.stream, NGHTTP2_PROTOCOL_ERROR};
}

}  // namespace httpkit::detail
