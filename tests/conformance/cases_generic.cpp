// Conformance cases: generic (sections 1 to 5 of h2spec's "Generic tests for HTTP/2
// server"): a server must accept every well-formed frame type and request shape of
// RFC 9113 and every HPACK representation of RFC 7541.
#include <string>

#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

const std::string kZeroPing(8, '\0');
const std::string kH2specPing("h2spec\0\0", 8);

// A POST on stream 1 whose HEADERS leaves the stream open for DATA.
void send_post_headers(Conn& conn, const Config& c, std::uint32_t stream = 1) {
  conn.write_headers(request_with(conn, stream, post_headers(c), false));
}

// A POST on stream 1, then one DATA frame that ends it: the server must answer (h2spec
// has this case in generic/3.1 and again in generic/4).
void post_then_data(const Config& c, Conn& conn) {
  conn.handshake();
  send_post_headers(conn, c);
  conn.write_data(1, true, "test");
  verify_headers_frame(conn, 1);
}

// A HEADERS frame on stream 1 with the common block followed by these HPACK bytes.
void request_with_suffix(Conn& conn, const Config& c, std::string_view rep) {
  HeadersParam p;
  p.stream = 1;
  p.block = conn.encode_headers(common_headers(c));
  p.block.append(rep);
  conn.write_headers(p);
}

// A HEADERS frame on stream 1 with these HPACK bytes before the common block.
void request_with_prefix(Conn& conn, const Config& c, std::string_view rep) {
  HeadersParam p;
  p.stream = 1;
  p.block = std::string(rep) + conn.encode_headers(common_headers(c));
  conn.write_headers(p);
}

}  // namespace

H2CONFORM_CASES(generic_1_2) {
  // RFC 9113 section 3.4: the server's preface is a SETTINGS frame, its first frame.
  group("generic/1", "Starting HTTP/2")
      .add("Sends a client connection preface", "The endpoint MUST accept client connection preface.",
           [](const Config&, Conn& conn) {
             conn.send(httpkit::testing::kPreface);
             conn.write_settings({{kInitialWindowSize, 65535}});
             Event ev = conn.wait_event();
             if (!ev.is(kSettings) || ev.frame.has(kAck)) fail({"SETTINGS Frame (flags:0x00)"}, ev.describe());
           });

  // RFC 9113 section 5.1: PRIORITY is allowed in any state; WINDOW_UPDATE, PRIORITY
  // and RST_STREAM are allowed in half-closed (remote).
  group("generic/2", "Streams and Multiplexing")
      .add("Sends a PRIORITY frame on idle stream", "The endpoint MUST accept PRIORITY frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_priority(1, {0, 255, false});
             conn.write_ping(false, kZeroPing);
             verify_ping_ack(conn, kZeroPing);
           })
      .add("Sends a WINDOW_UPDATE frame on half-closed (remote) stream", "The endpoint MUST accept WINDOW_UPDATE frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             // A zero window keeps the server from ending the stream before our frame.
             conn.write_settings({{kInitialWindowSize, 0}});
             conn.write_headers(request(conn, 1));
             conn.write_window_update(1, 1);
             verify_event_type(conn, kData);
           })
      .add("Sends a PRIORITY frame on half-closed (remote) stream", "The endpoint MUST accept PRIORITY frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kInitialWindowSize, 0}});
             conn.write_headers(request(conn, 1));
             conn.write_priority(1, {0, 255, false});
             conn.write_window_update(1, 1);
             verify_event_type(conn, kData);
           })
      .add("Sends a RST_STREAM frame on half-closed (remote) stream", "The endpoint MUST accept RST_STREAM frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1));
             conn.write_rst_stream(1, kCancel);
             conn.write_ping(false, kZeroPing);
             // RFC 9113 section 5.4.1: any error may end the connection, so a close passes.
             verify_ping_ack_or_connection_close(conn, kZeroPing);
           })
      .add("Sends a PRIORITY frame on closed stream", "The endpoint MUST accept PRIORITY frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1));
             verify_stream_close(conn);
             conn.write_priority(1, {0, 255, false});
             conn.write_ping(false, kZeroPing);
             verify_ping_ack(conn, kZeroPing);
           });
}

