// The pass rules: what a case accepts as the server's answer (h2spec's verifier.go).
// A connection that closes passes every error rule, as in h2spec: RFC 9113 section
// 5.4.1 lets an endpoint close the TCP connection after a connection error.
#include <algorithm>

#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

bool one_of(std::initializer_list<std::uint32_t> codes, std::uint32_t code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// until reads events until accept says so, or the connection ends or goes quiet; it
// fails with expected and the most telling event seen (a frame over a timeout).
template <class Accept>
void until(Conn& conn, std::vector<std::string> expected, Accept accept) {
  Event actual;
  bool have_actual = false;
  while (!conn.closed) {
    Event ev = conn.wait_event();
    if (accept(ev)) return;
    if (ev.kind != EventKind::timeout || !have_actual) {
      actual = ev;
      have_actual = true;
    }
  }
  fail(std::move(expected), actual.describe());
}

std::vector<std::string> expected_codes(std::initializer_list<std::uint32_t> codes, bool rst_too) {
  std::vector<std::string> out;
  for (std::uint32_t c : codes) {
    out.push_back("GOAWAY Frame (Error Code: " + error_code_name(c) + ")");
    if (rst_too) out.push_back("RST_STREAM Frame (Error Code: " + error_code_name(c) + ")");
  }
  out.push_back("Connection closed");
  return out;
}

}  // namespace

void fail(std::vector<std::string> expected, std::string actual) { throw Failure{std::move(expected), std::move(actual)}; }

void verify_connection_close(Conn& conn) {
  until(conn, {"Connection closed"}, [](const Event& ev) { return ev.kind == EventKind::closed; });
}

void verify_connection_error(Conn& conn, std::initializer_list<std::uint32_t> codes) {
  until(conn, expected_codes(codes, false), [&](const Event& ev) {
    return ev.kind == EventKind::closed || (ev.is(kGoaway) && one_of(codes, ev.frame.error_code()));
  });
}

void verify_stream_error(Conn& conn, std::initializer_list<std::uint32_t> codes) {
  until(conn, expected_codes(codes, true), [&](const Event& ev) {
    return ev.kind == EventKind::closed ||
           ((ev.is(kGoaway) || ev.is(kRstStream)) && one_of(codes, ev.frame.error_code()));
  });
}

void verify_stream_close(Conn& conn) {
  until(conn, {"Stream closed"}, [](const Event& ev) {
    return (ev.kind == EventKind::frame && ev.frame.end_stream()) ||
           (ev.is(kRstStream) && ev.frame.error_code() == kNoError);
  });
}

void verify_event_type(Conn& conn, std::uint8_t type) {
  auto [ev, ok] = conn.wait_event_by_type(type);
  if (!ok) fail({frame_type_name(type) + " Frame"}, ev.describe());
}

// The next three look at the first frame of their type only: a wrong one fails.
void verify_headers_frame(Conn& conn, std::uint32_t stream) {
  auto [ev, ok] = conn.wait_event_by_type(kHeaders);
  if (!ok || ev.frame.stream != stream) fail({"HEADERS Frame (stream_id:" + std::to_string(stream) + ")"}, ev.describe());
}

void verify_ping_ack(Conn& conn, std::string_view data8) {
  auto [ev, ok] = conn.wait_event_by_type(kPing);
  if (!ok || !ev.frame.has(kAck) || ev.frame.payload != data8) {
    fail({"PING Frame (length:8, flags:0x01, stream_id:0, opaque_data:" + std::string(data8) + ")"},
         ok ? ev.describe() + " opaque_data:" + ev.frame.payload : ev.describe());
  }
}

void verify_settings_ack(Conn& conn) {
  auto [ev, ok] = conn.wait_event_by_type(kSettings);
  if (!ok || !ev.frame.has(kAck)) fail({"SETTINGS Frame (length:0, flags:0x01, stream_id:0)"}, ev.describe());
}

void verify_ping_ack_or_connection_close(Conn& conn, std::string_view data8) {
  until(conn, {"Connection closed", "PING Frame (length:8, flags:0x01, stream_id:0, opaque_data:" + std::string(data8) + ")"},
        [&](const Event& ev) {
          return ev.kind == EventKind::closed || (ev.is(kPing) && ev.frame.has(kAck) && ev.frame.payload == data8);
        });
}

}  // namespace h2conform
