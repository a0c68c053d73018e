// Http2Conn: one HTTP/2 connection served by nghttp2 on fibers (Go's http2 serverConn).
#pragma once

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http/byte_buffer.hpp"
#include "http2/frame_gate.hpp"
#include "http2/header_block.hpp"
#include "http2/hpack_decoder.hpp"
#include "http2/hpack_encoder.hpp"
#include "http2/session_memory.hpp"
#include "http2/stream_table.hpp"
#include "httpkit/conn.hpp"
#include "httpkit/header.hpp"
#include "server/server_conn.hpp"
#include "server/server_state.hpp"

namespace httpkit::rt {
class Scheduler;
class Waiter;
}  // namespace httpkit::rt

namespace httpkit::detail {

class Stream;

// H2Upgrade is the HTTP/1.1 request that asked for "Upgrade: h2c"; it becomes stream 1
// (RFC 7540 section 3.2; RFC 9113 drops the mechanism, clients still use it).
struct H2Upgrade {
  std::string settings;  // the decoded HTTP2-Settings payload
  std::string method, target, host;
  Header header;
};

// Http2Conn runs on the scheduler that accepted the socket, with three kinds of fiber:
// - the reader (the connection fiber) reads the socket and feeds nghttp2, whose
//   callbacks build streams and buffer request bodies;
// - the writer serializes what nghttp2 wants to send and writes it, woken by kick();
//   it also ends the connection when nghttp2 has nothing left to do;
// - one handler fiber per stream.
// They share no locks: they never run at once. The last fiber to finish deletes the
// connection, after reporting Closed and untracking it.
class Http2Conn final : public ServerConn {
 public:
  // kReadBuffer: bytes read per call; kWriteChunk: output coalesced per write.
  static constexpr std::size_t kReadBuffer = 64 << 10;
  static constexpr std::size_t kWriteChunk = 128 << 10;
  // kFinalFlushTime bounds writing the last frames (GOAWAY) to a client that stopped reading.
  static constexpr auto kFinalFlushTime = std::chrono::seconds(1);
  // kMaxSpareStreams: finished streams kept per connection for reuse.
  static constexpr std::size_t kMaxSpareStreams = 16;

  Http2Conn(std::shared_ptr<ServerState> state, std::shared_ptr<const ServerConfig> config,
            std::unique_ptr<Conn> conn, Context conn_ctx, CancelFunc cancel_conn_ctx);
  ~Http2Conn() override;

  // start serves on the current scheduler: initial holds bytes read already (the
  // preface), upgrade the h2c request to serve as stream 1.
  void start(std::string initial, std::unique_ptr<H2Upgrade> upgrade);

  void close_from_server() noexcept override { conn_->close(); }
  void close_idle_from_server() noexcept override { begin_shutdown(); }
  void begin_shutdown() noexcept override;

  // For streams and callbacks (scheduler thread).
  nghttp2_session* session() noexcept { return session_; }
  const ServerConfig& config() const noexcept { return *config_; }
  Conn& net() noexcept { return *conn_; }
  const Context& conn_context() const noexcept { return conn_ctx_; }
  bool dead() const noexcept { return dead_; }
  void kick() noexcept;
  void log(std::string_view message) const { config_->log(message); }

  // Callback entry points (session.cpp). open_stream makes the Stream for a new
  // stream id, which find_stream then finds until on_stream_closed.
  Stream* open_stream(std::int32_t id);
  Stream* find_stream(std::int32_t id) const noexcept { return open_.find(id); }
  // gate: what the connection's frame checks remember of its streams (frame_gate.hpp).
  FrameGate& gate() noexcept { return gate_; }
  void dispatch(Stream& s);
  void on_stream_closed(std::int32_t id, std::uint32_t error_code);
  void handler_finished(Stream& s);
  // on_send is nghttp2's send_callback (user_data: the Http2Conn): frames for the writer.
  static ssize_t on_send(nghttp2_session*, const std::uint8_t* data, std::size_t n, int, void* self);
  static constexpr std::size_t kFrameHeaderSize = 9;
  bool note_empty_data() noexcept { return ++empty_data_frames_ > config_->http2.max_empty_data_frames; }
  // header_list_limit: the decoded size a request head may have (our
  // SETTINGS_MAX_HEADER_LIST_SIZE, RFC 9113 section 6.5.2), counted by Stream::on_header.
  std::size_t header_list_limit() const noexcept { return header_list_limit_; }
  // valid_authority_memo: the last ":authority" value found valid; a client sends the
  // same one on every stream, which then needs no second look (request_head.cpp).
  std::string& valid_authority_memo() noexcept { return valid_authority_memo_; }
  // The stream whose request HEADERS nghttp2 is reading (on_begin_headers), found by
  // on_frame_recv without a look-up in the stream table. Cleared when it closes.
  void set_decoding(std::int32_t id, Stream* s) noexcept { decoding_id_ = id, decoding_ = s; }
  Stream* decoding(std::int32_t id) const noexcept { return id == decoding_id_ ? decoding_ : nullptr; }
  // take_header_block decodes the header block of the HEADERS frame nghttp2 has just
  // read (on_frame_recv) into s, a request head or (trailer) its trailers; s null: the
  // block is decoded and dropped. A decoding error ends the connection
  // (COMPRESSION_ERROR, RFC 9113 section 4.3).
  void take_header_block(std::int32_t id, Stream* s, bool trailer);
  // note_peer_settings: the peer's SETTINGS were applied (head_out.cpp).
  void note_peer_settings() noexcept;

