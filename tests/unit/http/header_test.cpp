// Header, canonical_header_key (Go's textproto canonicalHeaderKeyTests) and tokens.
#include <catch2/catch.hpp>

#include <string>

#include "httpkit/header.hpp"

using httpkit::Header;

TEST_CASE("canonical_header_key matches Go's CanonicalMIMEHeaderKey", "[header]") {
  struct Case {
    std::string_view in, out;
  };
  const Case cases[] = {
      {"a-b-c", "A-B-C"},
      {"a-1-c", "A-1-C"},
      {"User-Agent", "User-Agent"},
      {"uSER-aGENT", "User-Agent"},
      {"user-agent", "User-Agent"},
      {"USER-AGENT", "User-Agent"},
      {"foo-bar_baz", "Foo-Bar_baz"},
      {"foo-bar$baz", "Foo-Bar$baz"},
      {"foo-bar~baz", "Foo-Bar~baz"},
      {"foo-bar*baz", "Foo-Bar*baz"},
      {"\xc3\xbcser-agenT", "\xc3\xbcser-agenT"},
      {"a B", "a B"},
      {"C Ontent-Transfer-Encoding", "C Ontent-Transfer-Encoding"},
      {"foo bar", "foo bar"},
      {"", ""},
      {"content-md5", "Content-Md5"},
      {"x--y", "X--Y"},
      {"-x", "-X"},
      {"www-authenticate", "Www-Authenticate"},
  };
  for (const Case& c : cases) {
    INFO("in: " << c.in);
    CHECK(httpkit::canonical_header_key(c.in) == c.out);
  }
}

TEST_CASE("canonicalize_header_key_in_place reports non-token keys", "[header]") {
  std::string good = "x-forwarded-for";
  CHECK(httpkit::canonicalize_header_key_in_place(good.data(), good.size()));
  CHECK(good == "X-Forwarded-For");
  std::string bad = "x forwarded";
  CHECK_FALSE(httpkit::canonicalize_header_key_in_place(bad.data(), bad.size()));
  CHECK(bad == "x forwarded");
  CHECK_FALSE(httpkit::canonicalize_header_key_in_place(bad.data(), 0));
}

TEST_CASE("Header get/values/set/add/del keep arrival order", "[header]") {
  Header h;
  h.add("content-type", "text/plain");
  h.add("X-A", "1");
  h.add("x-a", "2");
  h.add("Set-Cookie", "c=1");
  CHECK(h.get("Content-Type") == "text/plain");
  CHECK(h.get("CONTENT-TYPE") == "text/plain");
  CHECK(h.values("x-a") == std::vector<std::string_view>{"1", "2"});
  CHECK(h.begin()->name == "Content-Type");  // stored canonical
  h.set("x-a", "3");
  REQUIRE(h.size() == 3);
  CHECK((h.begin() + 1)->name == "X-A");  // set keeps the first position
  CHECK((h.begin() + 1)->value == "3");
  CHECK(h.values("X-A").size() == 1);
  h.del("content-type");
  CHECK_FALSE(h.has("Content-Type"));
  CHECK(h.get("missing").empty());
  h.set("New", "v");
  CHECK(h.get("new") == "v");
}

TEST_CASE("Header copies own their bytes and clear keeps working", "[header]") {
  Header h{{"a", "1"}};
  std::string long_value(2000, 'x');  // bigger than one arena block
  h.add("Long", long_value);
  Header copy = h;
  h.clear();
  CHECK(h.empty());
  h.add("b", "2");
  CHECK(h.get("B") == "2");
  CHECK(copy.get("A") == "1");
  CHECK(copy.get("Long") == long_value);
  Header moved = std::move(copy);
  CHECK(moved.get("Long") == long_value);
  for (int i = 0; i < 200; ++i) h.add("K" + std::to_string(i), std::to_string(i));
  CHECK(h.get("k199") == "199");
  CHECK(h.get("B") == "2");
}

TEST_CASE("Header arena blocks: skipped when too small, reused after clear, not shared after a move", "[header]") {
  Header h;
  const std::string big(600, 'b'), small(300, 's'), huge(5000, 'h');
  h.add("A", small);  // the first block: 512 bytes
  h.add("B", big);    // too big for the room left: a block of its own
  h.add("C", small);  // past the first block, which is skipped until clear
  h.add("D", huge);
  CHECK(h.get("A") == small);
  CHECK(h.get("B") == big);
  CHECK(h.get("C") == small);
  CHECK(h.get("D") == huge);
  for (int round = 0; round < 3; ++round) {  // clear reuses the blocks, values stay apart
    h.clear();
    for (int i = 0; i < 40; ++i) h.add("K" + std::to_string(i), std::string(50 + i, static_cast<char>('a' + i % 26)));
    for (int i = 0; i < 40; ++i) {
      INFO("round " << round << " field " << i);
      CHECK(h.get("K" + std::to_string(i)) == std::string(50 + i, static_cast<char>('a' + i % 26)));
    }
  }
  Header moved = std::move(h);
  h.add("After", "move");  // h owns a fresh arena, not moved's blocks
  moved.add("Zzzzz", "zzzz");  // would land on h's bytes if h still wrote into moved's block
  moved.add("Also", std::string(700, 'm'));
  CHECK(h.begin()->name == "After");
  CHECK(h.get("After") == "move");
  CHECK(h.size() == 1);
  CHECK(moved.get("K39") == std::string(89, 'a' + 39 % 26));
  CHECK(moved.get("Also") == std::string(700, 'm'));
  Header assigned;
  assigned.add("X", "1");
  assigned = std::move(moved);
  moved.add("Again", "ok");
  CHECK(assigned.get("K0") == std::string(50, 'a'));
  CHECK(moved.get("Again") == "ok");
}

