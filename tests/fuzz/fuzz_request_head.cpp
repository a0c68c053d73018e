// libFuzzer target: parse_request_head on arbitrary bytes. Beyond "no crash, no
// sanitizer report", it checks that the result does not depend on how the head arrived
// (whole, or resumed through HeadScan) and that every view stays inside the buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/common_keys.hpp"
#include "http1/parser.hpp"

namespace {

using namespace httpkit::http1;

void require(bool ok) {
  if (!ok) std::abort();
}

bool inside(std::string_view v, const std::string& buf) {
  return v.empty() || (v.data() >= buf.data() && v.data() + v.size() <= buf.data() + buf.size());
}

// A field name views the buffer, or the static canonical text of a common name.
bool name_stored_right(std::string_view name, const std::string& buf) {
  return inside(name, buf) || name.data() == httpkit::detail::common_header_key(name).data();
}

HeadResult parse_whole(const std::string& input, const Limits& limits, std::string& buf) {
  buf = input;
  httpkit::Request req;
  BodyFraming framing;
  HeadResult r = parse_request_head(buf, limits, req, framing);
  if (r.status == ParseStatus::complete) {
    require(r.consumed > 0 && r.consumed <= buf.size());
    for (const auto& f : req.header()) require(name_stored_right(f.name, buf) && inside(f.value, buf));
    require(framing.kind != BodyKind::chunked || req.content_length() == -1);
    require(framing.length >= 0);
  } else if (r.status == ParseStatus::error) {
    require(r.error_status >= 400 && r.error_status < 600 && !r.error_message.empty());
  }
  return r;
}

HeadResult parse_in_two_steps(const std::string& input, const Limits& limits) {
  std::string buf = input.substr(0, input.size() / 2);
  httpkit::Request req;
  BodyFraming framing;
  HeadScan scan;
  HeadResult first = parse_request_head(buf, limits, req, framing, &scan);
  if (first.status != ParseStatus::need_more) return first;
  buf = input;
  req.reset();
  return parse_request_head(buf, limits, req, framing, &scan);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (std::size_t max : {std::size_t{64}, std::size_t{1} << 20}) {
    Limits limits;
    limits.max_header_bytes = max;
    std::string buf;
    HeadResult whole = parse_whole(input, limits, buf);
    HeadResult split = parse_in_two_steps(input, limits);
    // A half-input that is already complete or wrong decides early; else both agree.
    if (split.status == ParseStatus::complete || whole.status == ParseStatus::complete) {
      require(split.status == whole.status || split.status == ParseStatus::error || whole.status == ParseStatus::error);
    }
    if (whole.status == ParseStatus::need_more) require(split.status != ParseStatus::complete);
  }
  return 0;
}
