// libFuzzer target: the HPACK decoder (core/src/http2/hpack_decoder.hpp) against
// nghttp2's inflater, the one it replaces, on arbitrary header blocks decoded in turn
// on one connection's decoders (the input is blocks of one length octet, then up to
// that many octets). Both must refuse the same blocks and decode the same fields from
// the others, which leaves their dynamic tables in step.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http2/hpack_decoder.hpp"

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// inflate decodes one block with nghttp2; false on a decoding error.
bool inflate(nghttp2_hd_inflater* inflater, const std::uint8_t* in, std::size_t n, Fields& fields) {
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    const auto rv = nghttp2_hd_inflate_hd2(inflater, &nv, &flags, in, n, 1);
    if (rv < 0) return false;
    in += rv;
    n -= static_cast<std::size_t>(rv);
    if ((flags & NGHTTP2_HD_INFLATE_EMIT) != 0) {
      fields.emplace_back(std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                          std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen));
    }
    if ((flags & NGHTTP2_HD_INFLATE_FINAL) != 0) {
      nghttp2_hd_inflate_end_headers(inflater);
      return true;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  httpkit::detail::HpackDecoder ours;  // 4096 octets, nghttp2's default too
  nghttp2_hd_inflater* theirs = nullptr;
  if (nghttp2_hd_inflate_new(&theirs) != 0) std::abort();
  std::size_t at = 0;
  while (at < size) {
    const std::size_t n = std::min<std::size_t>(data[at], size - at - 1);
    const std::uint8_t* block = data + at + 1;
    at += 1 + n;
    Fields got;
    const bool ok = ours.decode(block, n, [&](std::string_view name, std::string_view value) {
      got.emplace_back(std::string(name), std::string(value));
    });
    Fields want;
    const bool want_ok = inflate(theirs, block, n, want);
    if (ok != want_ok) std::abort();
    if (!ok || !want_ok) break;
    if (got != want) std::abort();
    if (ours.table_size() > 4096) std::abort();
  }
  nghttp2_hd_inflate_del(theirs);
  return 0;
}
