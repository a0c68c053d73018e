// The input path of an Http2Conn: socket bytes through the frame gate into nghttp2, and
// header blocks through our HPACK decoder into the streams (decisions 0055 and 0056).
#include <nghttp2/nghttp2.h>

#include "http2/http2_conn.hpp"
#include "http2/stream.hpp"

namespace httpkit::detail {

// Input is the gate's sink: bytes go to nghttp2 as they come, a header block as an
// empty HEADERS frame (decoded when nghttp2 has read it), a stream error as RST_STREAM
// once nghttp2 has seen everything before it.
struct Http2Conn::Input {
  Http2Conn& c;
  bool pass(const std::uint8_t* data, std::size_t n) { return c.recv(data, n); }
  bool header_block(const FrameGate::HeaderBlock& block) { return c.recv_header_block(block); }
  bool stream_error(FrameGate::StreamError e) {
    nghttp2_submit_rst_stream(c.session_, NGHTTP2_FLAG_NONE, static_cast<std::int32_t>(e.stream), e.code);
    return true;
  }
};

// feed hands bytes to nghttp2 through the gate. A frame-level protocol error makes
// nghttp2 queue GOAWAY itself; a failure of nghttp2_session_mem_recv (bad preface,
// flood, callback failure), a decoding error or a connection error of the gate's means
// the session is over: stop reading and let the writer send what is queued and close.
bool Http2Conn::feed(const std::uint8_t* data, std::size_t n) {
  Input input{*this};
  const std::uint32_t connection_error = gate_.scan(data, n, input);
  kick();
  if (recv_error_ < 0) {
    if (recv_error_ != NGHTTP2_ERR_BAD_CLIENT_MAGIC) {
      nghttp2_session_terminate_session(session_, recv_error_ == NGHTTP2_ERR_FLOODED ? NGHTTP2_ENHANCE_YOUR_CALM
                                                                                     : NGHTTP2_PROTOCOL_ERROR);
    }
    return false;
  }
  if (connection_error != 0) {
    nghttp2_session_terminate_session(session_, connection_error);
    return false;
  }
  return nghttp2_session_want_read(session_) != 0 || nghttp2_session_want_write(session_) != 0;
}

bool Http2Conn::recv(const std::uint8_t* data, std::size_t n) {
  if (recv_error_ < 0) return false;
  const ssize_t rv = nghttp2_session_mem_recv(session_, data, n);
  if (rv < 0) recv_error_ = rv;
  return rv >= 0;
}

// recv_header_block: nghttp2 reads the block's HEADERS frame with an empty block (and
// only END_HEADERS and END_STREAM of its flags), and keeps the stream states; the
// fields come from our decoder in on_frame_recv (take_header_block). A block nghttp2
// ignores, or one the gate drops, is still decoded: the dynamic table must stay in
// step with the client's (RFC 9113 section 4.3).
bool Http2Conn::recv_header_block(const FrameGate::HeaderBlock& block) {
  if (!block.drop) {
    const std::uint32_t id = block.stream;
    const std::uint8_t frame[9] = {0,
                                   0,
                                   0,
                                   NGHTTP2_HEADERS,
                                   static_cast<std::uint8_t>(NGHTTP2_FLAG_END_HEADERS |
                                                             (block.end_stream ? NGHTTP2_FLAG_END_STREAM : 0)),
                                   static_cast<std::uint8_t>(id >> 24),
                                   static_cast<std::uint8_t>(id >> 16),
                                   static_cast<std::uint8_t>(id >> 8),
                                   static_cast<std::uint8_t>(id)};
    pending_block_ = &block;
    const bool ok = recv(frame, sizeof frame);
    const bool taken = pending_block_ == nullptr;
    pending_block_ = nullptr;
    if (taken || !ok) return ok && !dead_decoder_;
  }
  return decode_block(block.bytes, nullptr, false);
}

void Http2Conn::take_header_block(std::int32_t id, Stream* s, bool trailer) {
  const FrameGate::HeaderBlock* block = pending_block_;
  if (!block || block->stream != static_cast<std::uint32_t>(id)) return;
  pending_block_ = nullptr;
  decode_block(block->bytes, s, trailer);
}

// decode_block runs the decoder over a block, giving its fields to s (if any). A head
// over the header list limit, or any field the stream refuses, makes the request
// malformed; the rest of the block is still decoded.
bool Http2Conn::decode_block(std::string_view bytes, Stream* s, bool trailer) {
  bool refused = false;
  const bool ok = decoder_.decode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                                  [&](std::string_view name, std::string_view value) {
                                    if (s && !refused) refused = s->on_header(name, value, trailer) != 0;
                                  });
  if (refused) s->reset_malformed();
  if (!ok) {
    dead_decoder_ = true;
    nghttp2_session_terminate_session(session_, NGHTTP2_COMPRESSION_ERROR);
  }
  return ok;
}

}  // namespace httpkit::detail
