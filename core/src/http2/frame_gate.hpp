// FrameGate: the RFC 9113 checks on incoming frames that nghttp2 does not make in our
// configuration.
//
// nghttp2 forgets a stream as soon as it closes (no_closed_streams, and RFC 9218
// priorities: decision 0048), so it drops every later frame on it silently. RFC 9113
// section 5.1 wants some of those answered, and section 5.1.1 wants a client that
// reuses a skipped stream id stopped; with RFC 7540 priorities off nghttp2 also skips
// PRIORITY frames whole, where sections 5.3.1 and 6.3 keep two MUSTs. The gate reads
// the frame headers (and a PRIORITY frame's dependency) of the bytes on their way to
// nghttp2, remembers how the last kWindow client streams were opened and ended, and
// says which frames break these rules (decision 0055):
//   - HEADERS on a lower client stream id never opened: connection error PROTOCOL_ERROR;
//   - DATA or HEADERS on a stream the client reset: stream error STREAM_CLOSED;
//   - DATA or HEADERS on a stream both sides ended: connection error STREAM_CLOSED;
//   - PRIORITY on stream 0: connection error PROTOCOL_ERROR;
//   - a PRIORITY frame that makes a stream depend on itself: stream error
//     PROTOCOL_ERROR (connection error for a stream not opened yet, which cannot be
//     reset).
// Frames on a stream we reset are let through for nghttp2 to ignore (section 5.1: they
// may have been in flight).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace httpkit::detail {

class FrameGate {
 public:
  // kWindow: client streams remembered, the most recent ones; a frame on an older
  // closed stream is left to nghttp2, which ignores it.
  static constexpr std::uint32_t kWindow = 128;
  static_assert((kWindow & (kWindow - 1)) == 0, "a power of two: ids map to slots by a mask");

  struct StreamError {
    std::uint32_t stream = 0;  // 0: a connection error
    std::uint32_t code = 0;    // 0: none
  };
  struct Verdict {
    std::size_t pass = 0;                // bytes that may go to nghttp2
    std::uint32_t connection_error = 0;  // not 0: end the connection with this code
  };

  // scan reads n bytes of the connection's input, in order, from its first byte (the
  // client preface). Each stream error found is handed to on_stream_error(StreamError)
  // as it is found; a connection error stops the scan: pass is then where the frame
  // that broke the rule starts in these bytes (0 when it started in earlier ones).
  template <class OnStreamError>
  Verdict scan(const std::uint8_t* data, std::size_t n, OnStreamError&& on_stream_error) {
    std::size_t at = 0;
    std::size_t frame_start = 0;  // of the frame whose header or payload is being read
    while (at < n) {
      StreamError e;
      if (skip_ > 0) {  // the preface, or a frame's payload
        const std::size_t k = skip_ < n - at ? skip_ : n - at;
        if (dependency_wanted_) {
          const std::size_t before = skip_;
          e = take_dependency(data + at, k);
          at += before - skip_;
        } else {
          at += k;
          skip_ -= k;
          continue;
        }
      } else if (partial_len_ == 0 && n - at >= kHeaderSize) {  // a whole header here: the usual case
        frame_start = at;
        read_header(data + at);
        at += kHeaderSize;
        if (routine()) {
          if (skip_ <= n - at) at += std::exchange(skip_, 0);  // and its payload, when here too
          continue;
        }
        e = on_header();
      } else {
        frame_start = partial_len_ > 0 ? 0 : at;
        if (!take_partial_header(data, n, at)) break;  // the header goes on in the next bytes
        e = on_header();
      }
      if (e.code == 0) continue;
      if (e.stream != 0) {
        on_stream_error(e);
        continue;
      }
      return {frame_start, e.code};
    }
    return {n, 0};
  }

  // What the server sent (nghttp2's on_frame_send): END_STREAM, or RST_STREAM.
  void sent_end_stream(std::uint32_t stream) noexcept {
    if (std::uint8_t* s = slot(stream)) *s |= kServerEnded;
  }
  void sent_reset(std::uint32_t stream) noexcept {
    if (std::uint8_t* s = slot(stream)) *s |= kServerReset;
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

  void read_header(const std::uint8_t* h) noexcept {
    frame_.length = (std::uint32_t{h[0]} << 16) | (std::uint32_t{h[1]} << 8) | h[2];
    frame_.type = h[3];
    frame_.flags = h[4];
    frame_.stream = ((std::uint32_t{h[5]} << 24) | (std::uint32_t{h[6]} << 16) | (std::uint32_t{h[7]} << 8) | h[8]) &
                    0x7fffffffu;
    skip_ = frame_.length;
  }
  // routine: a frame the gate only steps over (every type but DATA, HEADERS, PRIORITY
  // and RST_STREAM), or the HEADERS that opens the client's next stream id.
  bool routine() noexcept {
    if (frame_.type > 3) return true;
    if (frame_.type != 1 || frame_.stream != next_) return false;
    open_next((frame_.flags & 1) != 0);  // END_STREAM
    return true;
  }
  void open_next(bool end_stream) noexcept {
    state_[(next_ >> 1) & (kWindow - 1)] = end_stream ? kOpened | kClientEnded : kOpened;
    next_ += 2;
  }
  std::uint8_t* slot(std::uint32_t stream) noexcept {
    const std::uint32_t highest = next_ - 2;
    if ((stream & 1) == 0 || stream > highest || next_ == 1 || (highest - stream) >> 1 >= kWindow) return nullptr;
    return &state_[(stream >> 1) & (kWindow - 1)];
  }
  // take_partial_header gathers a header split across reads; false when the bytes end first.
  bool take_partial_header(const std::uint8_t* data, std::size_t n, std::size_t& at);
  StreamError take_dependency(const std::uint8_t* p, std::size_t k);
  StreamError on_header();
  StreamError on_stream_frame(bool headers);
  StreamError on_priority_dependency();

  std::size_t skip_ = 24;  // the client connection preface (RFC 9113 section 3.4)
  Header frame_;
  std::array<std::uint8_t, kHeaderSize> partial_{};
  std::size_t partial_len_ = 0;
  bool dependency_wanted_ = false;
  std::array<std::uint8_t, 4> dependency_{};
  std::size_t dependency_len_ = 0;
  std::uint32_t next_ = 1;  // the client's next stream id: every lower odd one is opened or skipped
  std::array<std::uint8_t, kWindow> state_{};  // per client stream: (id / 2) % kWindow
};

}  // namespace httpkit::detail
