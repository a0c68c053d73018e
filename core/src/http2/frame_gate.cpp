// FrameGate: frame headers read on their way to nghttp2 (see frame_gate.hpp), the
// rarer paths.
#include "http2/frame_gate.hpp"

#include <nghttp2/nghttp2.h>

namespace httpkit::detail {

namespace {

std::uint32_t be31(const std::uint8_t* p) noexcept {
  return ((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3]) & 0x7fffffffu;
}

FrameGate::StreamError connection_error(std::uint32_t code) { return {0, code}; }

}  // namespace

bool FrameGate::take_partial_header(const std::uint8_t* data, std::size_t n, std::size_t& at) {
  while (partial_len_ < partial_.size() && at < n) partial_[partial_len_++] = data[at++];
  if (partial_len_ < partial_.size()) return false;
  partial_len_ = 0;
  read_header(partial_.data());
  return true;
}

FrameGate::Decision FrameGate::on_header() {
  // Section 6.10: a header block is one HEADERS frame and its CONTINUATION frames on
  // the same stream, with nothing in between.
  if (block_open_ && frame_.type != NGHTTP2_CONTINUATION) return {false, connection_error(NGHTTP2_PROTOCOL_ERROR)};
  switch (frame_.type) {
    case NGHTTP2_DATA: {
      bool drop = false;
      return {false, on_stream_frame(false, drop)};
    }
    case NGHTTP2_HEADERS: {
      // Section 4.2: a header block's frame over our SETTINGS_MAX_FRAME_SIZE is a
      // connection error (nghttp2 no longer sees its real length).
      if (frame_.length > limits_.max_frame_size) return {false, connection_error(NGHTTP2_FRAME_SIZE_ERROR)};
      bool drop = false;
      const StreamError e = on_stream_frame(true, drop);
      if (e.code != 0 && e.stream == 0) return {false, e};
      block_ = {frame_.stream, (frame_.flags & NGHTTP2_FLAG_END_STREAM) != 0, drop || e.code != 0, {}};
      block_error_ = e;  // reported once the block is decoded (section 4.3)
      continuations_ = 0;
      return {true, {}};
    }
    case NGHTTP2_CONTINUATION:
      if (!block_open_) return {};  // nghttp2's to refuse: no header block is open
      if (frame_.stream != block_.stream) return {false, connection_error(NGHTTP2_PROTOCOL_ERROR)};
      if (frame_.length > limits_.max_frame_size) return {false, connection_error(NGHTTP2_FRAME_SIZE_ERROR)};
      if (++continuations_ > limits_.max_continuations) return {false, connection_error(NGHTTP2_ENHANCE_YOUR_CALM)};
      return {true, {}};
    case NGHTTP2_RST_STREAM:
      if (std::uint8_t* s = slot(frame_.stream)) *s |= kClientReset;
      return {};
    case NGHTTP2_PRIORITY:
      if (frame_.stream == 0) return {false, connection_error(NGHTTP2_PROTOCOL_ERROR)};  // section 6.3
      return {frame_.length == 5, {}};  // another length is nghttp2's FRAME_SIZE_ERROR
    default:
      return {};
  }
}

FrameGate::StreamError FrameGate::on_stream_frame(bool headers, bool& drop) {
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
  if (!(*s & kOpened)) return headers ? connection_error(NGHTTP2_PROTOCOL_ERROR) : StreamError{};
  if (*s & kServerReset) {  // in flight when we reset it: ignored (section 5.1)
    drop = true;
    return {};
  }
  if (*s & kClientReset) return {id, NGHTTP2_STREAM_CLOSED};
  if ((*s & kClientEnded) && (*s & kServerEnded)) return connection_error(NGHTTP2_STREAM_CLOSED);
  if (end_stream) *s |= kClientEnded;  // nghttp2 still has the stream: it judges the rest
  return {};
}

FrameGate::StreamError FrameGate::priority_frame(std::string_view payload) const {
  if (be31(reinterpret_cast<const std::uint8_t*>(payload.data())) != frame_.stream) return {};
  // Section 5.3.1: a stream error; a stream not opened yet cannot be reset (section
  // 6.4), and any stream error may be a connection error (section 5.4).
  if (frame_.stream >= next_) return connection_error(NGHTTP2_PROTOCOL_ERROR);
  return {frame_.stream, NGHTTP2_PROTOCOL_ERROR};
}

// fragment_of: a HEADERS payload without its pad length, priority and padding
// (section 6.2); a CONTINUATION payload is all fragment.
std::uint32_t FrameGate::fragment_of(std::string_view payload, std::string_view& fragment) {
  std::size_t begin = 0, pad = 0;
  if (frame_.type == NGHTTP2_HEADERS) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(payload.data());
    if (frame_.flags & NGHTTP2_FLAG_PADDED) {
      if (payload.empty()) return NGHTTP2_FRAME_SIZE_ERROR;
      pad = p[0];
      begin = 1;
    }
    if (frame_.flags & NGHTTP2_FLAG_PRIORITY) {
      if (payload.size() < begin + 5) return NGHTTP2_FRAME_SIZE_ERROR;
      // Section 5.3.1: a stream cannot depend on itself. The stream is not opened for
      // nghttp2 yet, so this stream error ends the connection (section 5.4).
      if (be31(p + begin) == frame_.stream) return NGHTTP2_PROTOCOL_ERROR;
      begin += 5;
    }
    if (begin + pad > payload.size()) return NGHTTP2_PROTOCOL_ERROR;  // padding the payload cannot hold
  }
  fragment = payload.substr(begin, payload.size() - begin - pad);
  return 0;
}

}  // namespace httpkit::detail