TEST_CASE("add_view stores views without copying", "[header]") {
  std::string buf = "Host-Name";
  Header h;
  h.add_view(std::string_view(buf).substr(0, 4), std::string_view(buf).substr(5));
  CHECK(h.get("host") == "Name");
  CHECK(h.begin()->value.data() == buf.data() + 5);
}

TEST_CASE("header_values_contain_token and equal_fold", "[header]") {
  struct Case {
    std::string_view list, token;
    bool want;
  };
  const Case cases[] = {
      {"close", "close", true},
      {"keep-alive, Upgrade", "upgrade", true},
      {"keep-alive,Upgrade", "UPGRADE", true},
      {"  close  ", "close", true},
      {"\tclose\t,x", "close", true},
      {"closed", "close", false},
      {"", "close", false},
      {"foo,,close", "close", true},
      {"clo se", "close", false},
  };
  for (const Case& c : cases) {
    INFO(c.list << " / " << c.token);
    CHECK(httpkit::header_values_contain_token(c.list, c.token) == c.want);
  }
  CHECK(httpkit::equal_fold("Chunked", "cHUNKED"));
  CHECK_FALSE(httpkit::equal_fold("chunked", "chunke"));
  CHECK_FALSE(httpkit::equal_fold("a", "\x81"));
}

TEST_CASE("equal_fold compares whole words, then folds from the first difference", "[header]") {
  CHECK(httpkit::equal_fold("Access-Control-Allow-Origin", "access-control-allow-origin"));
  CHECK(httpkit::equal_fold("Access-Control-Allow-Origin", "Access-Control-Allow-OrigiN"));
  CHECK_FALSE(httpkit::equal_fold("Access-Control-Allow-Origin", "Access-Control-Allow-Origix"));
  CHECK_FALSE(httpkit::equal_fold("X-Request-Id", "X-Request-Ie"));
  CHECK_FALSE(httpkit::equal_fold("a^", "a~"));  // 0x5E and 0x7E differ by the case bit, yet are not letters
  CHECK(httpkit::equal_fold("", ""));
  // Names of four to seven bytes are compared as two overlapping four-byte words.
  CHECK(httpkit::equal_fold("Host", "host"));
  CHECK(httpkit::equal_fold("Trailer", "TRAILER"));
  CHECK_FALSE(httpkit::equal_fold("Trailer", "Trailex"));
  CHECK_FALSE(httpkit::equal_fold("Xailer", "Trailr"));
  CHECK_FALSE(httpkit::equal_fold("Date", "Datf"));
  // Eight bytes and more: the last word overlaps the others.
  CHECK(httpkit::equal_fold("Content-Type", "Content-Type"));
  CHECK_FALSE(httpkit::equal_fold("Content-Type", "Content-Typf"));
  CHECK_FALSE(httpkit::equal_fold("Content-Type", "Dontent-Type"));
  CHECK(httpkit::equal_fold("Location", "LOCATION"));
  CHECK_FALSE(httpkit::equal_fold("Location", "Locatiom"));
}

TEST_CASE("every common field name is interned, in any case; near misses are not", "[header]") {
  // Interned names point at one static text: two headers share the bytes.
  auto interned = [](std::string_view name) {
    Header a, b;
    a.add(name, "1");
    b.add(name, "2");
    return a.begin()->name.data() == b.begin()->name.data();
  };
  for (std::string_view name : {"Accept", "accept-encoding", "ACCEPT-LANGUAGE", "access-control-allow-origin",
                                "allow", "Authorization", "cache-control", "Connection", "content-encoding",
                                "CONTENT-LENGTH", "content-type", "Cookie", "date", "ETAG", "expires", "host",
                                "if-modified-since", "If-None-Match", "last-modified", "location", "retry-after",
                                "server", "set-cookie", "trailer", "transfer-encoding", "upgrade", "user-agent",
                                "vary", "x-forwarded-for", "x-request-id"}) {
    INFO(name);
    CHECK(interned(name));
  }
  // Same length and last letter as a common name, but not it; and names of other lengths.
  for (std::string_view name : {"Dade", "Accept-Encodinf", "Accept-Lenguage", "Content-Typ3", "Hosu", "X-Custom"}) {
    INFO(name);
    CHECK_FALSE(interned(name));
  }
}

TEST_CASE("common field names are stored as their static canonical text", "[header]") {
  Header h;
  h.add("content-TYPE", "text/plain");
  h.add("x-custom-name", "1");
  h.set("SERVER", "httpkit");
  const auto first = *h.begin();
  CHECK(first.name == "Content-Type");
  CHECK(std::next(h.begin())->name == "X-Custom-Name");
  CHECK(std::next(h.begin(), 2)->name == "Server");
  CHECK(h.get("Content-Type") == "text/plain");
  // A copy keeps its names valid after the original is gone, common or not.
  Header copy;
  {
    Header tmp = h;
    copy = tmp;
  }
  CHECK(copy.get("content-type") == "text/plain");
  CHECK(copy.get("X-CUSTOM-NAME") == "1");
  // Names that only resemble common ones are canonicalised, not interned.
  h.add("content-typo", "x");
  CHECK(std::next(h.begin(), 3)->name == "Content-Typo");
  h.add("etag", "\"v1\"");
  CHECK(std::next(h.begin(), 4)->name == "Etag");  // Go's spelling
}
