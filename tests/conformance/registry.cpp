// The case registry: groups made on first use, listed in section order.
#include <algorithm>
#include <deque>

#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

// A deque keeps each Group where it is while later groups are added.
std::deque<Group>& groups() {
  static std::deque<Group> all;
  return all;
}

// Sort key of "http2/6.10": the suite's rank, then each section number as a number.
std::vector<int> order_of(std::string_view id) {
  static constexpr std::string_view kSuites[] = {"generic", "http2", "hpack"};
  const std::size_t slash = id.find('/');
  const std::string_view suite = id.substr(0, slash);
  std::vector<int> key{static_cast<int>(std::find(std::begin(kSuites), std::end(kSuites), suite) - std::begin(kSuites))};
  std::string_view rest = slash == std::string_view::npos ? std::string_view{} : id.substr(slash + 1);
  while (!rest.empty()) {
    const std::size_t dot = rest.find('.');
    key.push_back(std::stoi(std::string(rest.substr(0, dot))));
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return key;
}

}  // namespace

Group& Group::add(std::string desc, std::string requirement, CaseFn run) {
  cases.push_back({std::move(desc), std::move(requirement), std::move(run)});
  return *this;
}

Group& group(std::string_view id, std::string_view title) {
  for (Group& g : groups()) {
    if (g.id == id) return g;
  }
  return groups().emplace_back(Group{std::string(id), std::string(title), {}});
}

std::vector<const Group*> all_groups() {
  std::vector<const Group*> out;
  for (const Group& g : groups()) out.push_back(&g);
  std::stable_sort(out.begin(), out.end(), [](const Group* a, const Group* b) { return order_of(a->id) < order_of(b->id); });
  return out;
}

}  // namespace h2conform
