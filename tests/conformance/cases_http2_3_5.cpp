// Conformance cases: http2 sections 3 to 5 (RFC 9113 sections 3.4 to 5.5).
#include <string_view>

#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

using namespace std::string_literals;

constexpr const char* kConnProtocolError = "The endpoint MUST treat this as a connection error of type PROTOCOL_ERROR.";
constexpr const char* kStreamClosedError = "The endpoint MUST respond with a stream error of type STREAM_CLOSED.";
constexpr const char* kAfterRstStream = "The endpoint MUST treat this as a stream error of type STREAM_CLOSED.";
constexpr const char* kAfterEndStream = "The endpoint MUST treat this as a connection error of type STREAM_CLOSED.";
constexpr const char* kSelfDependency = "The endpoint MUST treat this as a stream error of type PROTOCOL_ERROR.";

// A frame of type 0x16, which RFC 9113 does not define, on stream 0 with 8 zero octets.
const std::string kUnknownFrame = "\x00\x00\x08\x16\x00\x00\x00\x00\x00"s + std::string(8, '\0');
const std::string kZeros8(8, '\0');

}  // namespace

H2CONFORM_CASES(http2_3) {
  // RFC 9113 section 3.4: the client preface is the 24-octet magic and a SETTINGS
  // frame; anything else is a connection error of type PROTOCOL_ERROR.
  group("http2/3.5", "HTTP/2 Connection Preface")
      .add("Sends client connection preface",
           "The server connection preface MUST be the first frame the server sends in the HTTP/2 connection.",
           [](const Config&, Conn& conn) {
             conn.send(httpkit::testing::kPreface);
             conn.write_settings({{kInitialWindowSize, 65535}});
             // The very first frame must be the server's SETTINGS (not an ACK).
             Event ev = conn.wait_event();
             if (!ev.is(kSettings) || ev.frame.has(kAck)) fail({"SETTINGS Frame (flags:0x00)"}, ev.describe());
           })
      .add("Sends invalid connection preface", "The endpoint MUST terminate the TCP connection.",
           [](const Config&, Conn& conn) {
             conn.send("INVALID CONNECTION PREFACE\r\n\r\n");
             verify_connection_error(conn, {kProtocolError});
           });
}

H2CONFORM_CASES(http2_4) {
  // RFC 9113 section 4.1: unknown frame types are discarded, undefined flags and the
  // reserved bit are ignored.
  group("http2/4.1", "Frame Format")
      .add("Sends a frame with unknown type",
           "The endpoint MUST ignore and discard any frame that has a type that is unknown.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.send(kUnknownFrame);
             conn.write_ping(false, kZeros8);
             verify_ping_ack(conn, kZeros8);
           })
      .add("Sends a frame with undefined flag", "The endpoint MUST ignore any flags that is undefined.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // PING, flags 0x16 (none of them ACK), stream 0.
             conn.send("\x00\x00\x08\x06\x16\x00\x00\x00\x00"s + kZeros8);
             verify_event_type(conn, kPing);
           })
      .add("Sends a frame with reserved field bit", "The endpoint MUST ignore the value of reserved field.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // PING, flags 0x16, the reserved bit set, stream 0.
             conn.send("\x00\x00\x08\x06\x16\x80\x00\x00\x00"s + kZeros8);
             verify_event_type(conn, kPing);
           });

  // RFC 9113 section 4.2: frames of 2^14 octets must be accepted; larger than
  // SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR, a connection error for HEADERS.
  group("http2/4.2", "Frame Size")
      .add("Sends a DATA frame with 2^14 octets in length",
           "The endpoint MUST be capable of receiving and minimally processing frames up to 2^14 octets in length.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, post_headers(c), false));
             conn.write_data(1, true, dummy_string(conn.max_frame_size()));
             verify_headers_frame(conn, 1);
           })
      .add("Sends a large size DATA frame that exceeds the SETTINGS_MAX_FRAME_SIZE",
           "The endpoint MUST send an error code of FRAME_SIZE_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, post_headers(c), false));
             conn.write_data(1, true, dummy_string(conn.max_frame_size() + 1));
             verify_stream_error(conn, {kFrameSizeError});
           })
      .add("Sends a large size HEADERS frame that exceeds the SETTINGS_MAX_FRAME_SIZE",
           "The endpoint MUST respond with a connection error of type FRAME_SIZE_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             Fields fields = common_headers(c);
             for (auto& f : dummy_headers(c, 5)) fields.push_back(f);
             conn.write_headers(request_with(conn, 1, fields, true));
             verify_connection_error(conn, {kFrameSizeError});
           });

  // RFC 9113 section 4.3: a decoding error is a COMPRESSION_ERROR; a field block is a
  // contiguous run of frames, with nothing of another type or stream in between.
  group("http2/4.3", "Header Compression and Decompression")
      .add("Sends invalid header block fragment",
           "The endpoint MUST terminate the connection with a connection error of type COMPRESSION_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // HEADERS on stream 1 whose block is 0x40 alone: a literal with incremental
             // indexing and a new name, cut before the name's length (RFC 7541 section 6.2.1).
             conn.send("\x00\x00\x01\x01\x05\x00\x00\x00\x01\x40"s);
             verify_connection_error(conn, {kCompressionError});
           })
      .add("Sends a PRIORITY frame while sending the header blocks",
           "The endpoint MUST terminate the connection with a connection error of type PROTOCOL_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false, false));
             conn.write_priority(1, PriorityParam{0, 255, false});
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a HEADERS frame to another stream while sending the header blocks",
           "The endpoint MUST terminate the connection with a connection error of type PROTOCOL_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false, false));
             conn.write_headers(request(conn, 3, true));
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kProtocolError});
           });
}

