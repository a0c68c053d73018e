// Pattern: a parsed ServeMux pattern and the relationships between two of them
// (Go's net/http/pattern.go).
#pragma once

#include <cstddef>
#include <memory>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

namespace httpkit::mux_detail {

// Segment is a pattern piece that matches one path segment, the rest of the path,
// or a trailing slash. As in Go, the surface syntax is normalised:
//   "a"          -> {s: "a"}                      literal (unescaped)
//   "{x}"        -> {s: "x", wild}                one segment
//   "{x...}"     -> {s: "x", wild, multi}         the rest of the path
//   trailing "/" -> {s: "",  wild, multi}         an anonymous "..." wildcard
//   "{$}"        -> {s: "/"}                      the literal trailing slash
struct Segment {
  std::string s;
  bool wild = false;
  bool multi = false;

  friend bool operator==(const Segment&, const Segment&) = default;
};

// Pattern is immutable after parsing; the mux keeps it alive (by unique_ptr) for as
// long as it lives, so views of str stay valid in requests (Request::pattern()).
struct Pattern {
  std::string str;     // the pattern as registered
  std::string method;  // "" matches every method
  std::string host;    // "" matches every host
  std::vector<Segment> segments;
  std::source_location loc;  // where it was registered, for conflict messages

  const Segment& last_segment() const noexcept { return segments.back(); }
  // location renders loc as "file:line", Go's pattern.loc.
  std::string location() const;
};

// ParseError is Go's parse error: the reason and the byte offset in the pattern.
struct ParseError {
  std::size_t offset = 0;
  std::string reason;
  // message renders "at offset N: reason" ("empty pattern" has no offset in Go).
  std::string message() const;
};

// parse_pattern parses "[METHOD ][HOST]/[PATH]". On failure it returns nullptr and
// fills err with Go's reason and offset (pattern.go parsePattern).
std::unique_ptr<Pattern> parse_pattern(std::string_view s, ParseError& err);

// Relationship between two patterns p1 and p2 (pattern.go).
enum class Relationship {
  equivalent,     // both match the same requests
  more_general,   // p1 matches everything p2 does & more
  more_specific,  // p2 matches everything p1 does & more
  disjoint,       // no request matches both
  overlaps,       // some request matches both, but neither is more specific
};
std::string_view to_string(Relationship r) noexcept;
Relationship inverse(Relationship r) noexcept;
Relationship combine(Relationship r1, Relationship r2) noexcept;

Relationship compare_methods(const Pattern& p1, const Pattern& p2) noexcept;
Relationship compare_paths(const Pattern& p1, const Pattern& p2) noexcept;
Relationship compare_paths_and_methods(const Pattern& p1, const Pattern& p2) noexcept;

// conflicts_with reports whether some request matches both patterns with neither
// taking precedence: a host wins over no host, then the more specific wins.
bool conflicts_with(const Pattern& p1, const Pattern& p2) noexcept;

// describe_conflict explains a conflict for a person (Go's describeConflict).
// Precondition: conflicts_with(p1, p2).
std::string describe_conflict(const Pattern& p1, const Pattern& p2);
// common_path returns a path both patterns match; precondition: they overlap.
std::string common_path(const Pattern& p1, const Pattern& p2);
// difference_path returns a path p1 matches and p2 does not; precondition: p1 is
// more general than p2 or they overlap.
std::string difference_path(const Pattern& p1, const Pattern& p2);

// is_valid_method reports whether m is an RFC 9110 token (Go's validMethod).
bool is_valid_method(std::string_view m) noexcept;

}  // namespace httpkit::mux_detail
