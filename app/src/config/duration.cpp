#include "config/duration.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace httpkit::app_detail {
namespace {

using namespace std::chrono_literals;

// Longest units first so that "ms" is not read as "m" followed by garbage.
constexpr std::array<std::pair<std::string_view, Duration>, 7> kUnits{{
    {"ns", 1ns}, {"us", 1us}, {"µs", 1us}, {"ms", 1ms}, {"s", 1s}, {"m", 1min}, {"h", 1h},
}};

// read_unit matches the unit at the front of rest, longest first.
std::optional<Duration> read_unit(std::string_view& rest) {
  std::optional<std::pair<std::string_view, Duration>> best;
  for (const auto& u : kUnits) {
    if (rest.starts_with(u.first) && (!best || u.first.size() > best->first.size())) best = u;
  }
  if (!best) return std::nullopt;
  rest.remove_prefix(best->first.size());
  return best->second;
}

// read_number reads "12", "1.5" or ".5" at the front of rest as a double.
std::optional<double> read_number(std::string_view& rest) {
  double value = 0, scale = 0;  // scale > 0 once a '.' was seen
  std::size_t i = 0;
  bool digits = false;
  for (; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '.' && scale == 0) { scale = 1; continue; }
    if (c < '0' || c > '9') break;
    digits = true;
    if (scale == 0) value = value * 10 + (c - '0');
    else value += (c - '0') * (scale /= 10);
  }
  if (!digits) return std::nullopt;
  rest.remove_prefix(i);
  return value;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text, std::string& reason) {
  if (text == "0") return Duration{};
  if (text.empty()) {
    reason = "empty duration (use \"0s\" for none)";
    return std::nullopt;
  }
  std::string_view rest = text;
  double total_ns = 0;
  while (!rest.empty()) {
    auto number = read_number(rest);
    auto unit = number ? read_unit(rest) : std::nullopt;
    if (!unit) {
      reason = "invalid duration \"" + std::string(text) + "\" (examples: \"30s\", \"1m30s\", \"250ms\")";
      return std::nullopt;
    }
    total_ns += *number * static_cast<double>(unit->count());
  }
  if (total_ns > static_cast<double>(INT64_MAX)) {
    reason = "duration \"" + std::string(text) + "\" is too long";
    return std::nullopt;
  }
  return Duration{static_cast<std::int64_t>(total_ns)};
}

}  // namespace httpkit::app_detail
