#include "routing_index.hpp"

#include <limits>

namespace httpkit::mux_detail {
namespace {

bool apply(const std::vector<const Pattern*>& pats, const std::function<bool(const Pattern&)>& f) {
  for (const Pattern* p : pats) {
    if (!f(*p)) return false;
  }
  return true;
}

}  // namespace

void RoutingIndex::add_pattern(const Pattern& p) {
  if (p.last_segment().multi) {
    multis_.push_back(&p);
    return;
  }
  for (std::size_t pos = 0; pos < p.segments.size(); ++pos) {
    const Segment& seg = p.segments[pos];
    segments_[Key{pos, seg.wild ? std::string() : seg.s}].push_back(&p);
  }
}

const std::vector<const Pattern*>& RoutingIndex::at(std::size_t pos, std::string_view s) const {
  static const std::vector<const Pattern*> kNone;
  auto it = segments_.find(Key{pos, std::string(s)});
  return it == segments_.end() ? kNone : it->second;
}

bool RoutingIndex::possibly_conflicting(const Pattern& p, const std::function<bool(const Pattern&)>& f) const {
  // Terminology: a dollar pattern ends in "{$}", a multi pattern in "/" or
  // "{x...}", an ordinary pattern in neither. Multis are never pruned.
  if (!apply(multis_, f)) return false;
  if (!p.last_segment().wild && p.last_segment().s == "/") {
    // Only dollar (or multi) patterns match paths ending in a slash, and a
    // conflicting dollar pattern has its {$} at the same position.
    return apply(at(p.segments.size() - 1, "/"), f);
  }
  // Otherwise a conflict needs the same literal or a wildcard at each literal
  // position; take the position with the fewest candidates.
  const std::vector<const Pattern*>* lmin = nullptr;
  const std::vector<const Pattern*>* wmin = nullptr;
  std::size_t min = std::numeric_limits<std::size_t>::max();
  for (std::size_t i = 0; i < p.segments.size(); ++i) {
    const Segment& seg = p.segments[i];
    if (seg.multi) break;
    if (seg.wild) continue;
    const auto& lpats = at(i, seg.s);
    const auto& wpats = at(i, "");
    if (lpats.size() + wpats.size() < min) {
      lmin = &lpats;
      wmin = &wpats;
      min = lpats.size() + wpats.size();
    }
  }
  if (lmin) return apply(*lmin, f) && apply(*wmin, f);
  // All wildcards: check against everything.
  for (const auto& [key, pats] : segments_) {
    if (!apply(pats, f)) return false;
  }
  return true;
}

}  // namespace httpkit::mux_detail
