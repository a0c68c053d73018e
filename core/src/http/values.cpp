// Values and parse_query: Go's url.Values and url.ParseQuery.
#include <algorithm>

#include "http/url_escape.hpp"
#include "httpkit/url.hpp"

namespace httpkit {

std::string_view Values::get(std::string_view key) const noexcept {
  for (const auto& [k, v] : pairs_) {
    if (k == key) return v;
  }
  return {};
}

std::vector<std::string_view> Values::values(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : pairs_) {
    if (k == key) out.emplace_back(v);
  }
  return out;
}

bool Values::has(std::string_view key) const noexcept {
  return std::any_of(pairs_.begin(), pairs_.end(), [&](const auto& p) { return p.first == key; });
}

void Values::set(std::string_view key, std::string_view value) {
  del(key);
  add(key, value);
}

void Values::add(std::string_view key, std::string_view value) { pairs_.emplace_back(key, value); }

void Values::del(std::string_view key) {
  auto rest = std::remove_if(pairs_.begin(), pairs_.end(), [&](const auto& p) { return p.first == key; });
  pairs_.erase(rest, pairs_.end());
}

// encode sorts by key (stably, so a key's values keep their order), as Go's Encode.
std::string Values::encode() const {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(pairs_.size());
  for (const auto& p : pairs_) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* p : sorted) {
    if (!out.empty()) out.push_back('&');
    detail::escape_append(p->first, detail::Encoding::query_component, out);
    out.push_back('=');
    detail::escape_append(p->second, detail::Encoding::query_component, out);
  }
  return out;
}

// parse_query keeps going after a bad pair and reports the first error, as Go's
// ParseQuery. Since Go 1.17 a ';' separator is an error (go.dev/issue/25192).
std::error_code parse_query(std::string_view query, Values& out) {
  std::error_code first_error;
  std::string key;
  std::string value;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.find(';') != std::string_view::npos) {
      if (!first_error) first_error = make_error_code(errc::bad_request);
      continue;
    }
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto ek = detail::unescape_into(pair.substr(0, eq), detail::Encoding::query_component, key);
    auto ev = ek ? ek : detail::unescape_into(raw_value, detail::Encoding::query_component, value);
    if (ev) {
      if (!first_error) first_error = ev;
      continue;
    }
    out.add(key, value);
  }
  return first_error;
}

}  // namespace httpkit
