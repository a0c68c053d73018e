// Conformance cases: http2 sections 7 and 8 (RFC 9113 section 7, error codes, and
// section 8, HTTP semantics: message framing, field validity, pseudo-headers, push).
#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

constexpr const char* kStreamProtocolError = "The endpoint MUST respond with a stream error of type PROTOCOL_ERROR.";

Fields with(Fields f, std::string name, std::string value) {
  f.emplace_back(std::move(name), std::move(value));
  return f;
}

// A request of these fields on stream 1 with END_STREAM, answered by a stream error
// of type PROTOCOL_ERROR (RFC 9113 section 8.1.1: a malformed request).
void malformed_request(Conn& conn, const Fields& fields) {
  conn.handshake();
  conn.write_headers(request_with(conn, 1, fields, true));
  verify_stream_error(conn, {kProtocolError});
}

// A POST on stream 1, a DATA frame "test" and then a second HEADERS frame of these
// fields without END_STREAM (RFC 9113 section 8.1: trailers must end the stream).
void post_then_headers(Conn& conn, const Fields& second) {
  conn.handshake();
  conn.write_headers(request_with(conn, 1, post_headers(conn.config()), false));
  conn.write_data(1, false, "test");
  conn.write_headers(request_with(conn, 1, second, false));
  verify_stream_error(conn, {kProtocolError});
}

}  // namespace

H2CONFORM_CASES(http2_7) {
  // RFC 9113 section 7: unknown error codes MUST NOT trigger any special behavior.
  group("http2/7", "Error Codes")
      .add("Sends a GOAWAY frame with unknown error code", "The endpoint MUST NOT trigger any special behavior.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_goaway(0, 0xff);
             const std::string data("h2spec\0\0", 8);
             conn.write_ping(false, data);
             verify_ping_ack_or_connection_close(conn, data);
           })
      .add("Sends a RST_STREAM frame with unknown error code", "The endpoint MUST NOT trigger any special behavior.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, post_headers(c), false));
             conn.write_rst_stream(1, 0xff);
             const std::string data(8, '\0');
             conn.write_ping(false, data);
             verify_ping_ack(conn, data);
           });
}

H2CONFORM_CASES(http2_8) {
  // RFC 9113 section 8.1: a HEADERS frame after the body that does not end the stream
  // makes the request malformed.
  group("http2/8.1", "HTTP Request/Response Exchange")
      .add("Sends a second HEADERS frame without the END_STREAM flag", kStreamProtocolError,
           [](const Config&, Conn& conn) { post_then_headers(conn, {{"x-test", "ok"}}); });

  // RFC 9113 section 8.2.1: field names with uppercase characters are malformed.
  group("http2/8.1.2", "HTTP Header Fields")
      .add("Sends a HEADERS frame that contains the header field name in uppercase letters", kStreamProtocolError,
           [](const Config& c, Conn& conn) { malformed_request(conn, with(common_headers(c), "X-TEST", "ok")); });

  // RFC 9113 section 8.3: undefined pseudo-headers, response pseudo-headers in a
  // request, pseudo-headers in trailers or after regular fields are malformed.
  group("http2/8.1.2.1", "Pseudo-Header Fields")
      .add("Sends a HEADERS frame that contains a unknown pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) { malformed_request(conn, with(common_headers(c), ":test", "ok")); })
      .add("Sends a HEADERS frame that contains the pseudo-header field defined for response", kStreamProtocolError,
           [](const Config& c, Conn& conn) { malformed_request(conn, with(common_headers(c), ":status", "200")); })
      .add("Sends a HEADERS frame that contains a pseudo-header field as trailers", kStreamProtocolError,
           [](const Config&, Conn& conn) { post_then_headers(conn, {{":method", "POST"}}); })
      .add("Sends a HEADERS frame that contains a pseudo-header field that appears in a header block after a regular "
           "header field",
           kStreamProtocolError, [](const Config& c, Conn& conn) {
             Fields f{{"x-test", "ok"}};
             for (auto& field : common_headers(c)) f.push_back(field);
             malformed_request(conn, f);
           });

  // RFC 9113 section 8.2.2: connection-specific fields, and TE other than "trailers".
  group("http2/8.1.2.2", "Connection-Specific Header Fields")
      .add("Sends a HEADERS frame that contains the connection-specific header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             malformed_request(conn, with(common_headers(c), "connection", "keep-alive"));
           })
      .add("Sends a HEADERS frame that contains the TE header field with any value other than \"trailers\"",
           kStreamProtocolError, [](const Config& c, Conn& conn) {
             malformed_request(conn, with(with(common_headers(c), "trailers", "test"), "te", "trailers, deflate"));
           });

  // RFC 9113 section 8.3.1: exactly one non-empty :method, :scheme and :path.
  // common_headers is {:method, :scheme, :path, :authority}.
  group("http2/8.1.2.3", "Request Pseudo-Header Fields")
      .add("Sends a HEADERS frame with empty \":path\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             Fields f = common_headers(c);
             f[2].second = "";
             malformed_request(conn, f);
           })
      .add("Sends a HEADERS frame that omits \":method\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             // As h2spec does, this block leaves out :scheme too: only :path and :authority.
             Fields f = common_headers(c);
             malformed_request(conn, {f[2], f[3]});
           })
      .add("Sends a HEADERS frame that omits \":scheme\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             Fields f = common_headers(c);
             malformed_request(conn, {f[0], f[2], f[3]});
           })
      .add("Sends a HEADERS frame that omits \":path\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             Fields f = common_headers(c);
             malformed_request(conn, {f[0], f[1], f[3]});
           })
      .add("Sends a HEADERS frame with duplicated \":method\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             Fields f = common_headers(c);
             malformed_request(conn, with(f, ":method", f[0].second));
           })
      .add("Sends a HEADERS frame with duplicated \":scheme\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             Fields f = common_headers(c);
             malformed_request(conn, with(f, ":scheme", f[1].second));
           })
      .add("Sends a HEADERS frame with duplicated \":path\" pseudo-header field", kStreamProtocolError,
           [](const Config& c, Conn& conn) {
             Fields f = common_headers(c);
             malformed_request(conn, with(f, ":path", f[2].second));
           });

  // RFC 9113 section 8.1.1: a content-length that differs from the sum of the DATA
  // payloads makes the request malformed.
  group("http2/8.1.2.6", "Malformed Requests and Responses")
      .add("Sends a HEADERS frame with the \"content-length\" header field which does not equal the DATA frame "
           "payload length",
           "The endpoint MUST treat this as a stream error of type PROTOCOL_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, with(post_headers(c), "content-length", "1"), false));
             conn.write_data(1, true, "test");
             verify_stream_error(conn, {kProtocolError});
           })
      .add("Sends a HEADERS frame with the \"content-length\" header field which does not equal the sum of the "
           "multiple DATA frames payload length",
           "The endpoint MUST treat this as a stream error of type PROTOCOL_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, with(post_headers(c), "content-length", "1"), false));
             conn.write_data(1, false, "test");
             conn.write_data(1, true, "test");
             verify_stream_error(conn, {kProtocolError});
           });

  // RFC 9113 section 8.4: a client cannot push; a PUSH_PROMISE is a connection error.
  group("http2/8.2", "Server Push")
      .add("Sends a PUSH_PROMISE frame",
           "The endpoint MUST treat this as a connection error of type PROTOCOL_ERROR.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_push_promise(1, 3, conn.encode_headers(common_headers(c)), true);
             verify_connection_error(conn, {kProtocolError});
           });
}

}  // namespace h2conform
