// URL, escaping and query tables generated from Go 1.23's net/url url_test.go inputs
// (urltests, unescapeTests, queryEscapeTests, pathEscapeTests, parseRequestURLTests,
// parseTests), with Go's own outputs as the expected values.
#include <catch2/catch.hpp>

#include "http/url_escape.hpp"
#include "httpkit/url.hpp"

using httpkit::URL;

namespace {

struct ParseCase {
  std::string_view in, scheme, opaque, user, host, path, raw_path, raw_query, fragment;
  bool force_query;
  std::string_view string;
};
const ParseCase kParseCases[] = {
    {"http://www.google.com", "http", "", "", "www.google.com", "", "", "", "", false, "http://www.google.com"},
    {"http://www.google.com/", "http", "", "", "www.google.com", "/", "", "", "", false, "http://www.google.com/"},
    {"http://www.google.com/file%20one%26two", "http", "", "", "www.google.com", "/file one&two", "/file%20one%26two", "", "", false, "http://www.google.com/file%20one%26two"},
    {"ftp://webmaster@www.google.com/", "ftp", "", "webmaster", "www.google.com", "/", "", "", "", false, "ftp://webmaster@www.google.com/"},
    {"http://www.google.com/\?", "http", "", "", "www.google.com", "/", "", "", "", true, "http://www.google.com/\?"},
    {"http://www.google.com/\?foo=bar\?", "http", "", "", "www.google.com", "/", "", "foo=bar\?", "", false, "http://www.google.com/\?foo=bar\?"},
    {"http://www.google.com/\?q=go+language", "http", "", "", "www.google.com", "/", "", "q=go+language", "", false, "http://www.google.com/\?q=go+language"},
    {"http://www.google.com/\?q=go%20language", "http", "", "", "www.google.com", "/", "", "q=go%20language", "", false, "http://www.google.com/\?q=go%20language"},
    {"http://www.google.com/a%20b\?q=c+d", "http", "", "", "www.google.com", "/a b", "", "q=c+d", "", false, "http://www.google.com/a%20b\?q=c+d"},
    {"http:www.google.com/\?q=go+language", "http", "www.google.com/", "", "", "", "", "q=go+language", "", false, "http:www.google.com/\?q=go+language"},
    {"http:%2f%2fwww.google.com/\?q=go+language", "http", "%2f%2fwww.google.com/", "", "", "", "", "q=go+language", "", false, "http:%2f%2fwww.google.com/\?q=go+language"},
    {"mailto:webmaster@golang.org", "mailto", "webmaster@golang.org", "", "", "", "", "", "", false, "mailto:webmaster@golang.org"},
    {"/foo\?query=http://bad", "", "", "", "", "/foo", "", "query=http://bad", "", false, "/foo\?query=http://bad"},
    {"//foo", "", "", "", "foo", "", "", "", "", false, "//foo"},
    {"//user@foo/path\?a=b", "", "", "user", "foo", "/path", "", "a=b", "", false, "//user@foo/path\?a=b"},
    {"///threeslashes", "", "", "", "", "///threeslashes", "", "", "", false, "///threeslashes"},
    {"http://user:password@google.com", "http", "", "user:password", "google.com", "", "", "", "", false, "http://user:password@google.com"},
    {"http://www.google.com/\?q=go+language#foo", "http", "", "", "www.google.com", "/", "", "q=go+language", "foo", false, "http://www.google.com/\?q=go+language#foo"},
    {"http://www.google.com/\?q=go+language#foo&bar", "http", "", "", "www.google.com", "/", "", "q=go+language", "foo&bar", false, "http://www.google.com/\?q=go+language#foo&bar"},
    {"file:///home/adg/rabbits", "file", "", "", "", "/home/adg/rabbits", "", "", "", false, "file:///home/adg/rabbits"},
    {"file:///C:/FooBar/Baz.txt", "file", "", "", "", "/C:/FooBar/Baz.txt", "", "", "", false, "file:///C:/FooBar/Baz.txt"},
    {"MaIlTo:webmaster@golang.org", "mailto", "webmaster@golang.org", "", "", "", "", "", "", false, "mailto:webmaster@golang.org"},
    {"a/b/c", "", "", "", "", "a/b/c", "", "", "", false, "a/b/c"},
    {"http://192.168.0.1/", "http", "", "", "192.168.0.1", "/", "", "", "", false, "http://192.168.0.1/"},
    {"http://192.168.0.1:8080/", "http", "", "", "192.168.0.1:8080", "/", "", "", "", false, "http://192.168.0.1:8080/"},
    {"http://[fe80::1]/", "http", "", "", "[fe80::1]", "/", "", "", "", false, "http://[fe80::1]/"},
    {"http://[fe80::1]:8080/", "http", "", "", "[fe80::1]:8080", "/", "", "", "", false, "http://[fe80::1]:8080/"},
    {"http://[fe80::1%25en0]/", "http", "", "", "[fe80::1%en0]", "/", "", "", "", false, "http://[fe80::1%25en0]/"},
    {"http://[fe80::1%25en0]:8080/", "http", "", "", "[fe80::1%en0]:8080", "/", "", "", "", false, "http://[fe80::1%25en0]:8080/"},
    {"http://[fe80::1%25%65%6e%301-._~]/", "http", "", "", "[fe80::1%en01-._~]", "/", "", "", "", false, "http://[fe80::1%25en01-._~]/"},
    {"http://[fe80::1%25%65%6e%301-._~]:8080/", "http", "", "", "[fe80::1%en01-._~]:8080", "/", "", "", "", false, "http://[fe80::1%25en01-._~]:8080/"},
    {"http://rest.rsc.io/foo%2fbar/baz%2Fquux\?alt=media", "http", "", "", "rest.rsc.io", "/foo/bar/baz/quux", "/foo%2fbar/baz%2Fquux", "alt=media", "", false, "http://rest.rsc.io/foo%2fbar/baz%2Fquux\?alt=media"},
    {"mysql://a,b,c/bar", "mysql", "", "", "a,b,c", "/bar", "", "", "", false, "mysql://a,b,c/bar"},
    {"scheme://!$&'()*+,;=hello!:1/path", "scheme", "", "", "!$&'()*+,;=hello!:1", "/path", "", "", "", false, "scheme://!$&'()*+,;=hello!:1/path"},
    {"http://host/!$&'()*+,;=:@[hello]", "http", "", "", "host", "/!$&'()*+,;=:@[hello]", "/!$&'()*+,;=:@[hello]", "", "", false, "http://host/!$&'()*+,;=:@[hello]"},
    {"http://example.com/oid/[order_id]", "http", "", "", "example.com", "/oid/[order_id]", "/oid/[order_id]", "", "", false, "http://example.com/oid/[order_id]"},
    {"http://192.168.0.2:8080/foo", "http", "", "", "192.168.0.2:8080", "/foo", "", "", "", false, "http://192.168.0.2:8080/foo"},
    {"http://192.168.0.2:/foo", "http", "", "", "192.168.0.2:", "/foo", "", "", "", false, "http://192.168.0.2:/foo"},
    {"http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo", "http", "", "", "2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080", "/foo", "", "", "", false, "http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo"},
    {"http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:/foo", "http", "", "", "2b01:e34:ef40:7730:8e70:5aff:fefe:edac:", "/foo", "", "", "", false, "http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:/foo"},
    {"http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080/foo", "http", "", "", "[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080", "/foo", "", "", "", false, "http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080/foo"},
    {"http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:/foo", "http", "", "", "[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:", "/foo", "", "", "", false, "http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:/foo"},
    {"http://hello.\344\270\226\347\225\214.com/foo", "http", "", "", "hello.\344\270\226\347\225\214.com", "/foo", "", "", "", false, "http://hello.%E4%B8%96%E7%95%8C.com/foo"},
    {"http://hello.%e4%b8%96%e7%95%8c.com/foo", "http", "", "", "hello.\344\270\226\347\225\214.com", "/foo", "", "", "", false, "http://hello.%E4%B8%96%E7%95%8C.com/foo"},
    {"http://hello.%E4%B8%96%E7%95%8C.com/foo", "http", "", "", "hello.\344\270\226\347\225\214.com", "/foo", "", "", "", false, "http://hello.%E4%B8%96%E7%95%8C.com/foo"},
    {"http://example.com//foo", "http", "", "", "example.com", "//foo", "", "", "", false, "http://example.com//foo"},
    {"myscheme://authority<\"hi\">/foo", "myscheme", "", "", "authority<\"hi\">", "/foo", "", "", "", false, "myscheme://authority<\"hi\">/foo"},
    {"tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020", "tcp", "", "", "[2020::2020:20:2020:2020%Windows Loves Spaces]:2020", "", "", "", "", false, "tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020"},
    {"magnet:\?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn", "magnet", "", "", "", "", "", "xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn", "", false, "magnet:\?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn"},
    {"mailto:\?subject=hi", "mailto", "", "", "", "", "", "subject=hi", "", false, "mailto:\?subject=hi"},
};

struct UnescapeCase {
  std::string_view in, query;
  bool query_ok;
  std::string_view path;
  bool path_ok;
};
const UnescapeCase kUnescapeCases[] = {
    {"", "", true, "", true},
    {"abc", "abc", true, "abc", true},
    {"1%41", "1A", true, "1A", true},
    {"1%41%42%43", "1ABC", true, "1ABC", true},
    {"%4a", "J", true, "J", true},
    {"%6F", "o", true, "o", true},
    {"%", "", false, "", false},
    {"%a", "", false, "", false},
    {"%1", "", false, "", false},
    {"123%45%6", "", false, "", false},
    {"%zzzzz", "", false, "", false},
    {"a+b", "a b", true, "a+b", true},
    {"a%20b", "a b", true, "a b", true},
};

struct EscapeCase {
  std::string_view in, query, path;
};
const EscapeCase kEscapeCases[] = {
    {"", "", ""},
    {"abc", "abc", "abc"},
    {"one two", "one+two", "one%20two"},
    {"10%", "10%25", "10%25"},
    {" \?&=#+%!<>#\"{}|\\^[]`\342\230\272\011:/@$'()*,;", "+%3F%26%3D%23%2B%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09%3A%2F%40%24%27%28%29%2A%2C%3B", "%20%3F&=%23+%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09:%2F@$%27%28%29%2A%2C%3B"},
    {"", "", ""},
    {"abc", "abc", "abc"},
    {"abc+def", "abc%2Bdef", "abc+def"},
    {"a/b", "a%2Fb", "a%2Fb"},
    {"one two", "one+two", "one%20two"},
    {"10%", "10%25", "10%25"},
    {" \?&=#+%!<>#\"{}|\\^[]`\342\230\272\011:/@$'()*,;", "+%3F%26%3D%23%2B%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09%3A%2F%40%24%27%28%29%2A%2C%3B", "%20%3F&=%23+%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09:%2F@$%27%28%29%2A%2C%3B"},
    {"a b/c;d,e\?f@g:h=i&j+k~l", "a+b%2Fc%3Bd%2Ce%3Ff%40g%3Ah%3Di%26j%2Bk~l", "a%20b%2Fc%3Bd%2Ce%3Ff@g:h=i&j+k~l"},
};

struct RequestUriCase {
  std::string_view in;
  bool ok;
  std::string_view scheme, host, path, raw_path, raw_query, request_uri;
};
const RequestUriCase kRequestUriCases[] = {
    {"/", true, "", "", "/", "", "", "/"},
    {"/a/b", true, "", "", "/a/b", "", "", "/a/b"},
    {"/a%2Fb", true, "", "", "/a/b", "/a%2Fb", "", "/a%2Fb"},
    {"/a b", true, "", "", "/a b", "/a b", "", "/a%20b"},
    {"/%zz", false, "", "", "", "", "", ""},
    {"http://foo.com/a\?b=c", true, "http", "foo.com", "/a", "", "b=c", "/a\?b=c"},
    {"http://foo.com", true, "http", "foo.com", "", "", "", "/"},
    {"*", true, "", "", "*", "", "", "*"},
    {"foo", false, "", "", "", "", "", ""},
    {"", false, "", "", "", "", "", ""},
    {"/a\?", true, "", "", "/a", "", "", "/a\?"},
    {"/a\?b\?c", true, "", "", "/a", "", "b\?c", "/a\?b\?c"},
    {"/a#frag", true, "", "", "/a#frag", "/a#frag", "", "/a%23frag"},
    {"//x/y", true, "", "", "//x/y", "", "", "//x/y"},
    {"https://[::1]:8080/p", true, "https", "[::1]:8080", "/p", "", "", "/p"},
    {"http://[fe80::1%25en0]/", true, "http", "[fe80::1%en0]", "/", "", "", "/"},
    {"http://a b/", false, "", "", "", "", "", ""},
    {"http://x:port/", false, "", "", "", "", "", ""},
    {"/\177", false, "", "", "", "", "", ""},
    {"/\001", false, "", "", "", "", "", ""},
    {"/\303\251", true, "", "", "/\303\251", "/\303\251", "", "/%C3%A9"},
    {"http://user:pa%20ss@host/p", true, "http", "host", "/p", "", "", "/p"},
    {"http:opaque", true, "http", "", "", "", "", "opaque"},
    {"/a/../b", true, "", "", "/a/../b", "", "", "/a/../b"},
    {"HTTP://Example.COM/", true, "http", "Example.COM", "/", "", "", "/"},
    {"http://foo.com", true, "http", "foo.com", "", "", "", "/"},
    {"http://foo.com/", true, "http", "foo.com", "/", "", "", "/"},
    {"http://foo.com/path", true, "http", "foo.com", "/path", "", "", "/path"},
    {"/", true, "", "", "/", "", "", "/"},
    {"//not.a.user@not.a.host/just/a/path", true, "", "", "//not.a.user@not.a.host/just/a/path", "", "", "//not.a.user@not.a.host/just/a/path"},
    {"//not.a.user@%66%6f%6f.com/just/a/path/also", true, "", "", "//not.a.user@foo.com/just/a/path/also", "//not.a.user@%66%6f%6f.com/just/a/path/also", "", "//not.a.user@%66%6f%6f.com/just/a/path/also"},
    {"*", true, "", "", "*", "", "", "*"},
    {"http://192.168.0.1/", true, "http", "192.168.0.1", "/", "", "", "/"},
    {"http://192.168.0.1:8080/", true, "http", "192.168.0.1:8080", "/", "", "", "/"},
    {"http://[fe80::1]/", true, "http", "[fe80::1]", "/", "", "", "/"},
    {"http://[fe80::1]:8080/", true, "http", "[fe80::1]:8080", "/", "", "", "/"},
    {"http://[fe80::1%25en0]/", true, "http", "[fe80::1%en0]", "/", "", "", "/"},
    {"http://[fe80::1%25en0]:8080/", true, "http", "[fe80::1%en0]:8080", "/", "", "", "/"},
    {"http://[fe80::1%25%65%6e%301-._~]/", true, "http", "[fe80::1%en01-._~]", "/", "", "", "/"},
    {"http://[fe80::1%25%65%6e%301-._~]:8080/", true, "http", "[fe80::1%en01-._~]:8080", "/", "", "", "/"},
    {"foo.html", false, "", "", "", "", "", ""},
    {"../dir/", false, "", "", "", "", "", ""},
    {" http://foo.com", false, "", "", "", "", "", ""},
    {"http://192.168.0.%31/", false, "", "", "", "", "", ""},
    {"http://192.168.0.%31:8080/", false, "", "", "", "", "", ""},
    {"http://[fe80::%31]/", false, "", "", "", "", "", ""},
    {"http://[fe80::%31]:8080/", false, "", "", "", "", "", ""},
    {"http://[fe80::%31%25en0]/", false, "", "", "", "", "", ""},
    {"http://[fe80::%31%25en0]:8080/", false, "", "", "", "", "", ""},
    {"http://[fe80::1%en0]/", false, "", "", "", "", "", ""},
    {"http://[fe80::1%en0]:8080/", false, "", "", "", "", "", ""},
};

struct QueryCase {
  std::string_view query;
  bool ok;
  std::string_view encoded;
};
const QueryCase kQueryCases[] = {
    {"a=1", true, "a=1"},
    {"a=1&b=2", true, "a=1&b=2"},
    {"a=1&a=2&a=banana", true, "a=1&a=2&a=banana"},
    {"ascii=%3Ckey%3A+0x90%3E", true, "ascii=%3Ckey%3A+0x90%3E"},
    {"a=1;b=2", false, ""},
    {"a;b=1", false, ""},
    {"a=%3B", true, "a=%3B"},
    {"a%3Bb=1", true, "a%3Bb=1"},
    {"a=1&a=2;a=banana", false, "a=1"},
    {"a;b&c=1", false, "c=1"},
    {"a=1&b=2;a=3&c=4", false, "a=1&c=4"},
    {"a=1&b=2;c=3", false, "a=1"},
    {";", false, ""},
    {"a=1;", false, ""},
    {"a=1&;", false, "a=1"},
    {";a=1&b=2", false, "b=2"},
    {"a=1&b=2;", false, "a=1"},
};

}  // namespace

