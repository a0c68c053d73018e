// The request head of a stream: pseudo-header fields to a Request (RFC 9113 section 8.3).
// nghttp2 already rejects what its HTTP messaging checks cover (section 8.2: uppercase
// names, connection-specific fields, TE other than "trailers", pseudo-fields that are
// missing, repeated, unknown or after regular fields, content-length vs DATA); what is
// left to the application is here.
#include <charconv>
#include <cstdint>
#include <cstring>

#include "http2/http2_conn.hpp"
#include "http2/stream.hpp"
#include "httpkit/url.hpp"

namespace httpkit::detail {
namespace {

// kFieldOverhead: RFC 7541 section 4.1 counts 32 bytes per field beyond its name and
// value; SETTINGS_MAX_HEADER_LIST_SIZE is defined with the same sizes (RFC 9113 6.5.2).
constexpr std::size_t kFieldOverhead = 32;

std::int64_t parse_length(std::string_view v) {
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc{} && end == v.data() + v.size() && n >= 0 ? n : -1;
}

// Per-byte tests on eight bytes at once, for bytes below 0x80 (the caller checks):
// in_range sets the high bit of each byte b with lo <= b <= hi. No byte carries
// into the next: b + 0x80 - lo and b + 0x7f - hi stay below 0x100.
constexpr std::uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;

constexpr std::uint64_t in_range(std::uint64_t w, unsigned char lo, unsigned char hi) noexcept {
  const std::uint64_t ge_lo = w + (0x80 - lo) * kOnes;
  const std::uint64_t gt_hi = w + (0x7f - hi) * kOnes;
  return ge_lo & ~gt_hi & kHigh;
}

// copy_canonical writes name into out in canonical form ("user-agent" ->
// "User-Agent"). nghttp2 hands over lowercase token names only (RFC 9113 section
// 8.2.1), the fast path, eight bytes at a time: a letter that starts the name or
// follows '-' loses 0x20. Anything else goes through the general rule.
void copy_canonical(std::string_view name, char* out) noexcept {
  auto general = [&] {
    name.copy(out, name.size());
    canonicalize_header_key_in_place(out, name.size());
  };
  std::size_t i = 0;
  std::uint64_t starts = 0x80;  // high bit of the bytes that start a word: the first
  for (; i + 8 <= name.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, name.data() + i, 8);
    const std::uint64_t lower = in_range(w, 'a', 'z'), dash = in_range(w, '-', '-');
    if ((w & kHigh) != 0 || (lower | dash | in_range(w, '0', '9')) != kHigh) return general();
    w -= ((starts | dash << 8) & lower) >> 2;  // 0x80 >> 2 is 'a' - 'A'
    std::memcpy(out + i, &w, 8);
    starts = dash >> 56;  // a '-' in the last byte starts the next word
  }
  bool upper = starts != 0;
  for (; i < name.size(); ++i) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return general();
    out[i] = upper && c >= 'a' ? static_cast<char>(c - ('a' - 'A')) : c;
    upper = c == '-';
  }
}

}  // namespace

// on_header enforces the header list limit as fields are decoded, so an HPACK bomb
// (a few bytes that expand into megabytes through the dynamic table) is refused
// after max_header_list_size bytes, not after the whole expansion.
int Stream::on_header(std::string_view name, std::string_view value, bool trailer) {
  const auto limit = conn_.config().http2.max_header_list_size ? conn_.config().http2.max_header_list_size
                                                               : conn_.config().max_header_bytes;
  header_list_size_ += name.size() + value.size() + kFieldOverhead;
  if (header_list_size_ > limit) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // RST_STREAM
  if (trailer) {
    req_.trailer().add(name, value);
    return 0;
  }
  if (name.starts_with(':')) {
    Span* slot = name == ":method"      ? &method_
                 : name == ":scheme"    ? &scheme_
                 : name == ":authority" ? &authority_
                 : name == ":path"      ? &path_
                 : name == ":protocol"  ? &protocol_
                                        : nullptr;
    if (slot) {
      *slot = {head_bytes_.size(), value.size()};
      head_bytes_.append(value);
    }
    return 0;
  }
  if (name == "cookie") {
    // Section 8.2.3: cookie-pairs may come as separate fields; HTTP/1.1 semantics
    // (and Go) join them with "; " into one Cookie field.
    if (!cookies_.empty()) cookies_.append("; ");
    cookies_.append(value);
    return 0;
  }
  const std::size_t at = head_bytes_.size();
  char* out = head_bytes_.extend(name.size() + value.size());
  copy_canonical(name, out);
  if (!value.empty()) std::memcpy(out + name.size(), value.data(), value.size());
  field_spans_.push_back({at, name.size(), value.size()});
  return 0;
}

// validate_pseudo covers section 8.3.1's rules that nghttp2 leaves to us.
bool Stream::validate_pseudo(std::string_view host) const {
  const std::string_view method = pseudo(method_), path = pseudo(path_), authority = pseudo(authority_);
  if (method == "CONNECT" && protocol_.len == 0) return true;  // section 8.5: authority only
  // ":path" is "*" only for a server-wide OPTIONS; otherwise origin-form (section 8.3.1).
  if (path == "*") return method == "OPTIONS";
  if (path.empty() || path[0] != '/') return false;
  // A Host field naming another authority than ":authority" makes the request
  // malformed (section 8.3.1: "SHOULD treat as malformed"; Go does too).
  if (!host.empty() && !authority.empty() && host != authority) return false;
  return true;
}

bool Stream::finish_head(bool end_stream) {
  // Host becomes r.Host (below), not a header field, as in Go.
  std::string_view host;
  bool seen_host = false;
  for (const FieldSpan& f : field_spans_) {
    const std::string_view name = head_bytes_.view(f.at, f.name_len);
    const std::string_view value = head_bytes_.view(f.at + f.name_len, f.value_len);
    if (name == "Host") {
      if (!seen_host) host = value;
      seen_host = true;
      continue;
    }
    req_.header().add_view(name, value);
  }
  if (!validate_pseudo(host)) return false;
  const std::string_view method = pseudo(method_), path = pseudo(path_), authority = pseudo(authority_);
  const bool connect = method == "CONNECT" && protocol_.len == 0;
  if (connect) {
    req_.url().clear();
    req_.url().host.assign(authority);
  } else if (path == "*") {
    req_.url().clear();
    req_.url().path.assign("*");
  } else if (parse_request_uri(path, req_.url())) {
    return false;
  }
  if (!cookies_.empty()) req_.header().add_view("Cookie", cookies_);
  req_.set_method(method);
  req_.set_request_uri(connect ? authority : path);
  req_.set_proto("HTTP/2.0", 2, 0);
  // Go's r.Host: ":authority", else a Host field (section 8.3.1 allows either).
  req_.set_host(authority.empty() ? host : authority);
  const std::string_view cl = req_.header().get("Content-Length");
  req_.set_content_length(end_stream ? 0 : (cl.empty() ? -1 : parse_length(cl)));
  if (end_stream) end_stream_ = true;
  return true;
}

}  // namespace httpkit::detail
