// Bytes written as hex in the HPACK tests, as RFC 7541's examples print them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace httpkit::testing {

using Bytes = std::vector<std::uint8_t>;

// hex: "82 86 41 0f" or "8286410f" as bytes.
inline Bytes hex(std::string_view s) {
  Bytes b;
  std::string digits;
  for (char c : s) {
    if (c != ' ') digits.push_back(c);
  }
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    b.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return b;
}

}  // namespace httpkit::testing