TEST_CASE("parse_url matches Go's url.Parse", "[url]") {
  for (const ParseCase& c : kParseCases) {
    INFO("in: " << c.in);
    auto u = httpkit::parse_url(c.in);
    REQUIRE(u.has_value());
    CHECK(u->scheme == c.scheme);
    CHECK(u->opaque == c.opaque);
    CHECK(u->user == c.user);
    CHECK(u->host == c.host);
    CHECK(u->path == c.path);
    CHECK(u->raw_path == c.raw_path);
    CHECK(u->raw_query == c.raw_query);
    CHECK(u->fragment == c.fragment);
    CHECK(u->force_query == c.force_query);
    CHECK(u->string() == c.string);
  }
}

TEST_CASE("parse_url rejects what Go rejects", "[url]") {
  const std::string_view bad[] = {
      "http://[::1", "http://a b.com/", "http://foo.com:80x/", ":foo", "http://%41:8080/",
      "http://x/\x01", "%zz", "http://[fe80::1%en0]/", "1http://x:y/:z", "http://us er@host/",
  };
  for (std::string_view in : bad) {
    INFO("in: " << in);
    // "1http://..." has no scheme (it starts with a digit) and a colon in its first segment.
    CHECK_FALSE(httpkit::parse_url(in).has_value());
  }
}

