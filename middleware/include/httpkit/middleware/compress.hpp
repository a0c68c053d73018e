// compress: gzip responses for clients that accept it (RFC 9110 section 12.5.3).
//
// Place it inside the logging and metrics middleware (they then count bytes on the
// wire) and outside timeout and the handler:
//   chain(h, {recover(), request_id(), access_log(o), metrics.middleware(), labels(),
//             compress(), timeout(5s, "")})
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// CompressOptions. level is zlib's (1 fastest .. 9 smallest, -1 default = 6).
// min_size: bodies shorter than this are sent as they are (gzip's ~20-byte framing
// and the CPU are not worth it; the decision waits until min_size bytes were written,
// the handler returned, or it flushed). skip_types: Content-Type prefixes that are
// compressed already.
struct CompressOptions {
  int level = -1;
  std::size_t min_size = 1024;
  std::vector<std::string> skip_types = {"image/", "video/", "audio/", "font/woff", "application/zip",
                                         "application/gzip", "application/x-gzip", "application/zstd",
                                         "application/octet-stream"};
};

// compress gzips the response when the request's Accept-Encoding allows gzip (q > 0),
// the response has no Content-Encoding, its type is not in skip_types, its status
// carries a body, the request is not HEAD and the body reaches min_size (or is
// flushed first). It adds "Vary: Accept-Encoding" to every response it could have
// compressed, and removes Content-Length from compressed ones. flush() through it
// (ResponseController) flushes the compressor (Z_SYNC_FLUSH) and then the connection,
// so server-sent events arrive as they are written. Hijack and deadlines pass through.
Middleware compress(CompressOptions options = {});

// accepts_gzip parses Accept-Encoding (RFC 9110 section 12.5.3): gzip, x-gzip or * with
// a non-zero q-value.
bool accepts_gzip(std::string_view accept_encoding) noexcept;

}  // namespace httpkit::middleware
