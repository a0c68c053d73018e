// Conformance cases: http2 sections 3 to 5 (RFC 9113 sections 3.4 to 5.5).
#include "conformance/h2conform.hpp"

namespace h2conform {

H2CONFORM_CASES(http2_3) {
  // RFC 9113 section 3.4: the client preface is the 24-octet magic and a SETTINGS
  // frame; anything else is a connection error of type PROTOCOL_ERROR.
  group("http2/3.5", "HTTP/2 Connection Preface")
      .add("Sends client connection preface",
           "The server connection preface MUST be the first frame the server sends in the HTTP/2 connection.",
           [](const Config&, Conn& conn) {
             conn.send(httpkit::testing::kPreface);
             conn.write_settings({{kInitialWindowSize, 65535}});
             auto [ev, ok] = conn.wait_event_by_type(kSettings);
             if (!ok || ev.frame.has(kAck)) fail({"SETTINGS Frame (flags:0x00)"}, ev.describe());
           })
      .add("Sends invalid connection preface", "The endpoint MUST terminate the TCP connection.",
           [](const Config&, Conn& conn) {
             conn.send("INVALID CONNECTION PREFACE\r\n\r\n");
             verify_connection_close(conn);
           });
}

}  // namespace h2conform