TEST_CASE("query and path unescaping match Go", "[url]") {
  for (const UnescapeCase& c : kUnescapeCases) {
    INFO("in: " << c.in);
    auto q = httpkit::query_unescape(c.in);
    REQUIRE(q.has_value() == c.query_ok);
    if (c.query_ok) CHECK(*q == c.query);
    auto p = httpkit::path_unescape(c.in);
    REQUIRE(p.has_value() == c.path_ok);
    if (c.path_ok) CHECK(*p == c.path);
  }
}

TEST_CASE("query and path escaping match Go", "[url]") {
  for (const EscapeCase& c : kEscapeCases) {
    INFO("in: " << c.in);
    CHECK(httpkit::query_escape(c.in) == c.query);
    CHECK(httpkit::path_escape(c.in) == c.path);
    CHECK(*httpkit::query_unescape(httpkit::query_escape(c.in)) == c.in);
    CHECK(*httpkit::path_unescape(httpkit::path_escape(c.in)) == c.in);
  }
  CHECK(httpkit::escape("a/b c?d", httpkit::EscapeMode::path) == "a/b%20c%3Fd");
  CHECK(httpkit::escape("[::1]:80", httpkit::EscapeMode::host) == "[::1]:80");
}

TEST_CASE("parse_request_uri matches Go's url.ParseRequestURI", "[url]") {
  for (const RequestUriCase& c : kRequestUriCases) {
    INFO("in: " << c.in);
    URL u;
    u.path = "stale";  // the out-parameter form must reset what it reuses
    u.fragment = "stale";
    auto ec = httpkit::parse_request_uri(c.in, u);
    REQUIRE(!ec == c.ok);
    if (!c.ok) continue;
    CHECK(u.scheme == c.scheme);
    CHECK(u.host == c.host);
    CHECK(u.path == c.path);
    CHECK(u.raw_path == c.raw_path);
    CHECK(u.raw_query == c.raw_query);
    CHECK(u.fragment.empty());
    CHECK(u.request_uri() == c.request_uri);
  }
}

