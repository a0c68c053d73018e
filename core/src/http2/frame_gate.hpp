// FrameGate: the connection's input on its way to nghttp2. It reads every frame header
// and does two jobs nghttp2 does not do in our configuration (decision 0055).
//
// 1. Header blocks. HPACK decoding in nghttp2 costs ~270 instructions per field, most
//    of a request's cost, so we decode ourselves (HpackDecoder). The gate assembles
//    each header block from its HEADERS and CONTINUATION frames (without padding and
//    priority fields) and hands it to the sink; nghttp2 then gets the HEADERS frame
//    with an empty block, and keeps the stream states as before. The rules nghttp2
//    would have checked on those frames are checked here: frame size (RFC 9113
//    section 4.2), padding (6.2), CONTINUATION order (6.10) and its flood
//    (CVE-2024-27316), a stream depending on itself (5.3.1).
// 2. Stream states nghttp2 has forgotten. nghttp2 forgets a stream as soon as it
//    closes (no_closed_streams, and RFC 9218 priorities: decision 0048) and skips
//    PRIORITY frames whole. The gate remembers how the last kWindow client streams were
//    opened and ended and answers:
//    - HEADERS on a lower client stream id never opened: connection error PROTOCOL_ERROR (5.1.1);
//    - DATA or HEADERS on a stream the client reset: stream error STREAM_CLOSED (5.1);
//    - DATA or HEADERS on a stream both sides ended: connection error STREAM_CLOSED (5.1);
//    - PRIORITY on stream 0: connection error PROTOCOL_ERROR (6.3);
//    - a PRIORITY frame that makes a stream depend on itself: stream error
//      PROTOCOL_ERROR (5.3.1; connection error for a stream not opened yet, which
//      cannot be reset).
//    Frames on a stream we reset are let through for nghttp2 to ignore, and their
//    header blocks are decoded and dropped (sections 5.1 and 4.3: the decoder's table
//    must stay in step).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "http/byte_buffer.hpp"

namespace httpkit::detail {

class FrameGate {
 public:
  // kWindow: client streams remembered, the most recent ones; a frame on an older
  // closed stream is left to nghttp2, which ignores it.
  static constexpr std::uint32_t kWindow = 128;
  static_assert((kWindow & (kWindow - 1)) == 0, "a power of two: ids map to slots by a mask");

  struct Limits {
    std::uint32_t max_frame_size = 16384;   // our SETTINGS_MAX_FRAME_SIZE
    std::size_t max_continuations = 8;      // per header block
    std::size_t max_block_bytes = 1 << 20;  // compressed, per header block
  };
  struct StreamError {
    std::uint32_t stream = 0;  // 0: a connection error
    std::uint32_t code = 0;    // 0: none
  };
  // HeaderBlock: a complete header block and what nghttp2 is to make of it.
  struct HeaderBlock {
    std::uint32_t stream = 0;
    bool end_stream = false;
    bool drop = false;  // decode it and drop it: nghttp2 is not to see the frame
    std::string_view bytes;
  };

  FrameGate() = default;
  explicit FrameGate(Limits limits) : limits_(limits) {}

