// The nghttp2 server session of an Http2Conn: options, settings and callbacks.
#include <fmt/format.h>

#include "http2/http2_conn.hpp"
#include "http2/stream.hpp"

namespace httpkit::detail {
namespace {

Http2Conn& conn_of(void* user_data) { return *static_cast<Http2Conn*>(user_data); }

bool is_request_headers(const nghttp2_frame* frame) {
  return frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST;
}

int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  if (!is_request_headers(frame)) return 0;
  Http2Conn& conn = conn_of(user_data);
  Stream* s = conn.open_stream(frame->hd.stream_id);
  conn.set_decoding(frame->hd.stream_id, s);
  s->begin_h2_head();
  return 0;
}

// on_frame_recv completes a request head (dispatching its handler) and notes the end
// of request bodies; it also counts empty DATA frames (CVE-2019-9518). A malformed
// request (RFC 9113 section 8.1.1) is reset and its handler never runs.
int on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
  Http2Conn& conn = conn_of(user_data);
  Stream* s = conn.decoding(frame->hd.stream_id);  // the request HEADERS just read
  if (!s) s = conn.find_stream(frame->hd.stream_id);
  // nghttp2 saw the HEADERS frame with an empty block: its fields come from our decoder.
  if (frame->hd.type == NGHTTP2_HEADERS) conn.take_header_block(frame->hd.stream_id, s, !is_request_headers(frame));
  // Every SETTINGS the peer sends may change its decoder's table size, which our encoder
  // follows (RFC 7541 section 4.2: a size that went down and up again is signalled).
  if (frame->hd.type == NGHTTP2_SETTINGS && !(frame->hd.flags & NGHTTP2_FLAG_ACK)) conn.note_peer_settings();
  const bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  if (frame->hd.type == NGHTTP2_DATA && frame->hd.length == 0 && !end_stream && conn.note_empty_data()) {
    nghttp2_session_terminate_session(session, NGHTTP2_ENHANCE_YOUR_CALM);
    return 0;
  }
  if (!s) return 0;
  if (is_request_headers(frame)) {
    if (s->finish_head(end_stream)) {
      conn.dispatch(*s);
    } else {
      s->reset_malformed();
    }
    return 0;
  }
  // Trailers end the stream (section 8.1): a later HEADERS without END_STREAM is malformed.
  if (frame->hd.type == NGHTTP2_HEADERS && !end_stream) {
    s->reset_malformed();
    return 0;
  }
  if (end_stream && (frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS)) s->on_end_stream();
  return 0;
}

// on_data_chunk_recv buffers request body bytes. Bytes nobody will read (a malformed
// stream's, or those after the handler returned) are consumed at once for the
// connection window, so other streams go on; the stream's own window is not reopened
// for them, so a client whose response came early sends at most one window more
// (Stream::await_request_end).
int on_data_chunk_recv(nghttp2_session* session, std::uint8_t, std::int32_t id, const std::uint8_t* data,
                       std::size_t len, void* user_data) {
  Stream* s = conn_of(user_data).find_stream(id);
  if (s && s->count_body(len) && !s->handler_done() && !s->closed()) {
    s->on_data(data, len);
    return 0;
  }
  nghttp2_session_consume_connection(session, len);
  return 0;
}

int on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t error_code, void* user_data) {
  conn_of(user_data).on_stream_closed(id, error_code);
  return 0;
}

// on_frame_send: the gate learns which streams we ended or reset, and a stream that
// its response's END_STREAM went out (if the request has not ended, the stream may now
// be asked to stop: Stream::await_request_end).
int on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  Http2Conn& conn = conn_of(user_data);
  if (frame->hd.type == NGHTTP2_RST_STREAM) {
    conn.gate().sent_reset(frame->hd.stream_id);
    return 0;
  }
  if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
  if (frame->hd.type != NGHTTP2_DATA && frame->hd.type != NGHTTP2_HEADERS) return 0;
  conn.gate().sent_end_stream(frame->hd.stream_id);
  if (Stream* s = conn.find_stream(frame->hd.stream_id)) s->on_response_sent();
  return 0;
}

// set_callbacks: no field callback: nghttp2 sees empty header blocks (input.cpp).
void set_callbacks(nghttp2_session_callbacks* cb) {
  nghttp2_session_callbacks_set_send_callback(cb, Http2Conn::on_send);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
  nghttp2_session_callbacks_set_on_frame_send_callback(cb, on_frame_send);
}

// set_options: flow control is ours (handler reads open windows) and the attack limits
// of Http2Config go to the nghttp2 options that implement them.
void set_options(nghttp2_option* opt, const Http2Config& c) {
  nghttp2_option_set_no_auto_window_update(opt, 1);
  nghttp2_option_set_max_settings(opt, c.max_settings_entries);
  nghttp2_option_set_max_outbound_ack(opt, c.max_outbound_ack);
  nghttp2_option_set_stream_reset_rate_limit(opt, c.stream_reset_burst, c.stream_reset_rate);
  nghttp2_option_set_max_continuations(opt, c.max_continuations);
  // Closed streams are not kept for priority bookkeeping (RFC 9113 deprecates it).
  nghttp2_option_set_no_closed_streams(opt, 1);
  // RFC 9113 section 8's messaging rules are checked in request_head.cpp, within the
  // passes over names and values we make anyway (decision 0048).
  nghttp2_option_set_no_http_messaging(opt, 1);
}

}  // namespace

std::error_code Http2Conn::create_session(const H2Upgrade* upgrade) {
  nghttp2_session_callbacks* cb = nullptr;
  nghttp2_option* opt = nullptr;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_option_new(&opt);
  set_callbacks(cb);
  set_options(opt, config_->http2);
  int rv = nghttp2_session_server_new3(&session_, cb, this, opt, memory_.mem());
  nghttp2_session_callbacks_del(cb);
  nghttp2_option_del(opt);
  if (rv == 0 && upgrade) {
    rv = nghttp2_session_upgrade2(session_, reinterpret_cast<const std::uint8_t*>(upgrade->settings.data()),
                                  upgrade->settings.size(), upgrade->method == "HEAD", nullptr);
  }
  if (rv != 0) return std::make_error_code(std::errc::protocol_error);
  return {};
}

// submit_settings sends our SETTINGS (RFC 9113 section 6.5.2) and opens the
// connection window beyond the 65,535 bytes every connection starts with (section 6.9.2).
void Http2Conn::submit_settings() {
  const Http2Config& c = config_->http2;
  const auto header_list = static_cast<std::uint32_t>(header_list_limit_);
  const nghttp2_settings_entry entries[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, c.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(c.max_upload_buffer_per_stream)},
      {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, c.max_read_frame_size},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, header_list},
      {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, c.max_decoder_header_table_size},
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      // RFC 9218 section 2.1: we ignore RFC 7540 priority signals, as Go does.
      {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, entries, std::size(entries));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, c.max_upload_buffer_per_connection);
}

}  // namespace httpkit::detail