TEST_CASE("escaped_path prefers a valid raw_path", "[url]") {
  struct Case {
    std::string_view path, raw_path, want;
  };
  const Case cases[] = {
      {"/a/b", "/a%2Fb", "/a%2Fb"},          // a valid alternative encoding: kept
      {"/a/b", "/a%2fb", "/a%2fb"},          // lower-case hex is still valid
      {"/a/b c", "/a%2Fb%20c", "/a%2Fb%20c"},
      {"/x/y", "/a%2Fb", "/x/y"},            // raw_path does not encode path: ignored
      {"/a/b", "/a/b{", "/a/b"},             // '{' must be escaped: not a valid encoding
      {"/a b", "", "/a%20b"},
      {"/a%b", "/a%25b", "/a%25b"},
      {"*", "", "*"},                         // go.dev/issue/11202
      {"/é", "", "/%C3%A9"},
  };
  for (const Case& c : cases) {
    INFO(c.path << " raw " << c.raw_path);
    URL u;
    u.path = c.path;
    u.raw_path = c.raw_path;
    CHECK(u.escaped_path() == c.want);
  }
  URL star;
  star.path = "*";
  CHECK(star.request_uri() == "*");
}

TEST_CASE("parse_query and Values::encode match Go", "[url]") {
  for (const QueryCase& c : kQueryCases) {
    INFO("query: " << c.query);
    httpkit::Values v;
    auto ec = httpkit::parse_query(c.query, v);
    CHECK(!ec == c.ok);
    CHECK(v.encode() == c.encoded);
  }
}

