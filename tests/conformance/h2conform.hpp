// h2conform: an HTTP/2 conformance runner for RFC 9113 and RFC 7541, played against a
// running server over h2c (prior knowledge) or TLS (ALPN h2). Its cases follow the
// layout and the pass rules of the h2spec suite (generic/, http2/, hpack/ groups, 146
// cases), so that a server this passes also passes h2spec; the code is ours.
//
// A case gets a fresh connection that has not sent the preface yet (most cases start
// with conn.handshake()), drives it with hand-made frames and ends with a verify_*
// call; a verify_* call or fail() throws Failure with what was expected and what came.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/h2_client.hpp"

struct nghttp2_hd_deflater;

namespace h2conform {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Config {
  std::string host = "127.0.0.1";
  int port = 0;
  bool tls = false;
  std::string path = "/";                         // the resource GETs ask for
  std::chrono::milliseconds timeout{2000};        // each wait for the server
  std::size_t max_header_len = 4000;              // value size of dummy_headers
  std::string authority() const { return host + ":" + std::to_string(port); }
};

// Frame types, flags, error codes and settings (RFC 9113 sections 6, 7 and 6.5.2).
enum FrameType : std::uint8_t {
  kData = 0x0, kHeaders = 0x1, kPriority = 0x2, kRstStream = 0x3, kSettings = 0x4, kPushPromise = 0x5,
  kPing = 0x6, kGoaway = 0x7, kWindowUpdate = 0x8, kContinuation = 0x9,
};
enum Flag : std::uint8_t { kEndStream = 0x1, kAck = 0x1, kEndHeaders = 0x4, kPadded = 0x8, kPriorityFlag = 0x20 };
enum ErrorCode : std::uint32_t {
  kNoError = 0x0, kProtocolError = 0x1, kInternalError = 0x2, kFlowControlError = 0x3, kSettingsTimeout = 0x4,
  kStreamClosed = 0x5, kFrameSizeError = 0x6, kRefusedStream = 0x7, kCancel = 0x8, kCompressionError = 0x9,
  kConnectError = 0xa, kEnhanceYourCalm = 0xb, kInadequateSecurity = 0xc, kHttp11Required = 0xd,
};
enum SettingId : std::uint16_t {
  kHeaderTableSize = 0x1, kEnablePush = 0x2, kMaxConcurrentStreams = 0x3, kInitialWindowSize = 0x4,
  kMaxFrameSize = 0x5, kMaxHeaderListSize = 0x6,
};
std::string frame_type_name(int type);
std::string error_code_name(std::uint32_t code);

struct Frame {
  std::uint32_t length = 0;
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::uint32_t stream = 0;
  std::string payload;

  bool has(std::uint8_t flag) const noexcept { return (flags & flag) != 0; }
  bool end_stream() const noexcept { return (type == kData || type == kHeaders) && has(kEndStream); }
  // error_code of RST_STREAM or GOAWAY; 0xffffffff when the payload is too short.
  std::uint32_t error_code() const;
  std::uint32_t u32_at(std::size_t offset) const;  // big-endian, 0xffffffff past the end
  std::string describe() const;                    // "RST_STREAM Frame (length:4, flags:0x00, stream_id:1)"
};

enum class EventKind { frame, closed, timeout, error };
struct Event {
  EventKind kind = EventKind::timeout;
  Frame frame;          // when kind == frame
  std::string message;  // when kind == error
  bool is(std::uint8_t type) const noexcept { return kind == EventKind::frame && frame.type == type; }
  std::string describe() const;
};

struct Setting {
  std::uint16_t id;
  std::uint32_t value;
};
struct PriorityParam {
  std::uint32_t dependency = 0;
  std::uint8_t weight = 15;  // the wire value: weight - 1
  bool exclusive = false;
};
struct HeadersParam {
  std::uint32_t stream = 1;
  std::string block;
  bool end_stream = true;
  bool end_headers = true;
  std::optional<PriorityParam> priority;
  std::optional<std::string> padding;  // PADDED with these pad bytes
};

// Conn is one client connection. Writes never throw: as h2spec, a case goes on after
// the server closed, and the verify_* call that follows sees the close.
class Conn {
 public:
  explicit Conn(const Config& config);  // connects; throws std::runtime_error when it cannot
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // handshake sends the preface and SETTINGS (INITIAL_WINDOW_SIZE 65535), then reads until
  // the server's SETTINGS (acknowledged, kept in settings) and the ACK of ours have come.
  void handshake();

  void send(std::string_view raw);  // raw bytes, as they are
  void write_raw_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string_view payload);
  void write_data(std::uint32_t stream, bool end_stream, std::string_view data);
  void write_data_padded(std::uint32_t stream, bool end_stream, std::string_view data, std::string_view pad);
  void write_headers(const HeadersParam& p);
  void write_priority(std::uint32_t stream, PriorityParam p);
  void write_rst_stream(std::uint32_t stream, std::uint32_t code);
  void write_settings(std::initializer_list<Setting> settings);
  void write_settings_ack();
  void write_push_promise(std::uint32_t stream, std::uint32_t promised, std::string_view block, bool end_headers = true);
  void write_ping(bool ack, std::string_view data8);
  void write_goaway(std::uint32_t last_stream, std::uint32_t code, std::string_view debug = {});
  void write_window_update(std::uint32_t stream, std::uint32_t increment);
  void write_continuation(std::uint32_t stream, bool end_headers, std::string_view block);

