// HTTP/2 behaviour with no HTTP/1 counterpart: streams, settings, flow control,
// RST_STREAM, GOAWAY, ConnState, idle timeout, h2c upgrade.
#include <catch2/catch.hpp>

#include <mutex>
#include <string>

#include "httpkit/httpkit.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/test/server.hpp"
#include "integration/http2_raw.hpp"
#include "integration/modes.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::testing;
using namespace std::chrono_literals;

namespace {

std::uint32_t be32(std::string_view p, std::size_t at) {
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<std::uint8_t>(p[at + i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

}  // namespace

TEST_CASE("h2: the server's SETTINGS and connection window are the documented defaults") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter&, Request&) {});
  RawH2 c(srv.port());
  RawFrame s = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kSettings && !(f.flags & kAck); });
  REQUIRE(s.type == kSettings);
  std::map<int, std::uint32_t> settings;
  for (std::size_t i = 0; i + 6 <= s.payload.size(); i += 6) {
    settings[(static_cast<std::uint8_t>(s.payload[i]) << 8) | static_cast<std::uint8_t>(s.payload[i + 1])] =
        be32(s.payload, i + 2);
  }
  const Http2Config defaults;
  CHECK(settings[0x3] == defaults.max_concurrent_streams);
  CHECK(settings[0x4] == static_cast<std::uint32_t>(defaults.max_upload_buffer_per_stream));
  CHECK(settings[0x5] == defaults.max_read_frame_size);
  CHECK(settings[0x6] == Server::kDefaultMaxHeaderBytes);
  RawFrame wu = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kWindowUpdate && f.stream == 0; });
  REQUIRE(wu.type == kWindowUpdate);
  CHECK(be32(wu.payload, 0) + 65535 == static_cast<std::uint32_t>(defaults.max_upload_buffer_per_connection));
}

TEST_CASE("h2: RST_STREAM mid-body cancels that stream's context only") {
  Event started, ended;
  std::error_code read_err, ctx_err;
  test::Server srv(test::Mode::h2c, [&](ResponseWriter& w, Request& r) {
    if (r.url().path == "/upload") {
      started.set();
      read_err = read_all(r.body()).error();
      ctx_err = r.context().err();
      ended.set();
      return;
    }
    w.write("other stream fine");
  });
  H2Client c(srv.port());
  const auto up = c.submit("POST", "/upload", {}, std::nullopt, {}, /*open_body=*/true);
  c.send_data(up, std::string(10000, 'u'), false);
  REQUIRE(started.wait_for(5s));
  c.reset(up, kCancel);
  REQUIRE(ended.wait_for(5s));
  CHECK(read_err == errc::client_disconnected);
  CHECK(ctx_err == errc::client_disconnected);
  CHECK(c.get("/").body == "other stream fine");
}

TEST_CASE("h2: a response that ends before the request body asks the client to stop (8.1)") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("early answer"); });
  H2Client c(srv.port());
  const auto id = c.submit("POST", "/", {}, std::nullopt, {}, /*open_body=*/true);
  c.send_data(id, "part of a body", false);
  auto& r = c.wait(id);
  CHECK(r.body == "early answer");
  CHECK(r.rst_error == kNoError);  // RST_STREAM(NO_ERROR) closed it, not an error
  CHECK(c.get("/").body == "early answer");
}

TEST_CASE("h2: a write deadline stops a handler whose client does not open its window") {
  std::error_code err;
  Event done;
  test::Server srv(test::Mode::h2c, [&](ResponseWriter& w, Request&) {
    ResponseController(w).set_write_deadline(Clock::now() + 200ms);
    std::string chunk(64 << 10, 'w');
    for (int i = 0; i < 64 && !err; ++i) err = w.write(chunk).err;
    done.set();
  });
  RawH2 c(srv.port());  // default 65,535-byte windows, never updated
  c.headers(1, get_fields());
  REQUIRE(done.wait_for(5s));
  CHECK(err == errc::timeout);
}