  // scan reads n bytes of the connection's input, in order, from its first byte (the
  // client preface), and hands them on to sink:
  //   sink.pass(const std::uint8_t*, std::size_t): bytes for nghttp2 as they are
  //     (never part of a frame header: one split across reads is held back);
  //   sink.header_block(const HeaderBlock&): a header block, at its place in the input;
  //   sink.stream_error(StreamError): a stream to reset, after what came before.
  // Each returns false to stop (the session is over). scan returns the connection
  // error found (the input is not passed on from the offending frame), or 0.
  template <class Sink>
  std::uint32_t scan(const std::uint8_t* data, std::size_t n, Sink& sink) {
    std::size_t at = 0;
    std::size_t pass_from = 0;  // the run of bytes to pass on starts here
    auto flush = [&](std::size_t to) {
      const bool ok = to <= pass_from || sink.pass(data + pass_from, to - pass_from);
      if (to > pass_from) pass_from = to;
      return ok;
    };
    while (at < n) {
      if (skip_ > 0) {  // the preface, or the payload of a frame passed on
        const std::size_t k = skip_ < n - at ? skip_ : n - at;
        at += k;
        skip_ -= k;
        continue;
      }
      if (payload_wanted_ > 0) {  // the payload of a frame of ours, split across reads
        const std::size_t k = payload_wanted_ < n - at ? payload_wanted_ : n - at;
        frame_buf_.append({reinterpret_cast<const char*>(data + at), k});
        at += k;
        pass_from = at;
        if ((payload_wanted_ -= k) > 0) continue;
        if (const std::uint32_t e = own_frame(frame_buf_.view(), sink)) return e;
        if (stopped_) return 0;
        continue;
      }
      const std::size_t frame_start = partial_len_ > 0 ? 0 : at;  // 0: it began in an earlier read
      const bool split = partial_len_ > 0 || n - at < kHeaderSize;
      if (split) {
        const std::size_t held_from = at;
        if (!take_partial_header(data, n, at)) {  // the header goes on in the next read:
          flush(held_from);                       // pass what came before it, hold it back
          return 0;
        }
      } else {
        read_header(data + at);
        at += kHeaderSize;
      }
      const Decision d = routine() ? Decision{} : on_header();
      if (d.error.code != 0 && d.error.stream == 0) {
        flush(frame_start);  // every frame before the offending one
        return d.error.code;
      }
      if (d.ours) {  // HEADERS, CONTINUATION, PRIORITY: its bytes stop here
        if (!flush(frame_start)) return 0;
        skip_ = 0;
        if (frame_.length <= n - at) {
          const std::string_view payload(reinterpret_cast<const char*>(data + at), frame_.length);
          at += frame_.length;
          pass_from = at;
          if (const std::uint32_t e = own_frame(payload, sink)) return e;
          if (stopped_) return 0;
        } else {
          frame_buf_.clear();
          payload_wanted_ = frame_.length;
          pass_from = at;
        }
        continue;
      }
      if (split) {  // its first octets were held back: pass the whole header now
        if (!flush(frame_start) || !sink.pass(partial_.data(), kHeaderSize)) return 0;
        pass_from = at;
      }
      if (d.error.code != 0 && (!flush(at) || !sink.stream_error(d.error))) return 0;
      if (skip_ <= n - at) at += std::exchange(skip_, 0);  // the payload, when here
    }
    flush(at);
    return 0;
  }

  // What the server sent (nghttp2's on_frame_send): END_STREAM, or RST_STREAM.
  void sent_end_stream(std::uint32_t stream) noexcept {
    if (std::uint8_t* s = slot(stream)) *s |= kServerEnded;
  }
  void sent_reset(std::uint32_t stream) noexcept {
    if (std::uint8_t* s = slot(stream)) *s |= kServerReset;
  }
  // retained: the octets the gate's buffers hold between reads (for tests).
  std::size_t retained() const noexcept {
    return block_buf_.size() + block_buf_.room() + frame_buf_.size() + frame_buf_.room();
  }
  // opened_by_upgrade: an h2c upgrade made stream 1 from the HTTP/1.1 request, which
  // ended it (RFC 7540 section 3.2).
  void opened_by_upgrade() noexcept { open_next(true); }

 private:
  static constexpr std::size_t kHeaderSize = 9;
  enum : std::uint8_t { kOpened = 1, kClientEnded = 2, kClientReset = 4, kServerEnded = 8, kServerReset = 16 };
  struct Header {
    std::uint32_t length = 0;
    std::uint8_t type = 0;
    std::uint8_t flags = 0;
    std::uint32_t stream = 0;
  };
  // Decision on a frame header that is not routine: ours (HEADERS, CONTINUATION,
  // PRIORITY: the gate reads the payload and nghttp2 does not get the frame as it is)
  // or passed on; and the error it makes, if any.
  struct Decision {
    bool ours = false;
    StreamError error;
  };

