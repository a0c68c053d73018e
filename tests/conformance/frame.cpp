// Frame and Event descriptions, in the words of the failure reports.
#include <cstdio>

#include "conformance/h2conform.hpp"

namespace h2conform {

std::string frame_type_name(int type) {
  static constexpr const char* kNames[] = {"DATA",         "HEADERS", "PRIORITY", "RST_STREAM",    "SETTINGS",
                                           "PUSH_PROMISE", "PING",    "GOAWAY",   "WINDOW_UPDATE", "CONTINUATION"};
  if (type >= 0 && type < static_cast<int>(std::size(kNames))) return kNames[type];
  return "UNKNOWN(" + std::to_string(type) + ")";
}

std::string error_code_name(std::uint32_t code) {
  static constexpr const char* kNames[] = {
      "NO_ERROR",         "PROTOCOL_ERROR", "INTERNAL_ERROR",    "FLOW_CONTROL_ERROR",  "SETTINGS_TIMEOUT",
      "STREAM_CLOSED",    "FRAME_SIZE_ERROR", "REFUSED_STREAM",  "CANCEL",              "COMPRESSION_ERROR",
      "CONNECT_ERROR",    "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};
  if (code < std::size(kNames)) return kNames[code];
  return "UNKNOWN(" + std::to_string(code) + ")";
}

std::uint32_t Frame::u32_at(std::size_t offset) const {
  if (payload.size() < offset + 4) return 0xffffffffu;
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(payload[offset + i]);
  return v;
}

std::uint32_t Frame::error_code() const {
  if (type == kRstStream) return u32_at(0);
  if (type == kGoaway) return u32_at(4);  // last stream id first (RFC 9113 section 6.8)
  return 0xffffffffu;
}

std::string Frame::describe() const {
  char head[96];
  std::snprintf(head, sizeof head, " Frame (length:%u, flags:0x%02x, stream_id:%u)", length, flags, stream);
  std::string out = frame_type_name(type) + head;
  if (type == kRstStream || type == kGoaway) out += " error: " + error_code_name(error_code());
  return out;
}

std::string Event::describe() const {
  switch (kind) {
    case EventKind::frame: return frame.describe();
    case EventKind::closed: return "Connection closed";
    case EventKind::timeout: return "Timeout";
    case EventKind::error: return "Error: " + message;
  }
  return "?";
}

}  // namespace h2conform
