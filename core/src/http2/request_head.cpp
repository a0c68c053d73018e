// The request head of a stream: fields to a Request, and RFC 9113 section 8's
// messaging rules. nghttp2's own checks are off (nghttp2_option_set_no_http_messaging,
// decision 0048): they cost more than ours, which ride on the passes we make over
// names and values anyway. A malformed request (section 8.1.1) is reset with
// PROTOCOL_ERROR and its handler never runs; the connection keeps serving. Where
// each rule lives:
// - on_header and add_field, per field: names non-empty lowercase tokens and values
//   without control bytes or leading/trailing SP/HTAB (8.2.1); no connection-specific
//   fields, TE only "trailers" (8.2.2); content-length a decimal, repeats agreeing
//   (8.1.1); pseudo-fields known, not repeated, before regular fields, not in
//   trailers (8.3, 8.1); one Host;
// - finish_head and validate_pseudo, per head: the pseudo-fields a request needs and
//   their values' syntax (8.3.1; 8.5 for CONNECT), Host like ":authority", no
//   content-length above zero on a request that ends with its HEADERS (8.1.1);
// - count_body and on_end_stream (stream.cpp): DATA against content-length (8.1.1);
//   on_frame_recv (session.cpp): trailers end the stream (8.1).
// nghttp2 still owns the frame and stream-state rules (a HEADERS or DATA after
// END_STREAM is its STREAM_CLOSED error, for one).
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "http/chars.hpp"
#include "http/swar.hpp"
#include "http2/header_block.hpp"
#include "http2/http2_conn.hpp"
#include "http2/request_fields.hpp"
#include "http2/stream.hpp"
#include "httpkit/url.hpp"

namespace httpkit::detail {
namespace {

// kFieldOverhead: RFC 7541 section 4.1 counts 32 bytes per field beyond its name and
// value; SETTINGS_MAX_HEADER_LIST_SIZE is defined with the same sizes (RFC 9113 6.5.2).
constexpr std::size_t kFieldOverhead = 32;

// parse_length reads a content-length (RFC 9110 section 8.6: 1*DIGIT); -1 when it
// is not one or does not fit in 63 bits.
std::int64_t parse_length(std::string_view v) {
  if (v.empty() || v[0] < '0' || v[0] > '9') return -1;  // from_chars would take a '-'
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc{} && end == v.data() + v.size() ? n : -1;
}

using swar::in_range, swar::kHighs, swar::same_bytes;

// valid_value: RFC 9113 section 8.2.1, with no leading or trailing SP or HTAB. A value
// may hold no control byte but HTAB (the section names NUL, CR and LF; nghttp2 and Go's
// httpguts refuse them all): only a value with some control byte is looked at byte by
// byte.
bool valid_value(std::string_view v) noexcept {
  if (swar::any_below_or_del(v, 0x20) && !all_of(v, kFieldValueChar)) return false;
  return v.empty() || (!is_ows(v.front()) && !is_ows(v.back()));
}

// A field name is a token without uppercase letters (RFC 9113 section 8.2.1).
constexpr std::array<bool, 256> make_name_table() noexcept {
  std::array<bool, 256> t = kTokenChar;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<unsigned>(c)] = false;
  return t;
}
constexpr std::array<bool, 256> kNameChar = make_name_table();

// ":authority" and Host bytes: RFC 3986 section 3.2's reg-name, IP-literal and port
// (the host bytes HTTP/1 takes), and '@' as nghttp2 allows (nghttp2_check_authority).
constexpr std::array<bool, 256> make_authority_table() noexcept {
  std::array<bool, 256> t = kHostChar;
  t['@'] = true;
  return t;
}
constexpr std::array<bool, 256> kAuthorityChar = make_authority_table();

bool valid_name(std::string_view name) noexcept { return !name.empty() && all_of(name, kNameChar); }
bool valid_authority(std::string_view v) noexcept { return !v.empty() && all_of(v, kAuthorityChar); }
// valid_method: a token; GET and POST, most requests, need no table walk.
bool valid_method(std::string_view v) noexcept {
  return v == "GET" || v == "POST" || (!v.empty() && all_of(v, kTokenChar));
}
// valid_path: ":path" holds no control byte and no space (RFC 3986 section 3.3, as nghttp2).
bool valid_path(std::string_view v) noexcept { return !v.empty() && !swar::any_below_or_del(v, 0x21); }

// valid_scheme: RFC 3986 section 3.1, ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool valid_scheme(std::string_view v) noexcept {
  if (v == "https" || v == "http") return true;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (v.empty() || !alpha(v[0])) return false;
  for (char c : v.substr(1)) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// copy_canonical writes name into out in canonical form ("user-agent" ->
// "User-Agent") and reports whether it is a valid HTTP/2 field name (valid_name).
// Valid names are the fast path, eight bytes at a time: a letter that starts the name
// or follows '-' loses 0x20. Anything else goes through the general rule.
bool copy_canonical(std::string_view name, char* out) noexcept {
  auto general = [&] {
    name.copy(out, name.size());
    canonicalize_header_key_in_place(out, name.size());
    return valid_name(name);
  };
  // word canonicalises the eight bytes at `at`; starts: the high bit of the first byte
  // if it starts a word. False: not all of them are [a-z0-9-].
  auto word = [&](std::size_t at, std::uint64_t starts, std::uint64_t& dash) {
    std::uint64_t w = swar::load8(name.data() + at);
    const std::uint64_t lower = in_range(w, 'a', 'z');
    dash = in_range(w, '-', '-');
    if ((w & kHighs) != 0 || (lower | dash | in_range(w, '0', '9')) != kHighs) return false;
    w -= ((starts | dash << 8) & lower) >> 2;  // 0x80 >> 2 is 'a' - 'A'
    std::memcpy(out + at, &w, 8);
    return true;
  };
  const std::size_t n = name.size();
  if (n == 0) return false;
  if (n >= 8) {
    std::uint64_t starts = 0x80, dash = 0;  // the first byte starts a word
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      if (!word(i, starts, dash)) return general();
      starts = dash >> 56;  // a '-' in the last byte starts the next word
    }
    // The rest as the last eight bytes, which overlap the word before: the overlap is
    // written again with the same bytes.
    if (i < n && !word(n - 8, name[n - 9] == '-' ? 0x80 : 0, dash)) return general();
    return true;
  }
  bool upper = true;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return general();
    out[i] = upper && c >= 'a' ? static_cast<char>(c - ('a' - 'A')) : c;
    upper = c == '-';
  }
  return true;
}

