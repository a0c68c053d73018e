// detect_content_type: Go's DetectContentType (the WHATWG MIME sniffing algorithm).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace httpkit {

// kSniffLen is how many leading bytes detect_content_type considers (Go's sniffLen).
inline constexpr std::size_t kSniffLen = 512;

// detect_content_type returns the MIME type of data from at most its first 512 bytes,
// with the same signatures and order as Go's http.DetectContentType. It always returns
// a valid type, "application/octet-stream" when nothing matches.
std::string_view detect_content_type(std::span<const std::byte> data) noexcept;
inline std::string_view detect_content_type(std::string_view data) noexcept {
  return detect_content_type(std::as_bytes(std::span(data.data(), data.size())));
}

}  // namespace httpkit