H2CONFORM_CASES(generic_3) {
  // RFC 9113 section 6.1.
  group("generic/3.1", "DATA")
      .add("Sends a DATA frame", "The endpoint MUST accept DATA frame.",
           post_then_data)
      .add("Sends multiple DATA frames", "The endpoint MUST accept multiple DATA frames.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             send_post_headers(conn, c);
             conn.write_data(1, false, "test");
             conn.write_data(1, true, "test");
             verify_headers_frame(conn, 1);
           })
      .add("Sends a DATA frame with padding", "The endpoint MUST accept DATA frame with padding.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             send_post_headers(conn, c);
             conn.write_data_padded(1, true, "test", std::string(5, '\0'));
             verify_headers_frame(conn, 1);
           });

  // RFC 9113 section 6.2.
  group("generic/3.2", "HEADERS")
      .add("Sends a HEADERS frame", "The endpoint MUST accept HEADERS frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1));
             verify_headers_frame(conn, 1);
           })
      .add("Sends a HEADERS frame with padding", "The endpoint MUST accept HEADERS frame with padding.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             HeadersParam p = request(conn, 1);
             p.padding = std::string(8, '\0');
             conn.write_headers(p);
             verify_headers_frame(conn, 1);
           })
      .add("Sends a HEADERS frame with priority", "The endpoint MUST accept HEADERS frame with priority.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             HeadersParam p = request(conn, 1);
             p.priority = PriorityParam{0, 255, false};
             conn.write_headers(p);
             verify_headers_frame(conn, 1);
           });

  // RFC 9113 section 6.3: PRIORITY may be sent in any stream state; each case sends one
  // (on an idle stream) and then a request on stream 1 that must be answered.
  auto priority_then_request = [](std::uint32_t stream, PriorityParam priority) -> CaseFn {
    return [=](const Config&, Conn& conn) {
      conn.handshake();
      conn.write_priority(stream, priority);
      conn.write_headers(request(conn, 1));
      verify_headers_frame(conn, 1);
    };
  };
  group("generic/3.3", "PRIORITY")
      .add("Sends a PRIORITY frame with priority 1", "The endpoint MUST accept PRIORITY frame with priority 1.",
           priority_then_request(1, {0, 0, false}))
      .add("Sends a PRIORITY frame with priority 256", "The endpoint MUST accept PRIORITY frame with priority 256.",
           priority_then_request(1, {0, 255, false}))
      .add("Sends a PRIORITY frame with stream dependency",
           "The endpoint MUST accept PRIORITY frame with stream dependency.", priority_then_request(3, {1, 0, false}))
      .add("Sends a PRIORITY frame with exclusive", "The endpoint MUST accept PRIORITY frame with exclusive.",
           priority_then_request(1, {0, 0, true}))
      .add("Sends a PRIORITY frame for an idle stream, then send a HEADER frame for a lower stream ID",
           "The endpoint MUST respond the HEADER frame.", priority_then_request(3, {0, 255, false}));

  // RFC 9113 section 6.4.
  group("generic/3.4", "RST_STREAM")
      .add("Sends a RST_STREAM frame", "The endpoint MUST accept RST_STREAM frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1, false));
             conn.write_rst_stream(1, kCancel);
             conn.write_ping(false, kZeroPing);
             verify_ping_ack_or_connection_close(conn, kZeroPing);
           });

  // RFC 9113 section 6.5.
  group("generic/3.5", "SETTINGS")
      .add("Sends a SETTINGS frame", "The endpoint MUST accept SETTINGS frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_settings({{kHeaderTableSize, 4096},
                                  {kEnablePush, 1},
                                  {kMaxConcurrentStreams, 100},
                                  {kInitialWindowSize, 65535},
                                  {kMaxFrameSize, 16384},
                                  {kMaxHeaderListSize, 100}});
             verify_settings_ack(conn);
           });

  // RFC 9113 section 6.7.
  group("generic/3.7", "PING")
      .add("Sends a PING frame", "The endpoint MUST accept PING frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_ping(false, kH2specPing);
             verify_ping_ack(conn, kH2specPing);
           });

  // RFC 9113 section 6.8: after GOAWAY the server may answer the PING or close.
  group("generic/3.8", "GOAWAY")
      .add("Sends a GOAWAY frame", "The endpoint MUST accept GOAWAY frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_goaway(0, kNoError, "h2spec");
             conn.write_ping(false, kH2specPing);
             verify_ping_ack_or_connection_close(conn, kH2specPing);
           });

  // RFC 9113 section 6.9.
  group("generic/3.9", "WINDOW_UPDATE")
      .add("Sends a WINDOW_UPDATE frame with stream ID 0", "The endpoint MUST accept WINDOW_UPDATE frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_window_update(0, 1);
             conn.write_ping(false, kZeroPing);
             verify_ping_ack(conn, kZeroPing);
           })
      .add("Sends a WINDOW_UPDATE frame with stream ID 1", "The endpoint MUST accept WINDOW_UPDATE frame.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1));
             conn.write_window_update(1, 1);
             verify_headers_frame(conn, 1);
           });

  // RFC 9113 section 6.10: a header block split over HEADERS and CONTINUATION frames.
  group("generic/3.10", "CONTINUATION")
      .add("Sends a CONTINUATION frame", "The endpoint MUST accept CONTINUATION frame.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             const std::string block = conn.encode_headers(common_headers(c));
             HeadersParam p;
             p.stream = 1;
             p.end_headers = false;
             p.block = block.substr(0, 5);
             conn.write_headers(p);
             conn.write_continuation(1, true, std::string_view(block).substr(5));
             verify_headers_frame(conn, 1);
           })
      .add("Sends multiple CONTINUATION frames", "The endpoint MUST accept multiple CONTINUATION frames.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             const std::string block = conn.encode_headers(common_headers(c));
             HeadersParam p;
             p.stream = 1;
             p.end_headers = false;
             p.block = block.substr(0, 5);
             conn.write_headers(p);
             conn.write_continuation(1, false, std::string_view(block).substr(5, 5));
             conn.write_continuation(1, true, std::string_view(block).substr(10));
             verify_headers_frame(conn, 1);
           });
}