H2CONFORM_CASES(http2_5) {
  // RFC 9113 section 5.1: what each stream state accepts.
  group("http2/5.1", "Stream States")
      // idle: only HEADERS and PRIORITY; anything else is a connection error.
      .add("idle: Sends a DATA frame", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_data(1, true, "test");
             verify_connection_error(conn, {kProtocolError});
           })
      .add("idle: Sends a RST_STREAM frame", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_rst_stream(1, kCancel);
             verify_connection_error(conn, {kProtocolError});
           })
      .add("idle: Sends a WINDOW_UPDATE frame", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_window_update(1, 100);
             verify_connection_error(conn, {kProtocolError});
           })
      .add("idle: Sends a CONTINUATION frame", kConnProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_continuation(1, true, conn.encode_headers(common_headers(c)));
             verify_connection_error(conn, {kProtocolError});
           })
      // half-closed (remote): all but WINDOW_UPDATE, PRIORITY and RST_STREAM are a
      // stream error of type STREAM_CLOSED.
      .add("half closed (remote): Sends a DATA frame", kStreamClosedError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true));
             conn.write_data(1, true, "test");
             verify_stream_error(conn, {kStreamClosed});
           })
      .add("half closed (remote): Sends a HEADERS frame", kStreamClosedError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true));
             conn.write_headers(request(conn, 1, true));
             verify_stream_error(conn, {kStreamClosed});
           })
      .add("half closed (remote): Sends a CONTINUATION frame", kStreamClosedError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             // The same block twice: in the HEADERS frame and in the CONTINUATION.
             const std::string block = conn.encode_headers(common_headers(c));
             HeadersParam p;
             p.stream = 1;
             p.block = block;
             conn.write_headers(p);
             conn.write_continuation(1, true, block);
             verify_stream_error(conn, {kStreamClosed, kProtocolError});
           })
      // closed by our RST_STREAM: all but PRIORITY are a stream error of type STREAM_CLOSED.
      .add("closed: Sends a DATA frame after sending RST_STREAM frame", kAfterRstStream,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false));
             conn.write_rst_stream(1, kCancel);
             conn.write_data(1, true, "test");
             verify_stream_error(conn, {kStreamClosed});
           })
      .add("closed: Sends a HEADERS frame after sending RST_STREAM frame", kAfterRstStream,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false));
             conn.write_rst_stream(1, kCancel);
             conn.write_headers(request(conn, 1, true));
             verify_stream_error(conn, {kStreamClosed});
           })
      .add("closed: Sends a CONTINUATION frame after sending RST_STREAM frame", kAfterRstStream,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false));
             conn.write_rst_stream(1, kCancel);
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_stream_error(conn, {kStreamClosed, kProtocolError});
           })
      // closed after both END_STREAMs (the response read to its end).
      .add("closed: Sends a DATA frame", kAfterEndStream,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true));
             verify_stream_close(conn);
             conn.write_data(1, true, "test");
             verify_stream_error(conn, {kStreamClosed});
           })
      .add("closed: Sends a HEADERS frame", kAfterEndStream,
           [](const Config&, Conn& conn) {
             conn.handshake();
             // The same HEADERS frame, block included, sent twice.
             const HeadersParam p = request(conn, 1, true);
             conn.write_headers(p);
             verify_stream_close(conn);
             conn.write_headers(p);
             verify_connection_error(conn, {kStreamClosed});
           })
      .add("closed: Sends a CONTINUATION frame", kAfterEndStream,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true));
             verify_stream_close(conn);
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kStreamClosed, kProtocolError});
           });

  // RFC 9113 section 5.1.1: client streams are odd and increasing.
  group("http2/5.1.1", "Stream Identifiers")
      .add("Sends even-numbered stream identifier",
           "The endpoint MUST respond with a connection error of type PROTOCOL_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 2, true));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends stream identifier that is numerically smaller than previous",
           "The endpoint MUST respond with a connection error of type PROTOCOL_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 5, true));
             conn.write_headers(request(conn, 3, true));
             verify_connection_error(conn, {kProtocolError});
           });

  // RFC 9113 section 5.1.2: a HEADERS frame past SETTINGS_MAX_CONCURRENT_STREAMS is a
  // stream error of type PROTOCOL_ERROR or REFUSED_STREAM.
  group("http2/5.1.2", "Stream Concurrency")
      .add("Sends HEADERS frames that causes their advertised concurrent stream limit to be exceeded",
           "The endpoint MUST treat this as a stream error of type PROTOCOL_ERROR or REFUSED_STREAM.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             const auto max_streams = conn.setting(kMaxConcurrentStreams);
             if (!max_streams) throw Skipped{};  // no limit announced
             // A zero window keeps the server from finishing the streams it opens.
             conn.write_settings({{kInitialWindowSize, 0}});
             const std::string block = conn.encode_headers(common_headers(c));
             std::uint32_t stream = 1;
             for (std::uint64_t i = 0; i <= *max_streams; ++i, stream += 2) {
               HeadersParam p;
               p.stream = stream;
               p.block = block;
               conn.write_headers(p);
             }
             verify_stream_error(conn, {kProtocolError, kRefusedStream});
           });

  // RFC 9113 section 5.3.1 (RFC 7540): a stream cannot depend on itself.
  group("http2/5.3.1", "Stream Dependencies")
      .add("Sends HEADERS frame that depends on itself", kSelfDependency,
           [](const Config&, Conn& conn) {
             conn.handshake();
             HeadersParam p = request(conn, 1, true);
             p.priority = PriorityParam{1, 255, false};
             conn.write_headers(p);
             verify_stream_error(conn, {kProtocolError});
           })
      .add("Sends PRIORITY frame that depend on itself", kSelfDependency,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_priority(1, PriorityParam{1, 255, false});
             verify_stream_error(conn, {kProtocolError});
           });

  // RFC 9113 section 5.4.1: after a connection error the endpoint closes the TCP
  // connection. (h2spec's second case, the GOAWAY itself, is strict-only.)
  group("http2/5.4.1", "Connection Error Handling")
      .add("Sends an invalid PING frame for connection close", "The endpoint MUST close the TCP connection",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // PING on stream 3: a connection error of type PROTOCOL_ERROR (section 6.7).
             conn.send("\x00\x00\x08\x06\x00\x00\x00\x00\x03"s + kZeros8);
             verify_connection_close(conn);
           });

  // RFC 9113 section 5.5: unknown frames are ignored, except inside a field block.
  group("http2/5.5", "Extending HTTP/2")
      .add("Sends an unknown extension frame",
           "The endpoint MUST ignore unknown or unsupported values in all extensible protocol elements.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.send(kUnknownFrame);
             conn.write_ping(false, kZeros8);
             verify_ping_ack(conn, kZeros8);
           })
      .add("Sends an unknown extension frame in the middle of a header block",
           "The endpoint MUST treat as a connection error of type PROTOCOL_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true, false));
             conn.send(kUnknownFrame);
             verify_connection_error(conn, {kProtocolError});
           });
}

}  // namespace h2conform
