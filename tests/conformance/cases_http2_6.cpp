// Conformance cases: http2 section 6 (RFC 9113 section 6, frame definitions: DATA to
// CONTINUATION, with SETTINGS parameters and flow control).
#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

constexpr const char* kConnProtocolError = "The endpoint MUST respond with a connection error of type PROTOCOL_ERROR.";
constexpr const char* kTreatProtocolError = "The endpoint MUST treat this as a connection error of type PROTOCOL_ERROR.";

// Bytes as written, NULs included.
template <std::size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

// The first DATA frame that comes is on stream 1 and 1 octet long: the server kept to
// a flow-control window of 1 (RFC 9113 sections 6.9.1 and 6.9.2).
void expect_one_octet_data(Conn& conn) {
  auto [ev, ok] = conn.wait_event_by_type(kData);
  if (!ok || ev.frame.length != 1) fail({"DATA Frame (length:1, flags:0x00, stream_id:1)"}, ev.describe());
}

// Skipped unless a GET of the configured path has a body of at least min octets.
void need_body(const Config& c, std::size_t min) {
  if (server_data_length(c) < min) throw Skipped{};
}

}  // namespace

H2CONFORM_CASES(http2_6_1_to_6_4) {
  // RFC 9113 section 6.1: DATA on stream 0, on a closed stream, and padding too long.
  group("http2/6.1", "DATA")
      .add("Sends a DATA frame with 0x0 stream identifier", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_data(0, true, "test");
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a DATA frame on the stream that is not in \"open\" or \"half-closed (local)\" state",
           "The endpoint MUST respond with a stream error of type STREAM_CLOSED.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, post_headers(c), true));
             conn.write_data(1, true, "test");
             verify_stream_error(conn, {kStreamClosed});
           })
      .add("Sends a DATA frame with invalid pad length", kTreatProtocolError, [](const Config& c, Conn& conn) {
        conn.handshake();
        Fields fields = post_headers(c);
        fields.emplace_back("content-length", "4");
        conn.write_headers(request_with(conn, 1, fields, false));
        // DATA, length 5, END_STREAM|PADDED, stream 1: pad length 6, then "Test".
        conn.send(bytes("\x00\x00\x05\x00\x09\x00\x00\x00\x01"));
        conn.send(bytes("\x06\x54\x65\x73\x74"));
        verify_connection_error(conn, {kProtocolError});
      });

  // RFC 9113 sections 6.2 and 4.3: a header block must be contiguous; HEADERS on stream
  // 0 and padding longer than the payload are errors.
  group("http2/6.2", "HEADERS")
      .add("Sends a HEADERS frame without the END_HEADERS flag, and a PRIORITY frame", kTreatProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, common_headers(c), false, false));
             conn.write_priority(1, PriorityParam{0, 255, false});
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a HEADERS frame to another stream while sending a HEADERS frame", kTreatProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, common_headers(c), false, false));
             conn.write_headers(request_with(conn, 3, common_headers(c), true, true));
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a HEADERS frame with 0x0 stream identifier", kConnProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 0, common_headers(c), true, true));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a HEADERS frame with invalid pad length", kTreatProtocolError, [](const Config& c, Conn& conn) {
        conn.handshake();
        const std::string block = conn.encode_headers(common_headers(c));
        // HEADERS, END_STREAM|END_HEADERS|PADDED, stream 1: the frame length counts the
        // pad length octet and the block, the pad length is one more than that.
        std::string head = bytes("\x00\x00\x00\x01\x0d\x00\x00\x00\x01");
        head[2] = static_cast<char>(block.size() + 1);
        conn.send(head);
        conn.send(std::string(1, static_cast<char>(block.size() + 2)));
        conn.send(block);
        verify_stream_error(conn, {kProtocolError});
      });

  // RFC 9113 section 6.3: PRIORITY on stream 0, or not 5 octets long.
  group("http2/6.3", "PRIORITY")
      .add("Sends a PRIORITY frame with 0x0 stream identifier", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_priority(0, PriorityParam{0, 255, false});
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a PRIORITY frame with a length other than 5 octets",
           "The endpoint MUST respond with a stream error of type FRAME_SIZE_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true));
             // PRIORITY, length 4, stream 1.
             conn.send(bytes("\x00\x00\x04\x02\x00\x00\x00\x00\x01"));
             conn.send(bytes("\x80\x00\x00\x01"));
             verify_stream_error(conn, {kFrameSizeError});
           });

  // RFC 9113 section 6.4: RST_STREAM on stream 0, on an idle stream, or not 4 octets.
  group("http2/6.4", "RST_STREAM")
      .add("Sends a RST_STREAM frame with 0x0 stream identifier", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_rst_stream(0, kCancel);
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a RST_STREAM frame on a idle stream", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_rst_stream(1, kCancel);
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a RST_STREAM frame with a length other than 4 octets",
           "The endpoint MUST respond with a connection error of type FRAME_SIZE_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, true));
             // RST_STREAM, length 3, stream 1.
             conn.send(bytes("\x00\x00\x03\x03\x00\x00\x00\x00\x01"));
             conn.send(bytes("\x00\x00\x00"));
             verify_stream_error(conn, {kFrameSizeError});
           });
}

