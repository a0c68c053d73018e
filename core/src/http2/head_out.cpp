// Response heads on the way out: nghttp2 serializes each HEADERS frame with the empty
// block it was given, and send_head writes the frame with the head our HPACK encoder
// makes of it (decision 0055: nghttp2's deflater cost ~1,200 instructions a response).
#include <nghttp2/nghttp2.h>

#include <cstring>

#include "http2/http2_conn.hpp"
#include "http/swar.hpp"
#include "http2/stream.hpp"

namespace httpkit::detail {
namespace {

void put_frame_header(std::uint8_t* at, std::size_t length, std::uint8_t type, std::uint8_t flags,
                      const std::uint8_t* stream_id) {
  at[0] = static_cast<std::uint8_t>(length >> 16);
  at[1] = static_cast<std::uint8_t>(length >> 8);
  at[2] = static_cast<std::uint8_t>(length);
  at[3] = type;
  at[4] = flags;
  std::memcpy(at + 5, stream_id, 4);
}

}  // namespace

// send_head writes the HEADERS frame nghttp2 serialized (frame: its 9 octets) with the
// stream's next head encoded into it, cut into CONTINUATION frames when the peer's
// SETTINGS_MAX_FRAME_SIZE asks (RFC 9113 sections 4.3 and 6.10). Encoding happens
// here, in the order the frames leave, so that the peer's decoder and our encoder's
// dynamic table stay in step even when nghttp2 drops a frame of a closed stream.
void Http2Conn::send_head(const std::uint8_t* frame) {
  const std::uint32_t id = ((std::uint32_t{frame[5]} << 24) | (std::uint32_t{frame[6]} << 16) |
                            (std::uint32_t{frame[7]} << 8) | frame[8]) &
                           0x7fffffffu;
  Stream* s = find_stream(static_cast<std::int32_t>(id));
  const HeaderBlock* head = s ? s->response().take_next_head() : nullptr;
  const std::string_view block = encode_head(head);
  const std::size_t max = nghttp2_session_get_remote_settings(session_, NGHTTP2_SETTINGS_MAX_FRAME_SIZE);
  const std::uint8_t end_stream = frame[4] & NGHTTP2_FLAG_END_STREAM;
  std::size_t at = 0;
  do {
    const std::size_t n = std::min(max, block.size() - at);
    const bool first = at == 0, last = at + n == block.size();
    std::uint8_t* out = reinterpret_cast<std::uint8_t*>(out_.extend(kFrameHeaderSize + n));
    put_frame_header(out, n, first ? NGHTTP2_HEADERS : NGHTTP2_CONTINUATION,
                     static_cast<std::uint8_t>((first ? end_stream : 0) | (last ? NGHTTP2_FLAG_END_HEADERS : 0)),
                     frame + 5);
    std::memcpy(out + kFrameHeaderSize, block.data() + at, n);
    at += n;
  } while (at < block.size());
}

// encode_head: the header block of head (none: an empty block). A head whose fields
// are those of the last block encoded, while the encoder is in the state it was in
// before and after that block (the block changed nothing: every field was a full
// match or a literal not inserted), is the same octets again: they are reused, which
// costs a comparison instead of a look-up per field (a server's responses often
// repeat their heads; the date changes once a second).
std::string_view Http2Conn::encode_head(const HeaderBlock* head) {
  if (head && head_memo_.state == encoder_.state() && head_memo_.matches(*head)) return head_memo_.block.view();
  ByteBuffer& block = head_memo_.block;
  block.clear();
  const std::uint64_t before = encoder_.state();
  encoder_.begin(block);
  if (head) {
    const nghttp2_nv* nv = head->data();
    for (std::size_t i = 0; i < head->size(); ++i) {
      encoder_.field({reinterpret_cast<const char*>(nv[i].name), nv[i].namelen},
                     {reinterpret_cast<const char*>(nv[i].value), nv[i].valuelen}, block);
    }
  }
  head_memo_.state = head && encoder_.state() == before ? before : 0;  // 0: no state is 0 (entries count from 1)
  if (head_memo_.state != 0) head_memo_.keep(*head);
  return block.view();
}

// keep notes head's fields: each name's and value's lengths, then their octets.
void Http2Conn::HeadMemo::keep(const HeaderBlock& head) {
  fields.clear();
  const nghttp2_nv* nv = head.data();
  for (std::size_t i = 0; i < head.size(); ++i) {
    const std::uint16_t lengths[2] = {static_cast<std::uint16_t>(nv[i].namelen), static_cast<std::uint16_t>(nv[i].valuelen)};
    if (nv[i].namelen > 0xffff || nv[i].valuelen > 0xffff) {  // too long to note: no reuse
      state = 0;
      return;
    }
    fields.append({reinterpret_cast<const char*>(lengths), sizeof lengths});
    fields.append({reinterpret_cast<const char*>(nv[i].name), nv[i].namelen});
    fields.append({reinterpret_cast<const char*>(nv[i].value), nv[i].valuelen});
  }
  count = head.size();
}

bool Http2Conn::HeadMemo::matches(const HeaderBlock& head) const {
  if (head.size() != count) return false;
  const char* k = fields.data();
  const nghttp2_nv* nv = head.data();
  for (std::size_t i = 0; i < count; ++i) {
    std::uint16_t lengths[2];
    std::memcpy(lengths, k, sizeof lengths);
    k += sizeof lengths;
    if (lengths[0] != nv[i].namelen || lengths[1] != nv[i].valuelen) return false;
    if (!swar::same_bytes({reinterpret_cast<const char*>(nv[i].name), nv[i].namelen}, {k, lengths[0]})) return false;
    k += lengths[0];
    if (!swar::same_bytes({reinterpret_cast<const char*>(nv[i].value), nv[i].valuelen}, {k, lengths[1]})) return false;
    k += lengths[1];
  }
  return true;
}

void Http2Conn::note_peer_settings() noexcept {
  encoder_.set_peer_table_size(nghttp2_session_get_remote_settings(session_, NGHTTP2_SETTINGS_HEADER_TABLE_SIZE));
}

}  // namespace httpkit::detail
