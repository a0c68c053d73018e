// Relationships between patterns and conflict descriptions (the second half of
// Go's net/http/pattern.go: comparePaths, compareMethods, describeConflict).
#include <algorithm>
#include <cassert>

#include "pattern.hpp"
#include "text.hpp"

namespace httpkit::mux_detail {
namespace {

using R = Relationship;

R compare_segments(const Segment& s1, const Segment& s2) noexcept {
  if (s1.multi && s2.multi) return R::equivalent;
  if (s1.multi) return R::more_general;
  if (s2.multi) return R::more_specific;
  if (s1.wild && s2.wild) return R::equivalent;
  if (s1.wild) return s2.s == "/" ? R::disjoint : R::more_general;  // {x} never matches "/"
  if (s2.wild) return s1.s == "/" ? R::disjoint : R::more_specific;
  return s1.s == s2.s ? R::equivalent : R::disjoint;
}

// write_segment appends a path piece that s matches.
void write_segment(std::string& b, const Segment& s) {
  b += '/';
  if (!s.multi && s.s != "/") b += s.s;
}

void write_matching_path(std::string& b, const std::vector<Segment>& segs, std::size_t from) {
  for (std::size_t i = from; i < segs.size(); ++i) write_segment(b, segs[i]);
}

// write_difference_segment handles one position of difference_path; returns true
// when the path is complete.
bool write_difference_segment(std::string& b, const Segment& s1, const Segment& s2) {
  if (s1.multi && s2.multi) {  // same from here on: the difference came earlier
    b += '/';
    return true;
  }
  if (s1.multi) {  // a trailing slash distinguishes, unless s2 is {$}
    b += '/';
    if (s2.s == "/") b += s1.s.empty() ? "x" : s1.s;
    return true;
  }
  if (s1.wild && !s2.wild && s1.s == s2.s) {  // any segment but the literal
    b += '/';
    b += s2.s + "x";
    return false;
  }
  write_segment(b, s1);  // the other cases: s1 itself (or its wildcard name) works
  return false;
}

}  // namespace

std::string_view to_string(Relationship r) noexcept {
  switch (r) {
    case R::equivalent: return "equivalent";
    case R::more_general: return "moreGeneral";
    case R::more_specific: return "moreSpecific";
    case R::disjoint: return "disjoint";
    case R::overlaps: return "overlaps";
  }
  return "?";
}

Relationship inverse(Relationship r) noexcept {
  if (r == R::more_specific) return R::more_general;
  if (r == R::more_general) return R::more_specific;
  return r;
}

// combine: the relationship of two patterns given those of a partition of them.
Relationship combine(Relationship r1, Relationship r2) noexcept {
  switch (r1) {
    case R::equivalent: return r2;
    case R::disjoint: return R::disjoint;
    case R::overlaps: return r2 == R::disjoint ? R::disjoint : R::overlaps;
    case R::more_general:
    case R::more_specific:
      if (r2 == R::equivalent) return r1;
      if (r2 == inverse(r1)) return R::overlaps;
      return r2;
  }
  return R::disjoint;
}

// compare_methods: "" matches every method, "GET" matches GET and HEAD.
Relationship compare_methods(const Pattern& p1, const Pattern& p2) noexcept {
  if (p1.method == p2.method) return R::equivalent;
  if (p1.method.empty()) return R::more_general;
  if (p2.method.empty()) return R::more_specific;
  if (p1.method == "GET" && p2.method == "HEAD") return R::more_general;
  if (p2.method == "GET" && p1.method == "HEAD") return R::more_specific;
  return R::disjoint;
}

Relationship compare_paths(const Pattern& p1, const Pattern& p2) noexcept {
  const auto& a = p1.segments;
  const auto& b = p2.segments;
  // Without a trailing multi, a pattern matches only paths of its own length.
  if (a.size() != b.size() && !p1.last_segment().multi && !p2.last_segment().multi) return R::disjoint;
  std::size_t n = std::min(a.size(), b.size());
  R rel = R::equivalent;
  for (std::size_t i = 0; i < n; ++i) {
    rel = combine(rel, compare_segments(a[i], b[i]));
    if (rel == R::disjoint) return rel;
  }
  if (a.size() == b.size()) return rel;
  // The shorter one must end in a multi, which is more general than the rest.
  if (a.size() < b.size() && p1.last_segment().multi) return combine(rel, R::more_general);
  if (b.size() < a.size() && p2.last_segment().multi) return combine(rel, R::more_specific);
  return R::disjoint;
}

Relationship compare_paths_and_methods(const Pattern& p1, const Pattern& p2) noexcept {
  R mrel = compare_methods(p1, p2);
  if (mrel == R::disjoint) return R::disjoint;
  return combine(mrel, compare_paths(p1, p2));
}

bool conflicts_with(const Pattern& p1, const Pattern& p2) noexcept {
  // Different hosts: either one wins by having a host, or they match different requests.
  if (p1.host != p2.host) return false;
  R rel = compare_paths_and_methods(p1, p2);
  return rel == R::equivalent || rel == R::overlaps;
}

std::string common_path(const Pattern& p1, const Pattern& p2) {
  std::string b;
  std::size_t n = std::min(p1.segments.size(), p2.segments.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Segment& s1 = p1.segments[i];
    write_segment(b, s1.wild ? p2.segments[i] : s1);
  }
  write_matching_path(b, p1.segments, n);
  write_matching_path(b, p2.segments, n);
  return b;
}

std::string difference_path(const Pattern& p1, const Pattern& p2) {
  std::string b;
  std::size_t n = std::min(p1.segments.size(), p2.segments.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (write_difference_segment(b, p1.segments[i], p2.segments[i])) return b;
  }
  // The longer pattern's rest: anything that matches it will do.
  write_matching_path(b, p1.segments, n);
  write_matching_path(b, p2.segments, n);
  return b;
}

std::string describe_conflict(const Pattern& p1, const Pattern& p2) {
  R mrel = compare_methods(p1, p2);
  R prel = compare_paths(p1, p2);
  R rel = combine(mrel, prel);
  if (rel == R::equivalent) return p1.str + " matches the same requests as " + p2.str;
  assert(rel == R::overlaps);
  if (prel == R::overlaps) {
    return p1.str + " and " + p2.str + " both match some paths, like " + go_quote(common_path(p1, p2)) +
           ".\nBut neither is more specific than the other.\n" + p1.str + " matches " +
           go_quote(difference_path(p1, p2)) + ", but " + p2.str + " doesn't.\n" + p2.str + " matches " +
           go_quote(difference_path(p2, p1)) + ", but " + p1.str + " doesn't.";
  }
  if (mrel == R::more_general && prel == R::more_specific) {
    return p1.str + " matches more methods than " + p2.str + ", but has a more specific path pattern";
  }
  if (mrel == R::more_specific && prel == R::more_general) {
    return p1.str + " matches fewer methods than " + p2.str + ", but has a more general path pattern";
  }
  return "bug: unexpected way for two patterns " + p1.str + " and " + p2.str +
         " to conflict: methods " + std::string(to_string(mrel)) + ", paths " + std::string(to_string(prel));
}

}  // namespace httpkit::mux_detail
