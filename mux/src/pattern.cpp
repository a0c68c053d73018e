// Parsing of ServeMux patterns (Go's net/http/pattern.go parsePattern).
// The relationships between patterns are in pattern_compare.cpp.
#include "pattern.hpp"

#include <set>

#include "sanitize.hpp"
#include "text.hpp"

namespace httpkit::mux_detail {
namespace {

bool is_tchar(unsigned char c) noexcept {
  // RFC 9110 section 5.6.2: tchar.
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// trim_space is strings.TrimSpace for ASCII white space.
std::string_view trim_space(std::string_view s) noexcept {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// is_valid_wildcard_name: a Go identifier. Go accepts Unicode letters; we accept
// every non-ASCII byte as a letter (see docs/decisions/0012-mux-unicode-wildcard-names.md).
bool is_valid_wildcard_name(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// Parser holds the state of one parse so each step is a small function.
class Parser {
 public:
  Parser(std::string_view s, ParseError& err) : s_(s), err_(err) {}

  std::unique_ptr<Pattern> run() {
    p_ = std::make_unique<Pattern>();
    p_->str = std::string(s_);
    if (!parse_method() || !parse_host() || !check_clean()) return nullptr;
    while (!rest_.empty()) {
      if (!parse_segment()) return nullptr;
    }
    return std::move(p_);
  }

 private:
  bool fail(std::string reason) {
    err_.offset = off_;
    err_.reason = std::move(reason);
    return false;
  }

  // parse_method: "METHOD" then at least one space or tab.
  bool parse_method() {
    std::size_t i = s_.find_first_of(" \t");
    if (i == std::string_view::npos) {
      rest_ = s_;
      return true;
    }
    std::string_view method = s_.substr(0, i);
    rest_ = trim_space(s_.substr(i + 1));
    if (!method.empty() && !is_valid_method(method)) return fail("invalid method " + go_quote(method));
    p_->method = std::string(method);
    off_ = method.size() + 1;
    return true;
  }

  bool parse_host() {
    std::size_t i = rest_.find('/');
    if (i == std::string_view::npos) return fail("host/path missing /");
    std::string_view host = rest_.substr(0, i);
    if (std::size_t j = host.find('{'); j != std::string_view::npos) {
      off_ += j;
      return fail("host contains '{' (missing initial '/'?)");
    }
    p_->host = std::string(host);
    rest_ = rest_.substr(i);
    off_ += i;
    return true;
  }

  // check_clean: paths are cleaned before matching (except for CONNECT), so an
  // unclean pattern with another method could never match.
  bool check_clean() {
    const std::string& m = p_->method;
    if (!m.empty() && m != "CONNECT" && !is_clean(rest_)) {
      return fail("non-CONNECT pattern with unclean path can never match");
    }
    return true;
  }

  // parse_segment consumes "/seg" from rest_ (invariant: rest_[0] == '/').
  bool parse_segment() {
    rest_.remove_prefix(1);
    off_ = s_.size() - rest_.size();
    if (rest_.empty()) {  // trailing slash: an anonymous "..." wildcard
      p_->segments.push_back({"", true, true});
      return true;
    }
    std::size_t i = rest_.find('/');
    if (i == std::string_view::npos) i = rest_.size();
    std::string_view seg = rest_.substr(0, i);
    rest_ = rest_.substr(i);
    if (seg.find('{') == std::string_view::npos) {
      p_->segments.push_back({path_unescape(seg), false, false});
      return true;
    }
    return parse_wildcard(seg);
  }

  bool parse_wildcard(std::string_view seg) {
    if (seg.front() != '{') return fail("bad wildcard segment (must start with '{')");
    if (seg.back() != '}') return fail("bad wildcard segment (must end with '}')");
    std::string_view name = seg.substr(1, seg.size() - 2);
    if (name == "$") {
      if (!rest_.empty()) return fail("{$} not at end");
      p_->segments.push_back({"/", false, false});
      return true;
    }
    bool multi = name.size() >= 3 && name.substr(name.size() - 3) == "...";
    if (multi) name.remove_suffix(3);
    if (multi && !rest_.empty()) return fail("{...} wildcard not at end");
    if (name.empty()) return fail("empty wildcard");
    if (!is_valid_wildcard_name(name)) return fail("bad wildcard name " + go_quote(name));
    if (!seen_.insert(std::string(name)).second) return fail("duplicate wildcard name " + go_quote(name));
    p_->segments.push_back({std::string(name), true, multi});
    return true;
  }

  std::string_view s_;
  ParseError& err_;
  std::unique_ptr<Pattern> p_;
  std::string_view rest_;
  std::size_t off_ = 0;
  std::set<std::string, std::less<>> seen_;  // wildcard names, to catch duplicates
};

}  // namespace

bool is_valid_method(std::string_view m) noexcept {
  if (m.empty()) return false;
  for (char c : m) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Pattern::location() const {
  if (loc.line() == 0) return "unknown location";
  return std::string(loc.file_name()) + ":" + std::to_string(loc.line());
}

std::string ParseError::message() const {
  if (reason == "empty pattern") return reason;  // Go reports it before any offset
  return "at offset " + std::to_string(offset) + ": " + reason;
}

std::unique_ptr<Pattern> parse_pattern(std::string_view s, ParseError& err) {
  if (s.empty()) {
    err = {0, "empty pattern"};
    return nullptr;
  }
  return Parser(s, err).run();
}

}  // namespace httpkit::mux_detail
