// Http2Config: the HTTP/2 settings of a Server (Go's http2.Server fields).
#pragma once

#include <cstddef>
#include <cstdint>

#include "httpkit/context.hpp"

namespace httpkit {

// Http2Config tunes HTTP/2 (RFC 9113) on a Server. Zero values are not special unless
// a field says so; the defaults are what a server should run with.
struct Http2Config {
  // max_concurrent_streams is SETTINGS_MAX_CONCURRENT_STREAMS (Go's default, 250).
  std::uint32_t max_concurrent_streams = 250;
  // max_read_frame_size is SETTINGS_MAX_FRAME_SIZE for frames we receive: RFC 9113's
  // initial 16,384, as nginx and h2o (Go says 1 MiB). Conformance suites check that a
  // larger frame is refused; up to 16 MiB lets a fast uploader send fewer frames
  // (decision 0055).
  std::uint32_t max_read_frame_size = 16384;
  // Receive windows. Handlers' reads open them (the server sends WINDOW_UPDATE as a
  // handler consumes the body), so the window is also the most request body buffered.
  // 1 MiB per stream keeps one upload above 1 GB/s on loopback (64 KiB windows cap it
  // near 50 MB/s); 4 MiB per connection lets four such streams run side by side.
  std::int32_t max_upload_buffer_per_stream = 1 << 20;
  std::int32_t max_upload_buffer_per_connection = 4 << 20;
  // max_header_list_size is SETTINGS_MAX_HEADER_LIST_SIZE and the enforced limit on a
  // decoded request head (RFC 7541 section 4.1 sizes: name + value + 32 each), which
  // defuses HPACK bombs. Zero: the Server's max_header_bytes, as Go.
  std::uint32_t max_header_list_size = 0;
  // max_decoder_header_table_size is SETTINGS_HEADER_TABLE_SIZE (RFC 7541 section 4.2).
  std::uint32_t max_decoder_header_table_size = 4096;
  // idle_timeout: a connection without streams for this long gets GOAWAY and closes.
  // Zero: the Server's idle_timeout (then read_timeout), as Go.
  Duration idle_timeout{};

  // Attack limits (docs/decisions/0034-http2-attack-limits.md).
  // max_handlers_factor: handlers still running for streams the client already reset
  // count against max_concurrent_streams * this; past it the connection ends with
  // ENHANCE_YOUR_CALM (Go's answer to rapid reset, CVE-2023-44487).
  std::uint32_t max_handlers_factor = 4;
  // stream_reset_burst / stream_reset_rate: token bucket for RST_STREAM frames the
  // client sends (nghttp2's defaults; CVE-2023-44487).
  std::uint64_t stream_reset_burst = 1000;
  std::uint64_t stream_reset_rate = 33;
  // max_continuations: CONTINUATION frames per header block (CVE-2024-27316).
  std::size_t max_continuations = 8;
  // max_settings_entries: entries in one SETTINGS frame (CVE-2019-9515 family).
  std::size_t max_settings_entries = 32;
  // max_outbound_ack: queued PING/SETTINGS acks before the connection is dropped
  // because the client does not read them (CVE-2019-9512, -9515).
  std::size_t max_outbound_ack = 1000;
  // max_empty_data_frames: DATA frames without payload and without END_STREAM a
  // connection may send (CVE-2019-9518); past it, ENHANCE_YOUR_CALM.
  std::uint32_t max_empty_data_frames = 1000;
};

}  // namespace httpkit