  // encode_headers is a header block from one HPACK encoder kept for the connection
  // (RFC 7541: fields enter the dynamic table, so later blocks may refer to them).
  std::string encode_headers(const Fields& fields);
  // set_max_dynamic_table_size makes the next block start with a table size update.
  void set_max_dynamic_table_size(std::uint32_t size);

  // wait_event is the next frame, or the close, or a timeout after config.timeout.
  // A DATA frame is acknowledged with WINDOW_UPDATE (stream and connection) once a
  // window falls to 0 or below, unless auto_window_update is false.
  Event wait_event();
  // wait_event_by_type skips other frames; {last event seen, false} when none came.
  std::pair<Event, bool> wait_event_by_type(std::uint8_t type);

  std::uint32_t max_frame_size() const;  // the server's SETTINGS_MAX_FRAME_SIZE, or 16384
  std::optional<std::uint32_t> setting(std::uint16_t id) const;

  bool closed = false;  // set by a close or a timeout seen by wait_event
  bool auto_window_update = true;
  const Config& config() const noexcept { return config_; }

 private:
  void count_received(const Frame& f);
  Event read_one(std::chrono::milliseconds timeout);

  const Config& config_;
  std::unique_ptr<httpkit::testing::Socket> sock_;
  std::string in_;
  std::map<std::uint16_t, std::uint32_t> settings_;
  std::map<std::uint32_t, long> window_;  // what the server may still send, per stream (0: connection)
  nghttp2_hd_deflater* deflater_ = nullptr;
};

// What requests in the cases are made of (h2spec's CommonHeaders / DummyHeaders).
Fields common_headers(const Config& c);  // GET, scheme, config path, authority
// with_method: common_headers with another :method; post_headers: with POST.
Fields with_method(const Config& c, std::string_view method);
inline Fields post_headers(const Config& c) { return with_method(c, "POST"); }
Fields dummy_headers(const Config& c, int count);  // x-dummy0..N, values of max_header_len 'x'
std::string dummy_string(std::size_t n);          // n 'x'
// server_data_length is the body length of a GET for config.path, on its own connection.
std::size_t server_data_length(const Config& c);
// A HEADERS frame of common_headers on stream, END_STREAM and END_HEADERS as given.
HeadersParam request(Conn& conn, std::uint32_t stream, bool end_stream = true, bool end_headers = true);
// A HEADERS frame of these fields on stream.
HeadersParam request_with(Conn& conn, std::uint32_t stream, const Fields& fields, bool end_stream = true,
                          bool end_headers = true);

// Failure: the case did not pass. Skipped: the server cannot be checked for this case.
struct Failure {
  std::vector<std::string> expected;
  std::string actual;
};
struct Skipped {};
[[noreturn]] void fail(std::vector<std::string> expected, std::string actual);

// The pass rules (h2spec's verifier.go). Each reads until the rule is met, the
// connection ends, or a wait times out.
// verify_connection_close: the connection closes.
void verify_connection_close(Conn& conn);
// verify_connection_error: GOAWAY with one of codes, or the connection closes.
void verify_connection_error(Conn& conn, std::initializer_list<std::uint32_t> codes);
// verify_stream_error: RST_STREAM or GOAWAY with one of codes, or the connection closes.
void verify_stream_error(Conn& conn, std::initializer_list<std::uint32_t> codes);
// verify_stream_close: a HEADERS or DATA frame with END_STREAM, or RST_STREAM NO_ERROR.
void verify_stream_close(Conn& conn);
// verify_event_type: a frame of this type comes (others are skipped).
void verify_event_type(Conn& conn, std::uint8_t type);
// verify_headers_frame: the next HEADERS frame is on this stream.
void verify_headers_frame(Conn& conn, std::uint32_t stream);
// verify_ping_ack: the next PING has ACK and this payload.
void verify_ping_ack(Conn& conn, std::string_view data8);
// verify_settings_ack: the next SETTINGS has ACK.
void verify_settings_ack(Conn& conn);
// verify_ping_ack_or_connection_close: a PING with ACK and this payload, or the close.
void verify_ping_ack_or_connection_close(Conn& conn, std::string_view data8);

// The case registry. A group is "generic/3.1", "http2/6.9.1" or "hpack/4.2"; cases are
// numbered in the order they are added, so "http2/6.9.1/2" names one case.
using CaseFn = std::function<void(const Config&, Conn&)>;
struct Case {
  std::string desc;
  std::string requirement;
  CaseFn run;
};
struct Group {
  std::string id;     // "http2/6.9.1"
  std::string title;  // "The Flow-Control Window"
  std::vector<Case> cases;
  Group& add(std::string desc, std::string requirement, CaseFn run);
};
// group returns the group with this id, made on first use.
Group& group(std::string_view id, std::string_view title);
// all_groups in section order: generic, http2, hpack; sections by their numbers.
std::vector<const Group*> all_groups();

// Each cases file registers its groups from a function run before main, through
// H2CONFORM_CASES(name) { ... } (a static initializer).
struct Registrar {
  explicit Registrar(void (*fn)()) { fn(); }
};
#define H2CONFORM_CASES(name)                                  \
  static void name();                                          \
  static const ::h2conform::Registrar name##_registrar{&name}; \
  static void name()

}  // namespace h2conform
