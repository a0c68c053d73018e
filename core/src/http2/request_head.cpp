// The request head of a stream: pseudo-header fields to a Request (RFC 9113 section 8.3).
// nghttp2 already rejects what its HTTP messaging checks cover (section 8.2: uppercase
// names, connection-specific fields, TE other than "trailers", pseudo-fields that are
// missing, repeated, unknown or after regular fields, content-length vs DATA); what is
// left to the application is here.
#include <charconv>

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
    if (name == ":method") method_.assign(value);
    else if (name == ":scheme") scheme_.assign(value);
    else if (name == ":authority") authority_.assign(value);
    else if (name == ":path") path_.assign(value);
    else if (name == ":protocol") protocol_.assign(value);
    return 0;
  }
  if (name == "cookie") {
    // Section 8.2.3: cookie-pairs may come as separate fields; HTTP/1.1 semantics
    // (and Go) join them with "; " into one Cookie field.
    if (!cookies_.empty()) cookies_.append("; ");
    cookies_.append(value);
    return 0;
  }
  req_.header().add(name, value);  // add canonicalises: "content-type" -> "Content-Type"
  return 0;
}

// validate_pseudo covers section 8.3.1's rules that nghttp2 leaves to us.
bool Stream::validate_pseudo() {
  if (method_ == "CONNECT" && protocol_.empty()) return true;  // section 8.5: authority only
  // ":path" is "*" only for a server-wide OPTIONS; otherwise origin-form (section 8.3.1).
  if (path_ == "*") return method_ == "OPTIONS";
  if (path_.empty() || path_[0] != '/') return false;
  // A Host field naming another authority than ":authority" makes the request
  // malformed (section 8.3.1: "SHOULD treat as malformed"; Go does too).
  const std::string_view host = req_.header().get("Host");
  if (!host.empty() && !authority_.empty() && host != authority_) return false;
  return true;
}

bool Stream::finish_head(bool end_stream) {
  if (!validate_pseudo()) return false;
  const std::string_view target = method_ == "CONNECT" && protocol_.empty() ? std::string_view(authority_) : path_;
  if (method_ == "CONNECT" && protocol_.empty()) {
    req_.url().clear();
    req_.url().host.assign(authority_);
  } else if (path_ == "*") {
    req_.url().clear();
    req_.url().path.assign("*");
  } else if (parse_request_uri(path_, req_.url())) {
    return false;
  }
  if (!cookies_.empty()) req_.header().add("Cookie", cookies_);
  req_.set_method(method_);
  req_.set_request_uri(target);
  req_.set_proto("HTTP/2.0", 2, 0);
  // Go's r.Host: ":authority", else a Host field (section 8.3.1 allows either).
  req_.set_host(authority_.empty() ? req_.header().get("Host") : std::string_view(authority_));
  req_.header().del("Host");
  const std::string_view cl = req_.header().get("Content-Length");
  req_.set_content_length(end_stream ? 0 : (cl.empty() ? -1 : parse_length(cl)));
  if (end_stream) end_stream_ = true;
  return true;
}

}  // namespace httpkit::detail