// Stream::seen_: the pseudo-fields and the Host field the head has had.
constexpr std::uint8_t kSeenMethod = 1, kSeenScheme = 2, kSeenAuthority = 4, kSeenPath = 8, kSeenHost = 16;

}  // namespace

// on_header enforces the header list limit as fields are decoded, so an HPACK bomb
// (a few bytes that expand into megabytes through the dynamic table) is refused
// after max_header_list_size bytes, not after the whole expansion. A field that
// breaks a per-field rule resets the stream at once, as nghttp2 did; the rest of its
// head is ignored (and not counted: nothing of it is kept).
inline int Stream::on_field(std::string_view name, std::string_view value, bool trailer) {
  if (malformed_) return 0;
  header_list_size_ += name.size() + value.size() + kFieldOverhead;
  if (header_list_size_ > conn_.header_list_limit()) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // RST_STREAM
  if (!name.starts_with(':')) {
    if (!add_field(name, value, trailer) && check_fields_) reset_malformed();
    return 0;
  }
  // A pseudo-field's value is kept here and checked by validate_pseudo with the rest
  // of the head. Section 8.3: unknown pseudo-fields (":status" is a response's;
  // ":protocol" needs our SETTINGS_ENABLE_CONNECT_PROTOCOL, RFC 8441 section 4, which
  // we do not send), repeated ones, ones after a regular field and (section 8.1) ones
  // in trailers make the request malformed. Told apart by length first.
  Span* slot = nullptr;
  std::uint8_t bit = 0;
  switch (name.size()) {
    case 5:
      if (name == ":path") slot = &path_, bit = kSeenPath;
      break;
    case 7:
      if (name == ":method") {
        slot = &method_, bit = kSeenMethod;
      } else if (name == ":scheme") {
        slot = &scheme_, bit = kSeenScheme;
      }
      break;
    case 10:
      if (name == ":authority") slot = &authority_, bit = kSeenAuthority;
      break;
    default: break;
  }
  if (!slot || trailer || regular_seen_ || (seen_ & bit) != 0) {
    if (check_fields_) reset_malformed();
    return 0;
  }
  seen_ |= bit;
  *slot = {head_bytes_.size(), value.size()};
  head_bytes_.append(value);
  return 0;
}

int Stream::on_header(std::string_view name, std::string_view value, bool trailer) {
  return on_field(name, value, trailer);
}