 private:
  static void reader_entry(void* self) { static_cast<Http2Conn*>(self)->read_loop(); }
  static void writer_entry(void* self) { static_cast<Http2Conn*>(self)->write_loop(); }
  static void on_event_entry(void* self, std::uint32_t) { static_cast<Http2Conn*>(self)->on_event(); }

  std::error_code create_session(const H2Upgrade* upgrade);
  void submit_settings();
  void start_upgraded(std::unique_ptr<H2Upgrade> upgrade);
  void read_loop();
  bool feed(const std::uint8_t* data, std::size_t n);
  struct Input;  // the gate's sink (input.cpp)
  bool recv(const std::uint8_t* data, std::size_t n);
  bool recv_header_block(const FrameGate::HeaderBlock& block);
  bool decode_block(std::string_view bytes, Stream* s, bool trailer);
  void wait_input(TimePoint deadline);
  void on_event() noexcept;
  // update_idle_deadline sets the read deadline (the idle timeout when no stream is
  // open, else none) and returns it; none while shutting down.
  TimePoint update_idle_deadline();
  void write_loop();
  bool flush_session();
  bool finished() const;
  void graceful_shutdown();
  void terminate(std::uint32_t error_code);
  void teardown();
  [[gnu::always_inline]] void retire(Stream& s);
  void fiber_done();
  void set_state(ConnState s);

  std::shared_ptr<ServerState> server_;
  std::shared_ptr<const ServerConfig> config_;
  std::unique_ptr<Conn> conn_;
  Context conn_ctx_;
  CancelFunc cancel_conn_ctx_;
  SessionMemory memory_;  // nghttp2's allocator: declared before, so destroyed after, the session
  nghttp2_session* session_ = nullptr;
  rt::Scheduler* sched_ = nullptr;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posts from other threads
  // The connection owns its Streams through two intrusive lists: live_, streams not
  // yet retired (at most max_concurrent_streams plus handlers still running for
  // closed ones), and spare_, up to kMaxSpareStreams finished ones kept for reuse, so a
  // request on a warm connection allocates no Stream, Request or buffers. Linking a
  // stream costs a few stores, where containers of owners cost a vector's moves.
  Stream* live_ = nullptr;
  Stream* spare_ = nullptr;
  std::size_t spare_count_ = 0;
  StreamTable open_;  // the streams nghttp2 has open, by id
  std::string initial_;
  ByteBuffer out_;  // frames serialized, not yet written (on_send)
  std::unique_ptr<std::uint8_t[]> in_;
  rt::Waiter* writer_waiter_ = nullptr;
  rt::Waiter* input_waiter_ = nullptr;  // the reader, parked in wait_input
  bool write_pending_ = false;
  bool reader_done_ = false;
  bool writer_done_ = false;
  bool dead_ = false;              // the socket is gone: streams fail fast
  bool shutting_down_ = false;     // GOAWAY queued
  int fibers_ = 0;                 // reader, writer and handlers still running
  int open_streams_ = 0;           // streams nghttp2 has not closed (for Active/Idle)
  int handlers_ = 0;               // handler fibers running
  std::uint32_t empty_data_frames_ = 0;
  std::size_t header_list_limit_;
  // The input path (input.cpp): the gate reads frame headers before nghttp2 and takes
  // the header blocks, which our decoder decodes; pending_block_ is the one whose empty
  // HEADERS frame nghttp2 is reading, until on_frame_recv takes it (take_header_block).
  FrameGate gate_;
  HpackDecoder decoder_;
  const FrameGate::HeaderBlock* pending_block_ = nullptr;
  ssize_t recv_error_ = 0;     // nghttp2_session_mem_recv's failure, if any
  bool dead_decoder_ = false;  // a block failed to decode: nothing more can be read
  // The output of heads (head_out.cpp): nghttp2 serializes HEADERS frames with empty
  // blocks, send_head writes them with the head encoded by our encoder.
  HpackEncoder encoder_;
  // HeadMemo: the last head encoded, its fields and its block, and the encoder's state
  // before and after it (0: the block changed the table, or no head: no reuse).
  struct HeadMemo {
    ByteBuffer fields;
    std::size_t count = 0;
    ByteBuffer block;
    std::uint64_t state = 0;
    void keep(const HeaderBlock& head);
    bool matches(const HeaderBlock& head) const;
  };
  HeadMemo head_memo_;
  void send_head(const std::uint8_t* frame);
  std::string_view encode_head(const HeaderBlock* head);
  int max_handlers_;  // handler fibers past which the client floods us (dispatch)
  std::string valid_authority_memo_;
  std::int32_t decoding_id_ = 0;  // 0: none (no stream has id 0)
  Stream* decoding_ = nullptr;
};

}  // namespace httpkit::detail
