// URL and Values: Go's net/url for what a server needs (request targets, queries).
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "httpkit/error.hpp"

namespace httpkit {

// Values is a query or form: keys to lists of values, in insertion order (url.Values).
class Values {
 public:
  std::string_view get(std::string_view key) const noexcept;  // first value or ""
  std::vector<std::string_view> values(std::string_view key) const;
  bool has(std::string_view key) const noexcept;
  void set(std::string_view key, std::string_view value);
  void add(std::string_view key, std::string_view value);
  void del(std::string_view key);
  // encode renders "a=1&b=2" with keys sorted, as Go's Values.Encode.
  std::string encode() const;
  auto begin() const noexcept { return pairs_.begin(); }
  auto end() const noexcept { return pairs_.end(); }
  std::size_t size() const noexcept { return pairs_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// parse_query parses "a=1&b=2" into out. Like Go, it keeps going after a bad pair
// and returns the first error (a pair with a bad escape is dropped).
std::error_code parse_query(std::string_view query, Values& out);

// URL is a parsed URL or request target (url.URL). path is unescaped; raw_path is set
// only when the escaping of the original differs from the default (url.URL.RawPath).
struct URL {
  std::string scheme;
  std::string opaque;
  std::string user;  // userinfo as written (rare in requests)
  std::string host;  // host or host:port
  std::string path;
  std::string raw_path;
  std::string raw_query;
  std::string fragment;
  bool force_query = false;

  // query parses raw_query; malformed pairs are dropped (Go's URL.Query).
  Values query() const;
  // escaped_path returns raw_path when it is a valid encoding of path, else path escaped.
  std::string escaped_path() const;
  // request_uri returns the encoded path?query (or opaque) for a request line.
  std::string request_uri() const;
  std::string string() const;
  bool is_abs() const noexcept { return !scheme.empty(); }
  void clear() noexcept;
};

// parse_url parses an absolute or relative URL (url.Parse).
Result<URL> parse_url(std::string_view raw);
// parse_request_uri parses a request-target (url.ParseRequestURI): an absolute URL or
// an absolute path; no fragment. The out-parameter form reuses out's storage.
std::error_code parse_request_uri(std::string_view raw, URL& out);
Result<URL> parse_request_uri(std::string_view raw);

// Escaping as Go's url package: path segments vs query components.
enum class EscapeMode { path, path_segment, query_component, host };
std::string escape(std::string_view s, EscapeMode mode);
Result<std::string> unescape(std::string_view s, EscapeMode mode);
inline std::string path_escape(std::string_view s) { return escape(s, EscapeMode::path_segment); }
inline std::string query_escape(std::string_view s) { return escape(s, EscapeMode::query_component); }
inline Result<std::string> path_unescape(std::string_view s) { return unescape(s, EscapeMode::path_segment); }
inline Result<std::string> query_unescape(std::string_view s) { return unescape(s, EscapeMode::query_component); }

// is_plain_path reports whether p has no '%' and no byte Go's path escaping would
// change: then p is its own decoded form and its own default encoding, which lets a
// router skip both (most request paths are plain).
bool is_plain_path(std::string_view p) noexcept;

}  // namespace httpkit