H2CONFORM_CASES(http2_6_5_to_6_8) {
  // RFC 9113 section 6.5: ACK with a payload, a stream other than 0, a length that is
  // not a multiple of 6.
  group("http2/6.5", "SETTINGS")
      .add("Sends a SETTINGS frame with ACK flag and payload",
           "The endpoint MUST respond with a connection error of type FRAME_SIZE_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // SETTINGS, length 1, ACK, stream 0.
             conn.send(bytes("\x00\x00\x01\x04\x01\x00\x00\x00\x00"));
             conn.send(bytes("\x00"));
             verify_connection_error(conn, {kFrameSizeError});
           })
      .add("Sends a SETTINGS frame with a stream identifier other than 0x0", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             // SETTINGS, length 6, stream 1: MAX_CONCURRENT_STREAMS 100.
             conn.send(bytes("\x00\x00\x06\x04\x00\x00\x00\x00\x01"));
             conn.send(bytes("\x00\x03\x00\x00\x00\x64"));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a SETTINGS frame with a length other than a multiple of 6 octets",
           "The endpoint MUST respond with a connection error of type FRAME_SIZE_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // SETTINGS, length 3, stream 0.
             conn.send(bytes("\x00\x00\x03\x04\x00\x00\x00\x00\x00"));
             conn.send(bytes("\x00\x03\x00"));
             verify_stream_error(conn, {kProtocolError, kFrameSizeError});
           });

  // RFC 9113 section 6.5.2: values out of range are connection errors; unknown
  // settings are ignored.
  group("http2/6.5.2", "Defined SETTINGS Parameters")
      .add("SETTINGS_ENABLE_PUSH (0x2): Sends the value other than 0 or 1", kTreatProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kEnablePush, 2}});
             verify_connection_error(conn, {kProtocolError});
           })
      .add("SETTINGS_INITIAL_WINDOW_SIZE (0x4): Sends the value above the maximum flow control window size",
           "The endpoint MUST treat this as a connection error of type FLOW_CONTROL_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kInitialWindowSize, 2147483648u}});
             verify_connection_error(conn, {kFlowControlError});
           })
      .add("SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value below the initial value", kTreatProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kMaxFrameSize, 16383}});
             verify_connection_error(conn, {kProtocolError});
           })
      .add("SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value above the maximum allowed frame size", kTreatProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kMaxFrameSize, 16777216}});
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a SETTINGS frame with unknown identifier", "The endpoint MUST ignore that setting.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{0xff, 1}});
             const std::string data(8, '\0');
             conn.write_ping(false, data);
             verify_ping_ack(conn, data);
           });

  // RFC 9113 section 6.5.3: values apply in order; a SETTINGS frame is acknowledged.
  group("http2/6.5.3", "Settings Synchronization")
      .add("Sends multiple values of SETTINGS_INITIAL_WINDOW_SIZE",
           "The endpoint MUST process the values in the settings in the order they apper.",
           [](const Config& c, Conn& conn) {
             need_body(c, 1);
             conn.handshake();
             conn.write_settings({{kInitialWindowSize, 100}, {kInitialWindowSize, 1}});
             verify_settings_ack(conn);
             conn.write_headers(request(conn, 1, true));
             expect_one_octet_data(conn);
           })
      .add("Sends a SETTINGS frame without ACK flag",
           "The endpoint MUST immediately emit a SETTINGS frame with the ACK flag set.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kEnablePush, 0}});
             verify_settings_ack(conn);
           });

  // RFC 9113 section 6.7: PING is answered with ACK and the same payload, a PING ACK is
  // not answered; PING off stream 0 or not 8 octets is a connection error.
  group("http2/6.7", "PING")
      .add("Sends a PING frame", "The endpoint MUST sends a PING frame with ACK, with an identical payload.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             const std::string data("h2spec\0\0", 8);
             conn.write_ping(false, data);
             verify_ping_ack(conn, data);
           })
      .add("Sends a PING frame with ACK", "The endpoint MUST NOT respond to PING frames with ACK.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             const std::string unexpected("invalid\0", 8);
             const std::string expected("h2spec\0\0", 8);
             conn.write_ping(true, unexpected);
             conn.write_ping(false, expected);
             verify_ping_ack(conn, expected);
           })
      .add("Sends a PING frame with a stream identifier field value other than 0x0", kConnProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             // PING, length 8, stream 1.
             conn.send(bytes("\x00\x00\x08\x06\x00\x00\x00\x00\x01"));
             conn.send(std::string(8, '\0'));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a PING frame with a length field value other than 8",
           "The endpoint MUST treat this as a connection error of type FRAME_SIZE_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // PING, length 6, stream 0.
             conn.send(bytes("\x00\x00\x06\x06\x00\x00\x00\x00\x00"));
             conn.send(std::string(6, '\0'));
             verify_connection_error(conn, {kFrameSizeError});
           });

  // RFC 9113 section 6.8: GOAWAY off stream 0 is a connection error.
  group("http2/6.8", "GOAWAY")
      .add("Sends a GOAWAY frame with a stream identifier other than 0x0", kTreatProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             // GOAWAY, length 8, stream 1.
             conn.send(bytes("\x00\x00\x08\x07\x00\x00\x00\x00\x01"));
             conn.send(std::string(8, '\0'));
             verify_connection_error(conn, {kProtocolError});
           });
}