TEST_CASE("h2: ConnState is New, Active, Idle, Active, Idle, Closed as Go reports HTTP/2") {
  std::mutex mu;
  std::vector<ConnState> states;
  {
    test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("x"); }, [&](Server& s) {
      s.conn_state = [&](const Conn&, ConnState st) {
        std::lock_guard lock(mu);
        states.push_back(st);
      };
    });
    H2Client c(srv.port());
    c.get("/");
    c.get("/");
  }
  std::lock_guard lock(mu);
  using S = ConnState;
  CHECK(states == std::vector<S>{S::New, S::Active, S::Idle, S::Active, S::Idle, S::Closed});
}

TEST_CASE("h2: an idle connection gets GOAWAY after idle_timeout and closes") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("x"); },
                   [](Server& s) { s.idle_timeout = 200ms; });
  H2Client c(srv.port());
  CHECK(c.get("/").body == "x");
  CHECK(c.pump_until([&] { return c.eof(); }, 5s));
  CHECK(c.goaway());
  CHECK(c.goaway_error() == kNoError);
}

TEST_CASE("h2: shutdown sends GOAWAY to idle HTTP/2 connections and closes them") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("x"); });
  H2Client c(srv.port());
  c.get("/");
  CHECK_FALSE(srv.server().shutdown());
  CHECK(c.pump_until([&] { return c.eof(); }, 5s));
  CHECK(c.goaway());
}

// After a connection error the server stops reading, and closes with input unread,
// which makes the kernel answer with a reset. The client must still see GOAWAY and then
// a clean end: Conn::close shuts the socket down (FIN) before it is closed. (h2spec,
// on Linux, reports a reset as an error, not as the close it expects.)
TEST_CASE("h2: a connection error ends with GOAWAY and a FIN, not a reset, however much the client sent") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("x"); });
  RawH2 c(srv.port());
  // DATA on stream 0 (PROTOCOL_ERROR), then more than one read of the server's (64 KiB).
  std::string bytes = frame(kData, 0, 0, "x");
  while (bytes.size() < (96 << 10)) bytes += frame(kPing, 0, 0, "late-one");
  c.send(bytes);
  RawFrame goaway = read_until(c.sock, c.buf, [](const RawFrame& f) { return f.type == kGoaway; });
  REQUIRE(goaway.type == kGoaway);
  CHECK(error_code_of(goaway) == kProtocolError);
  RawFrame end = read_until(c.sock, c.buf, [](const RawFrame&) { return false; }, 2s);
  CHECK(end.type == -1);
  CHECK_FALSE(c.sock.peer_reset());  // the end came as a FIN, not as a reset
}

TEST_CASE("h2c: a broken connection preface is no HTTP/1.1 request: the connection closes unanswered (3.4)") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request&) { w.write("x"); });
  RawClient c(srv.port());
  c.send("INVALID CONNECTION PREFACE\r\n\r\n");
  CHECK(c.read_all().empty());
  // A refused line that names an HTTP version is still HTTP/1.1's to answer.
  RawClient d(srv.port());
  d.send("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(d.read_all().starts_with("HTTP/1.1 400 "));
}

TEST_CASE("h2c: Upgrade: h2c answers 101 and serves the request as stream 1") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
    w.write(std::string(r.proto()) + " " + std::string(r.url().path) + " " + std::string(r.header().get("X-Keep")));
  });
  Socket s(srv.port(), std::nullopt, 5s);
  s.send("GET /up HTTP/1.1\r\nHost: localhost\r\nX-Keep: yes\r\nConnection: Upgrade, HTTP2-Settings\r\n"
         "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
  std::string buf;
  char tmp[4096];
  while (buf.find("\r\n\r\n") == std::string::npos) {
    const long n = s.recv(tmp, sizeof tmp, 5s);
    REQUIRE(n > 0);
    buf.append(tmp, static_cast<std::size_t>(n));
  }
  CHECK(buf.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
  buf.erase(0, buf.find("\r\n\r\n") + 4);
  s.send(std::string(kPreface) + frame(kSettings, 0, 0, ""));
  RawFrame data = read_until(s, buf, [](const RawFrame& f) { return f.type == kData && f.stream == 1; });
  CHECK(data.payload == "HTTP/2.0 /up yes");
}

TEST_CASE("h2c: Upgrade in an HTTP/1.0 request is ignored (RFC 9110 section 7.8)") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request& r) { w.write(std::string(r.proto())); });
  Socket s(srv.port(), std::nullopt, 5s);
  s.send("GET /up HTTP/1.0\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
         "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
  std::string buf;
  char tmp[4096];
  for (long n; (n = s.recv(tmp, sizeof tmp, 5s)) > 0;) buf.append(tmp, static_cast<std::size_t>(n));
  CHECK(buf.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(buf.ends_with("\r\n\r\nHTTP/1.0"));
}

TEST_CASE("h2c: a plain HTTP/1.1 client is still served, and without h2c the preface is not HTTP/2") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request& r) { w.write(std::string(r.proto())); });
  CHECK(http_get(srv.port(), "/").body == "HTTP/1.1");
  test::Server plain(test::Mode::http1, [](ResponseWriter& w, Request&) { w.write("x"); });
  RawH2 c(plain.port());
  c.headers(1, get_fields());
  CHECK(c.next_end(1).type == -1);  // answered as a bad HTTP/1 request and closed
}

