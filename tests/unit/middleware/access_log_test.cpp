// access_log: lines parsed back (JSON and logfmt), secrets left out, hijacked and
// aborted requests counted.
#include <catch2/catch.hpp>

#include <map>
#include <thread>

#include "httpkit/middleware/access_log.hpp"
#include "httpkit/middleware/request_id.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/serve_mux.hpp"
#include "httpkit/test/server.hpp"
#include "support.hpp"
#include "support/raw_client.hpp"

using namespace httpkit;
using namespace httpkit::middleware;
using httpkit::testing::RawClient;

namespace {

// parse_json_line reads one flat JSON object of string and number values.
std::map<std::string, std::string> parse_json_line(const std::string& line) {
  std::map<std::string, std::string> out;
  std::size_t i = 1;
  REQUIRE(line.front() == '{');
  REQUIRE(line.back() == '}');
  auto read_string = [&] {
    std::string s;
    REQUIRE(line[i] == '"');
    for (++i; line[i] != '"'; ++i) {
      if (line[i] == '\\') ++i;
      s.push_back(line[i]);
    }
    ++i;
    return s;
  };
  while (i < line.size() - 1) {
    std::string key = read_string();
    REQUIRE(line[i++] == ':');
    std::string value;
    if (line[i] == '"') {
      value = read_string();
    } else {
      while (line[i] != ',' && line[i] != '}') value.push_back(line[i++]);
    }
    out[key] = value;
    if (line[i] == ',') ++i;
  }
  return out;
}

std::map<std::string, std::string> parse_logfmt_line(const std::string& line) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::size_t eq = line.find('=', i);
    std::string key = line.substr(i, eq - i);
    i = eq + 1;
    std::string value;
    if (line[i] == '"') {
      for (++i; line[i] != '"'; ++i) {
        if (line[i] == '\\') ++i;
        value.push_back(line[i]);
      }
      ++i;
    } else {
      while (i < line.size() && line[i] != ' ') value.push_back(line[i++]);
    }
    out[key] = value;
    ++i;  // the space
  }
  return out;
}

std::vector<std::string> wait_lines(const std::string& path, std::size_t n) {
  for (int tries = 0; tries < 500; ++tries) {
    std::vector<std::string> lines;
    std::istringstream in(mwtest::read_file(path));
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    if (lines.size() >= n) return lines;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("access log has fewer than " << n << " lines");
  return {};
}

ServeMux app() {
  ServeMux mux;
  mux.handle("GET /items/{id}", [](ResponseWriter& w, Request&) { w.write("item!"); });
  mux.handle("GET /boom", [](ResponseWriter&, Request&) { throw std::runtime_error("boom"); });
  mux.handle("GET /ws", [](ResponseWriter& w, Request&) {
    w.write_header(101);
    if (auto hj = ResponseController(w).hijack()) hj->conn->close();
  });
  return mux;
}

}  // namespace

TEST_CASE("access_log writes JSON lines that parse back", "[access_log]") {
  const std::string path = mwtest::temp_path("access.json.log");
  std::remove(path.c_str());
  AccessLogOptions o;
  o.logger = async_file_logger("access-json", path);
  o.headers = {"Authorization", "X-Trace"};
  test::Server srv(chain(app(), {request_id(), access_log(o)}));
  mwtest::curl("-H 'User-Agent: tester/1.0' -H 'Authorization: Bearer s3cret' -H 'X-Trace: t1' -H 'X-Request-Id: rid-1' '" +
               srv.url() + "/items/7?token=hunter2'");
  {
    RawClient c(srv.port());
    c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
    c.read_all();
  }
  mwtest::curl("--max-time 3 " + srv.url() + "/ws");
  auto lines = wait_lines(path, 3);
  const std::string all = mwtest::read_file(path);
  CHECK(all.find("hunter2") == std::string::npos);  // no query by default
  CHECK(all.find("s3cret") == std::string::npos);   // credentials redacted
  std::map<std::string, std::map<std::string, std::string>> by_path;
  for (const auto& l : lines) {
    auto f = parse_json_line(l);
    by_path[f["path"]] = f;
  }
  auto& item = by_path["/items/7"];
  CHECK(item["method"] == "GET");
  CHECK(item["route"] == "GET /items/{id}");
  CHECK(item["status"] == "200");
  CHECK(item["bytes"] == "5");
  CHECK(item["user_agent"] == "tester/1.0");
  CHECK(item["request_id"] == "rid-1");
  CHECK(item["Authorization"] == "[redacted]");
  CHECK(item["X-Trace"] == "t1");
  CHECK(item["remote_addr"].starts_with("127.0.0.1:"));
  CHECK(std::stod(item["duration_ms"]) >= 0);
  CHECK(item["time"].size() == 24);
  CHECK(by_path["/boom"]["aborted"] == "true");
  CHECK(by_path["/boom"]["status"] == "0");
  CHECK(by_path["/ws"]["hijacked"] == "true");
  CHECK(by_path["/ws"]["status"] == "101");
}

TEST_CASE("access_log logfmt, with the query when asked", "[access_log]") {
  const std::string path = mwtest::temp_path("access.logfmt.log");
  std::remove(path.c_str());
  AccessLogOptions o;
  o.logger = async_file_logger("access-logfmt", path);
  o.format = AccessLogOptions::Format::logfmt;
  o.log_query = true;
  test::Server srv(chain(app(), {access_log(o)}));
  mwtest::curl("-A 'a \"quoted\" agent' '" + srv.url() + "/items/9?page=2'");
  auto lines = wait_lines(path, 1);
  auto f = parse_logfmt_line(lines[0]);
  CHECK(f["route"] == "GET /items/{id}");
  CHECK(f["path"] == "/items/9");
  CHECK(f["query"] == "page=2");
  CHECK(f["status"] == "200");
  CHECK(f["user_agent"] == "a \"quoted\" agent");
  CHECK(f["request_id"].empty());
}