  void read_header(const std::uint8_t* h) noexcept {
    frame_.length = (std::uint32_t{h[0]} << 16) | (std::uint32_t{h[1]} << 8) | h[2];
    frame_.type = h[3];
    frame_.flags = h[4];
    frame_.stream = ((std::uint32_t{h[5]} << 24) | (std::uint32_t{h[6]} << 16) | (std::uint32_t{h[7]} << 8) | h[8]) &
                    0x7fffffffu;
    skip_ = frame_.length;
  }
  // routine: a frame passed on with no more than a look at its header (every type
  // but DATA, HEADERS, PRIORITY, RST_STREAM and CONTINUATION) while no header block
  // is open.
  bool routine() const noexcept { return frame_.type > 3 && frame_.type != 9 && !block_open_; }
  void open_next(bool end_stream) noexcept {
    state_[(next_ >> 1) & (kWindow - 1)] = end_stream ? kOpened | kClientEnded : kOpened;
    next_ += 2;
  }
  std::uint8_t* slot(std::uint32_t stream) noexcept {
    const std::uint32_t highest = next_ - 2;
    if ((stream & 1) == 0 || stream > highest || next_ == 1 || (highest - stream) >> 1 >= kWindow) return nullptr;
    return &state_[(stream >> 1) & (kWindow - 1)];
  }
  // take_partial_header gathers a header split across reads; false when the bytes end
  // first.
  bool take_partial_header(const std::uint8_t* data, std::size_t n, std::size_t& at);
  Decision on_header();
  StreamError on_stream_frame(bool headers, bool& drop);
  // priority_frame: a PRIORITY frame's whole payload. nghttp2 ignores PRIORITY frames
  // (RFC 9218 priorities), so it does not get them; a stream that depends on itself
  // makes an error (section 5.3.1).
  StreamError priority_frame(std::string_view payload) const;
  // own_frame takes the whole payload of a frame of ours. Returns a connection error,
  // or 0.
  template <class Sink>
  std::uint32_t own_frame(std::string_view payload, Sink& sink) {
    if (frame_.type != kPriorityType) return block_frame(payload, sink);
    const StreamError e = priority_frame(payload);
    if (e.code != 0 && e.stream == 0) return e.code;
    if (e.code != 0) stopped_ = !sink.stream_error(e);
    return 0;
  }
  // block_frame takes a whole HEADERS or CONTINUATION payload: its fragment goes into
  // the block, and a complete block to the sink. Returns a connection error, or 0.
  template <class Sink>
  std::uint32_t block_frame(std::string_view payload, Sink& sink) {
    std::string_view fragment;
    if (const std::uint32_t e = fragment_of(payload, fragment)) return e;
    if (!(frame_.flags & kEndHeadersFlag)) {
      if (frame_.type == kHeadersType) block_buf_.clear();
      if (block_buf_.size() + fragment.size() > limits_.max_block_bytes) return kEnhanceYourCalm;
      block_buf_.append(fragment);
      block_open_ = true;
      return 0;
    }
    if (block_open_) {  // the last CONTINUATION
      block_buf_.append(fragment);
      fragment = block_buf_.view();
      block_open_ = false;
    }
    block_.bytes = fragment;
    stopped_ = !sink.header_block(block_) ||
               (block_error_.code != 0 && !sink.stream_error(std::exchange(block_error_, {})));
    // A large block's buffers go back: a client cannot make every connection keep one.
    if (block_buf_.size() + block_buf_.room() > kKeptBuffer) block_buf_ = ByteBuffer();
    if (frame_buf_.size() + frame_buf_.room() > kKeptBuffer) frame_buf_ = ByteBuffer();
    return 0;
  }
  std::uint32_t fragment_of(std::string_view payload, std::string_view& fragment);

  static constexpr std::uint8_t kHeadersType = 1;
  static constexpr std::uint8_t kPriorityType = 2;
  static constexpr std::uint8_t kEndHeadersFlag = 4;
  static constexpr std::uint32_t kEnhanceYourCalm = 0xb;
  static constexpr std::size_t kKeptBuffer = 32 << 10;

  Limits limits_;
  std::size_t skip_ = 24;  // the client connection preface (RFC 9113 section 3.4)
  Header frame_;
  std::array<std::uint8_t, kHeaderSize> partial_{};
  std::size_t partial_len_ = 0;
  std::uint32_t next_ = 1;  // the client's next stream id: every lower odd one is opened or skipped
  std::array<std::uint8_t, kWindow> state_{};  // per client stream: (id / 2) % kWindow

  // The header block being assembled: its HEADERS frame's stream and flags, its
  // fragments when more than one frame holds them; and the payload of a frame of ours
  // being read when it is split across reads.
  HeaderBlock block_;
  StreamError block_error_;       // to report once the block is decoded
  ByteBuffer block_buf_;
  ByteBuffer frame_buf_;
  std::size_t payload_wanted_ = 0;
  bool block_open_ = false;       // HEADERS came without END_HEADERS: CONTINUATION must follow
  std::size_t continuations_ = 0;
  bool stopped_ = false;          // the sink said stop while taking a block
};

}  // namespace httpkit::detail