H2CONFORM_CASES(generic_4_5) {
  // RFC 9113 section 8.1: a request is answered on its own stream.
  group("generic/4", "HTTP Message Exchanges")
      .add("Sends a GET request", "The endpoint MUST respond to the request.",
           [](const Config&, Conn& conn) {
             conn.handshake();
             conn.write_headers(request(conn, 1));
             verify_headers_frame(conn, 1);
           })
      .add("Sends a HEAD request", "The endpoint MUST respond to the request.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             conn.write_headers(request_with(conn, 1, with_method(c, "HEAD")));
             verify_headers_frame(conn, 1);
           })
      .add("Sends a POST request", "The endpoint MUST respond to the request.",
           post_then_data)
      .add("Sends a POST request with trailers", "The endpoint MUST respond to the request.",
           [](const Config& c, Conn& conn) {
             conn.handshake();
             Fields fields = post_headers(c);
             fields.emplace_back("trailer", "x-test");
             conn.write_headers(request_with(conn, 1, fields, false));
             conn.write_data(1, false, "test");
             conn.write_headers(request_with(conn, 1, {{"x-test", "ok"}}, true));
             verify_headers_frame(conn, 1);
           });

  // RFC 7541 section 6: each representation appended to (or, for table size updates,
  // put before) an ordinary request block. "user-agent" is static index 58.
  struct Rep {
    const char* desc;
    const char* requirement;
    std::string bytes;
  };
  const char* const kIncr = "The endpoint MUST accept literal header field with incremental indexing";
  const char* const kWithout = "The endpoint MUST accept literal header field without indexing";
  const char* const kNever = "The endpoint MUST accept literal header field never indexed";
  // Literal bodies: "user-agent: h2spec" by indexed name, "x-test: h2spec" by new name,
  // plain and Huffman-coded (RFC 7541 section 5.2, appendix B).
  const std::string ua_plain("\x0a" "user-agent" "\x06" "h2spec");
  const std::string ua_huff("\x87\xb5\x05\xb1\x61\xcc\x5a\x93\x84\x9c\x48\xac\xa4");
  const std::string xt_plain("\x06" "x-test" "\x06" "h2spec");
  const std::string xt_huff("\x85\xf2\xb2\x4a\x84\xff\x84\x9c\x48\xac\xa4");
  // The bytes are h2spec's: its "indexed name" cases carry the name as a literal (index
  // 0), cases 2 and 3 swap the Huffman label, and both never-indexed "new name" cases
  // send the Huffman form.
  const Rep reps[] = {
      {"Sends a literal header field with incremental indexing - indexed name", kIncr, "\x40" + ua_huff},
      {"Sends a literal header field with incremental indexing - indexed name (with Huffman coding)", kIncr,
       "\x40" + ua_plain},
      {"Sends a literal header field with incremental indexing - new name", kIncr, "\x40" + xt_plain},
      {"Sends a literal header field with incremental indexing - new name (with Huffman coding)", kIncr,
       "\x40" + xt_huff},
      {"Sends a literal header field without indexing - indexed name", kWithout, std::string(1, '\0') + ua_plain},
      {"Sends a literal header field without indexing - indexed name (with Huffman coding)", kWithout,
       std::string(1, '\0') + ua_huff},
      {"Sends a literal header field without indexing - new name", kWithout, std::string(1, '\0') + xt_plain},
      {"Sends a literal header field without indexing - new name (huffman encoded)", kWithout,
       std::string(1, '\0') + xt_huff},
      {"Sends a literal header field never indexed - indexed name", kNever, "\x10" + ua_plain},
      {"Sends a literal header field never indexed - indexed name (huffman encoded)", kNever, "\x10" + ua_huff},
      {"Sends a literal header field never indexed - new name", kNever, "\x10" + xt_huff},
      {"Sends a literal header field never indexed - new name (huffman encoded)", kNever, "\x10" + xt_huff},
  };

  Group& g = group("generic/5", "HPACK");
  // RFC 7541 section 6.1: an indexed field from the static table (user-agent, empty).
  g.add("Sends a indexed header field representation", "The endpoint MUST accept indexed header field representation",
        [](const Config& c, Conn& conn) {
          conn.handshake();
          request_with_suffix(conn, c, "\xba");
          verify_headers_frame(conn, 1);
        });
  // RFC 7541 sections 6.2.1 to 6.2.3: literal fields.
  for (const Rep& r : reps) {
    g.add(r.desc, r.requirement, [bytes = r.bytes](const Config& c, Conn& conn) {
      conn.handshake();
      request_with_suffix(conn, c, bytes);
      verify_headers_frame(conn, 1);
    });
  }
  // RFC 7541 section 6.3: the encoder shrinks its table to 128, so the block starts
  // with a size update to 128.
  g.add("Sends a dynamic table size update", "The endpoint MUST accept dynamic table size update",
        [](const Config&, Conn& conn) {
          conn.handshake();
          conn.set_max_dynamic_table_size(128);
          conn.write_headers(request(conn, 1));
          verify_headers_frame(conn, 1);
        });
  // RFC 7541 section 4.2: two updates at the start of a block, 128 then 4096.
  g.add("Sends multiple dynamic table size update", "The endpoint MUST accept multiple dynamic table size update",
        [](const Config& c, Conn& conn) {
          conn.handshake();
          request_with_prefix(conn, c, "\x3f\x61\x3f\xe1\x1f");
          verify_headers_frame(conn, 1);
        });
}

}  // namespace h2conform