TEST_CASE("Values operations and URL::query", "[url]") {
  httpkit::Values v;
  v.add("b", "2");
  v.add("a", "1");
  v.add("b", "3");
  CHECK(v.get("b") == "2");
  CHECK(v.values("b") == std::vector<std::string_view>{"2", "3"});
  CHECK(v.encode() == "a=1&b=2&b=3");
  v.set("b", "x y&z");
  CHECK(v.encode() == "a=1&b=x+y%26z");
  v.del("a");
  CHECK_FALSE(v.has("a"));
  URL u;
  u.raw_query = "q=go+lang&x=%zz&q=2";
  httpkit::Values q = u.query();
  CHECK(q.values("q") == std::vector<std::string_view>{"go lang", "2"});
  CHECK_FALSE(q.has("x"));
}

// Plain paths take a shortcut in set_path (no '%', nothing to escape); the others go
// through Go's decode-and-compare. Both must give Go's Path and RawPath.
TEST_CASE("request paths keep RawPath exactly when Go would", "[url]") {
  struct Case {
    std::string_view in, path, raw_path;
  };
  const Case cases[] = {
      {"/plain/a-b_c.d~e", "/plain/a-b_c.d~e", ""},
      {"/sub;delims=a,b&c$d+e:f@g", "/sub;delims=a,b&c$d+e:f@g", ""},
      {"/a%2Fb", "/a/b", "/a%2Fb"},
      {"/a%62", "/ab", "/a%62"},
      {"/%C3%A4", "/\xC3\xA4", ""},  // the default encoding of its path
      {"/\xC3\xA4", "/\xC3\xA4", "/\xC3\xA4"},
      {"/a!b", "/a!b", "/a!b"},  // '!' is escaped in a path by Go, so the original is kept
  };
  for (const Case& c : cases) {
    INFO("in: " << c.in);
    URL u;
    u.raw_path = "stale";
    REQUIRE(!httpkit::parse_request_uri(c.in, u));
    CHECK(u.path == c.path);
    CHECK(u.raw_path == c.raw_path);
  }
}

TEST_CASE("is_plain_path agrees with Go's path escaping byte by byte", "[url]") {
  for (int c = 0; c < 256; ++c) {
    INFO("byte " << c);
    const bool plain = c != '%' && !httpkit::detail::should_escape(static_cast<unsigned char>(c),
                                                                   httpkit::detail::Encoding::path);
    CHECK(httpkit::is_plain_path(std::string(1, static_cast<char>(c))) == plain);
  }
}
