// RequestPath: an escaped request path split into unescaped segments for matching,
// without allocating in the common case (Go's routing_tree.go firstSegment).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace httpkit::mux_detail {

// PathSegment is one segment of a request path. value is unescaped ("a%2Fb" ->
// "a/b", so an escaped slash stays inside its segment) or "/" for a trailing slash.
// rest is the offset in the escaped path just after the slash that starts this
// segment: a "..." wildcard matching here takes the path from rest on.
struct PathSegment {
  std::string_view value;
  std::size_t rest;
};

// RequestPath holds the segments of one path. It keeps up to kInlineSegments
// segments and kInlineBytes of unescaped text inline (on the caller's stack); longer
// or heavily escaped paths spill to the heap. Views it returns live as long as it.
class RequestPath {
 public:
  static constexpr std::size_t kInlineSegments = 32;
  static constexpr std::size_t kInlineBytes = 512;

  explicit RequestPath(std::string_view escaped_path);
  RequestPath(const RequestPath&) = delete;
  RequestPath& operator=(const RequestPath&) = delete;

  std::string_view escaped() const noexcept { return path_; }
  std::size_t size() const noexcept { return count_; }
  PathSegment operator[](std::size_t i) const noexcept {
    if (i >= kInlineSegments) return spill_[i - kInlineSegments];
    const Slot& s = inline_[i];
    return {{s.data, s.size}, s.rest};
  }
  // clean reports whether the path is in canonical form (Go's cleanPath(p) == p):
  // rooted, without empty, "." or ".." segments except a final trailing slash.
  bool clean() const noexcept { return clean_; }
  // rest_value returns the unescaped path from segment i on, without its leading
  // slash: the value of a "{name...}" wildcard matched at i (pathUnescape(path[1:])).
  std::string_view rest_value(std::size_t i);
  // slash_count is strings.Count(path, "/"), for Go's exactMatch.
  std::size_t slash_count() const noexcept { return slashes_; }

 private:
  void push(std::string_view value, std::size_t rest) {
    if (count_ < kInlineSegments) {
      inline_[count_++] = {value.data(), value.size(), rest};
      return;
    }
    spill(value, rest);
  }
  void spill(std::string_view value, std::size_t rest);
  // unescape returns raw decoded, in storage owned by this path; raw itself when it
  // has no escape or a bad one (Go keeps an undecodable segment as it is).
  std::string_view unescape(std::string_view raw) { return has_percent_ ? unescape_slow(raw) : raw; }
  std::string_view unescape_slow(std::string_view raw);
  char* allocate(std::size_t n);

  // Slot is a trivial PathSegment, so the inline array costs nothing to construct.
  struct Slot {
    const char* data;
    std::size_t size;
    std::size_t rest;
  };

  std::string_view path_;
  bool has_percent_ = false;
  bool clean_ = true;
  std::size_t count_ = 0;
  std::size_t slashes_ = 0;
  std::array<Slot, kInlineSegments> inline_;  // not zeroed: written before read
  std::vector<PathSegment> spill_;
  std::array<char, kInlineBytes> bytes_;  // not zeroed: written before read
  std::size_t bytes_used_ = 0;
  std::vector<std::unique_ptr<char[]>> heap_bytes_;
};

}  // namespace httpkit::mux_detail