TEST_CASE("h2: many concurrent streams on one connection each get their own handler fiber") {
  std::atomic<int> inside{0}, most{0};
  test::Server srv(test::Mode::h2c, [&](ResponseWriter& w, Request& r) {
    most = std::max(most.load(), ++inside);
    sleep_for(50ms);  // parks the fiber: the other streams run meanwhile
    --inside;
    w.write(std::string(r.url().path));
  });
  H2Client c(srv.port());
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(c.submit("GET", "/" + std::to_string(i)));
  for (int i = 0; i < 50; ++i) CHECK(c.wait(ids[static_cast<std::size_t>(i)]).body == "/" + std::to_string(i));
  CHECK(most.load() > 10);
}

// Requests one after another on a connection are served by the same Stream object, whose
// response head is reused when the handler sets the same fields (StreamResponse::
// snapshot_head): each response must still carry its own head.
TEST_CASE("h2: each response on a reused stream carries its own head, even when it differs little") {
  test::Server srv(test::Mode::h2c, [](ResponseWriter& w, Request& r) {
    const std::string_view path = r.url().path;
    if (path == "/a" || path == "/b") w.header().set("X-Value", path == "/a" ? "aaaa" : "bbbb");
    if (path == "/c") {
      w.header().set("X-Value", "aaaa");
      w.header().set("X-Extra", "1");
    }
    if (path == "/d") w.header().set("X-Other", "aaaa");
    if (path == "/e") w.header().set("X-value", "aaaa");  // canonicalised to X-Value
    if (path == "/bad-length") w.header().set("Content-Length", "abc");
    if (path == "/created") {
      w.header().set("X-Value", "aaaa");
      w.write_header(kStatusCreated);
    }
    w.write(path == "/b" ? "bb" : "a");
  });
  H2Client c(srv.port());
  struct Want {
    std::string path;
    int status;
    std::optional<std::string> value, extra, other, length;
  };
  const Want wants[] = {
      {"/a", 200, "aaaa", {}, {}, "1"},         {"/a", 200, "aaaa", {}, {}, "1"},
      {"/b", 200, "bbbb", {}, {}, "2"},         {"/a", 200, "aaaa", {}, {}, "1"},
      {"/c", 200, "aaaa", "1", {}, "1"},        {"/a", 200, "aaaa", {}, {}, "1"},
      {"/d", 200, {}, {}, "aaaa", "1"},         {"/e", 200, "aaaa", {}, {}, "1"},
      {"/bad-length", 200, {}, {}, {}, "1"},    {"/bad-length", 200, {}, {}, {}, "1"},
      {"/created", 201, "aaaa", {}, {}, "1"},   {"/a", 200, "aaaa", {}, {}, "1"},
  };
  for (const Want& want : wants) {
    INFO(want.path);
    const H2Response& r = c.get(want.path);
    CHECK(r.status == want.status);
    CHECK(r.header("x-value") == want.value);
    CHECK(r.header("x-extra") == want.extra);
    CHECK(r.header("x-other") == want.other);
    CHECK(r.header("content-length") == want.length);
    CHECK(r.header("date").has_value());
    CHECK(r.body == (want.path == "/b" ? "bb" : "a"));
  }
}
