#include "config/suggest.hpp"

#include <algorithm>
#include <vector>

#include "config/fields.hpp"

namespace httpkit::app_detail {
namespace {

// A typo is a few edits; further than this the suggestion is noise.
constexpr std::size_t kMaxEdits = 3;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view key) {
  std::string_view best;
  std::size_t best_distance = kMaxEdits + 1;
  for (const auto& f : fields()) {
    const std::size_t d = edit_distance(key, f.key);
    if (d < best_distance) {
      best = f.key;
      best_distance = d;
    }
  }
  return best.empty() ? "" : " (did you mean " + std::string(best) + "?)";
}

}  // namespace httpkit::app_detail
