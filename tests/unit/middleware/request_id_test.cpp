// request_id: keeps valid incoming ids, mints UUIDv7s, exposes the id in the context.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "httpkit/middleware/request_id.hpp"
#include "httpkit/test/request.hpp"
#include "httpkit/test/response_recorder.hpp"

using namespace httpkit;
using namespace httpkit::middleware;

namespace {

std::string seen_id(const std::string& incoming) {
  std::string seen;
  Handler h = request_id()([&](ResponseWriter&, Request& r) { seen = std::string(request_id_of(r)); });
  Request r = test::new_request("GET", "/");
  if (!incoming.empty()) r.header().set("X-Request-Id", incoming);
  test::ResponseRecorder w;
  h(w, r);
  CHECK(std::string(w.header().get("X-Request-Id")) == seen);
  CHECK(request_id_of(r).empty());  // the context is restored after the handler
  return seen;
}

}  // namespace

TEST_CASE("request_id keeps a valid incoming id and replaces an invalid one", "[request_id]") {
  CHECK(seen_id("abc-123_x.y") == "abc-123_x.y");
  const std::string replaced = seen_id("bad id\"with<quotes>");
  CHECK(replaced != "bad id\"with<quotes>");
  CHECK(replaced.size() == 36);
  CHECK(seen_id(std::string(129, 'a')).size() == 36);
}

TEST_CASE("new_request_id makes unique, time-ordered UUIDv7s", "[request_id]") {
  const std::regex uuid7("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  std::string previous;
  for (int i = 0; i < 10000; ++i) {
    std::string id = new_request_id();
    REQUIRE(std::regex_match(id, uuid7));
    CHECK(id.substr(0, 13) >= previous.substr(0, std::min<std::size_t>(13, previous.size())));  // ms prefix never goes back
    previous = id;
    ids.insert(id);
  }
  CHECK(ids.size() == 10000);
}
