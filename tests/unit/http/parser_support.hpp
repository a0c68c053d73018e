// Helpers shared by the HTTP/1 parser tests: run the parser on an owned buffer and
// describe the outcome in one comparable string.
#pragma once

#include <string>
#include <string_view>

#include "http1/parser.hpp"

namespace parser_test {

// Parsed owns the buffer the Request's views point into; it is filled in place and
// never moved, so those views stay valid.
struct Parsed {
  std::string buf;
  httpkit::Request req;
  httpkit::http1::BodyFraming framing;
  httpkit::http1::HeadResult result;

  Parsed(std::string_view raw, std::size_t max_header_bytes = std::size_t{1} << 20) : buf(raw) {
    httpkit::http1::Limits limits;
    limits.max_header_bytes = max_header_bytes;
    result = httpkit::http1::parse_request_head(buf, limits, req, framing);
  }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;
};

// fields renders the parsed header as "Name=value;Name=value".
inline std::string fields(const httpkit::Header& h) {
  std::string out;
  for (const auto& f : h) {
    if (!out.empty()) out += ';';
    out.append(f.name).append("=").append(f.value);
  }
  return out;
}

}  // namespace parser_test