H2CONFORM_CASES(http2_6_9_to_6_10) {
  // RFC 9113 section 6.9: an increment of 0, or a length other than 4.
  group("http2/6.9", "WINDOW_UPDATE")
      .add("Sends a WINDOW_UPDATE frame with a flow control window increment of 0", kTreatProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_window_update(0, 0);
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a WINDOW_UPDATE frame with a flow control window increment of 0 on a stream", kTreatProtocolError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false));
             conn.write_window_update(1, 0);
             verify_stream_error(conn, {kProtocolError});
           })
      .add("Sends a WINDOW_UPDATE frame with a length other than 4 octets",
           "The endpoint MUST treat this as a connection error of type FRAME_SIZE_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // WINDOW_UPDATE, length 3, stream 0.
             conn.send(bytes("\x00\x00\x03\x08\x00\x00\x00\x00\x00"));
             conn.send(bytes("\x00\x00\x01"));
             verify_connection_error(conn, {kFrameSizeError});
           });

  // RFC 9113 section 6.9.1: the sender keeps to the window; a window above 2^31-1 ends
  // the connection (GOAWAY) or the stream (RST_STREAM) with FLOW_CONTROL_ERROR.
  group("http2/6.9.1", "The Flow-Control Window")
      .add("Sends SETTINGS frame to set the initial window size to 1 and sends HEADERS frame",
           "The endpoint MUST NOT send a flow-controlled frame with a length that exceeds the space available.",
           [](const Config& c, Conn& conn) {
             need_body(c, 1);
             conn.handshake();
             conn.write_settings({{kInitialWindowSize, 1}});
             verify_settings_ack(conn);
             conn.write_headers(request(conn, 1, true));
             expect_one_octet_data(conn);
           })
      .add("Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1",
           "The endpoint MUST sends a GOAWAY frame with a FLOW_CONTROL_ERROR code.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_window_update(0, 2147483647);
             conn.write_window_update(0, 2147483647);
             auto [ev, ok] = conn.wait_event_by_type(kGoaway);
             if (!ok || ev.frame.error_code() != kFlowControlError) {
               fail({"GOAWAY Frame (Error Code: FLOW_CONTROL_ERROR)"}, ev.describe());
             }
           })
      .add("Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1 on a stream",
           "The endpoint MUST sends a RST_STREAM frame with a FLOW_CONTROL_ERROR code.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false));
             conn.write_window_update(1, 2147483647);
             conn.write_window_update(1, 2147483647);
             auto [ev, ok] = conn.wait_event_by_type(kRstStream);
             if (!ok || ev.frame.stream != 1 || ev.frame.error_code() != kFlowControlError) {
               fail({"RST_STREAM Frame (Error Code: FLOW_CONTROL_ERROR)"}, ev.describe());
             }
           });

  // RFC 9113 section 6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE changes open streams'
  // windows, possibly below 0; one above 2^31-1 is a connection error.
  group("http2/6.9.2", "Initial Flow-Control Window Size")
      .add("Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame",
           "The endpoint MUST adjust the size of all stream flow-control windows.",
           [](const Config& c, Conn& conn) {
             need_body(c, 1);
             conn.handshake();
             conn.write_settings({{kInitialWindowSize, 0}});  // no DATA yet
             verify_settings_ack(conn);
             conn.write_headers(request(conn, 1, true));
             conn.write_settings({{kInitialWindowSize, 1}});  // now 1 octet
             expect_one_octet_data(conn);
           })
      .add("Sends a SETTINGS frame for window size to be negative",
           "The endpoint MUST track the negative flow-control window.",
           [](const Config& c, Conn& conn) {
             need_body(c, 5);
             conn.handshake();
             conn.write_settings({{kInitialWindowSize, 3}});  // 3 octets of the body
             verify_settings_ack(conn);
             conn.write_headers(request(conn, 1, true));
             verify_event_type(conn, kData);
             conn.write_settings({{kInitialWindowSize, 2}});  // the window goes to -1
             verify_settings_ack(conn);
             conn.write_window_update(1, 2);  // and back to 1
             expect_one_octet_data(conn);
           })
      .add("Sends a SETTINGS_INITIAL_WINDOW_SIZE settings with an exceeded maximum window size value",
           "The endpoint MUST treat this as a connection error of type FLOW_CONTROL_ERROR.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // SETTINGS, length 6, stream 0: INITIAL_WINDOW_SIZE 2^31.
             conn.send(bytes("\x00\x00\x06\x04\x00\x00\x00\x00\x00"));
             conn.send(bytes("\x00\x04\x80\x00\x00\x00"));
             verify_connection_error(conn, {kFlowControlError});
           });

  // RFC 9113 section 6.10: CONTINUATION only right after HEADERS or CONTINUATION
  // without END_HEADERS, on the same stream.
  group("http2/6.10", "CONTINUATION")
      .add("Sends multiple CONTINUATION frames preceded by a HEADERS frame", "The endpoint must accept the frame.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, common_headers(c), true, false));
             const Fields dummy = dummy_headers(c, 1);
             conn.write_continuation(1, false, conn.encode_headers(dummy));
             conn.write_continuation(1, true, conn.encode_headers(dummy));
             verify_headers_frame(conn, 1);
           })
      .add("Sends a CONTINUATION frame followed by any frame other than CONTINUATION", kTreatProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, post_headers(c), false, false));
             conn.write_continuation(1, false, conn.encode_headers(dummy_headers(c, 1)));
             conn.write_data(1, true, "test");
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a CONTINUATION frame with 0x0 stream identifier", kConnProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, common_headers(c), true, false));
             conn.write_continuation(0, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a CONTINUATION frame preceded by a HEADERS frame with END_HEADERS flag", kConnProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, common_headers(c), true, true));
             conn.write_continuation(1, true, conn.encode_headers(dummy_headers(c, 1)));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a CONTINUATION frame preceded by a CONTINUATION frame with END_HEADERS flag", kConnProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, common_headers(c), true, false));
             const Fields dummy = dummy_headers(c, 1);
             conn.write_continuation(1, true, conn.encode_headers(dummy));
             conn.write_continuation(1, true, conn.encode_headers(dummy));
             verify_connection_error(conn, {kProtocolError});
           })
      .add("Sends a CONTINUATION frame preceded by a DATA frame", kConnProtocolError,
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, post_headers(c), false, false));
             conn.write_data(1, true, "test");
             const Fields dummy = dummy_headers(c, 1);
             conn.write_continuation(1, false, conn.encode_headers(dummy));
             conn.write_continuation(0, true, conn.encode_headers(dummy));
             verify_connection_error(conn, {kProtocolError});
           });
}

}  // namespace h2conform