// add_field keeps a regular field (trailer: of the trailers); false: the request is
// malformed. Cookie crumbs are joined, and Host is kept apart for Request::host.
bool Stream::add_field(std::string_view name, std::string_view value, bool trailer) {
  bool valid = valid_value(value);
  const KnownField known = known_field(name);
  switch (known.rule) {
    case FieldRule::plain:
      break;
    case FieldRule::connection_specific:  // section 8.2.2
      return false;
    case FieldRule::te:  // section 8.2.2: only "trailers"
      valid = valid && equal_fold(value, "trailers");
      break;
    case FieldRule::content_length:
      valid = valid && note_content_length(value);
      break;
    case FieldRule::cookie:
      if (trailer) break;
      // Section 8.2.3: cookie-pairs may come as separate fields; HTTP/1.1 semantics
      // (and Go) join them with "; " into one Cookie field.
      regular_seen_ = true;
      if (!cookies_.empty()) cookies_.append("; ");
      cookies_.append(value);
      return valid;
    case FieldRule::host: {
      if (trailer) break;
      // Host is r.Host (finish_head), not a header field, as in Go; validate_pseudo
      // holds it to the rules of ":authority", as nghttp2 did.
      regular_seen_ = true;
      const bool repeated = (seen_ & kSeenHost) != 0;
      seen_ |= kSeenHost;
      host_ = {head_bytes_.size(), value.size()};
      head_bytes_.append(value);
      return !repeated;
    }
  }
  if (trailer) {
    req_.trailer().add(name, value);
    return valid && valid_name(name);
  }
  regular_seen_ = true;
  const std::size_t at = head_bytes_.size();
  char* out = head_bytes_.extend(name.size() + value.size());
  if (known.canonical.empty()) {
    valid = copy_canonical(name, out) && valid;
  } else {
    copy_bytes(out, known.canonical.data(), name.size());  // a valid name, spelled already
  }
  copy_bytes(out + name.size(), value.data(), value.size());
  field_spans_.push_back({at, name.size(), value.size()});
  return valid;
}

// note_content_length: section 8.1.1 with RFC 9110 section 8.6: a decimal, and
// repeated ones must agree (they then stand for one).
bool Stream::note_content_length(std::string_view value) {
  const std::int64_t n = parse_length(value);
  if (n < 0 || (content_length_ >= 0 && n != content_length_)) return false;
  content_length_ = n;
  return true;
}

// known_valid_authority is valid_authority, remembered for the connection: clients
// send the same ":authority" on every stream (HPACK indexes it), so it is compared with
// the last valid one before it is looked at byte by byte.
inline bool Stream::known_valid_authority(std::string_view authority) const {
  std::string& memo = conn_.valid_authority_memo();
  if (!memo.empty() && same_bytes(authority, memo)) return true;
  if (!valid_authority(authority)) return false;
  memo.assign(authority);
  return true;
}

// validate_pseudo: the pseudo-fields a request needs and their values (section
// 8.3.1), with what Go and section 8.3.1 say of ":path" and Host. A value checked
// here costs the same as at its field, and the field path stays lean.
inline bool Stream::validate_pseudo(const PseudoFields& p) const {
  const std::string_view method = p.method, path = p.path, authority = p.authority, host = p.host;
  const bool has_authority = (seen_ & kSeenAuthority) != 0, has_host = (seen_ & kSeenHost) != 0;
  if (!valid_method(method)) return false;  // absent: empty, which is no token
  if ((has_authority && !known_valid_authority(authority)) || (has_host && !valid_authority(host))) return false;
  // Section 8.5: CONNECT has ":authority" and neither ":scheme" nor ":path".
  if (method == "CONNECT") return has_authority && (seen_ & (kSeenScheme | kSeenPath)) == 0;
  if (!valid_scheme(p.scheme) || !valid_path(path)) return false;
  // nghttp2 wanted one of them (section 8.3.1 only asks clients for ":authority"); the
  // HTTP/1.1 request of an h2c upgrade may have had an empty Host.
  if (check_fields_ && !has_authority && !has_host) return false;
  // ":path" is "*" only for a server-wide OPTIONS; otherwise origin-form (section 8.3.1).
  if (path == "*") return method == "OPTIONS";
  if (path[0] != '/') return false;
  // A Host field naming another authority than ":authority" makes the request
  // malformed (section 8.3.1: "SHOULD treat as malformed"; Go does too).
  if (has_host && has_authority && host != authority) return false;
  return true;
}

bool Stream::finish_head(bool end_stream) {
  if (malformed_) return false;
  const PseudoFields p{pseudo(method_), pseudo(scheme_), pseudo(authority_), pseudo(path_), pseudo(host_)};
  if (!validate_pseudo(p)) return false;
  const std::string_view method = p.method, path = p.path, authority = p.authority;
  const bool connect = method == "CONNECT";
  // Section 8.1.1: a request that ends here has no content, so no content-length
  // above 0; CONNECT's DATA is a tunnel's bytes, which content-length does not count.
  if (connect) {
    content_length_ = -1;
  } else if (end_stream && content_length_ > 0) {
    return false;
  }
  for (const FieldSpan& f : field_spans_) {
    req_.header().add_view(head_bytes_.view(f.at, f.name_len), head_bytes_.view(f.at + f.name_len, f.value_len));
  }
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
  // Views: head_bytes_ does not change until the stream is reused.
  req_.set_method_view(method);
  req_.set_request_uri_view(connect ? authority : path);
  req_.set_proto("HTTP/2.0", 2, 0);
  // Go's r.Host: ":authority", else a Host field (section 8.3.1 allows either).
  req_.set_host_view(authority.empty() ? p.host : authority);
  req_.set_content_length(end_stream ? 0 : content_length_);
  if (end_stream) end_stream_ = true;
  return true;
}

}  // namespace httpkit::detail
