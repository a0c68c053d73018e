// Internal: parsing a request head whose extent is already known.
#pragma once

#include <span>

#include "http1/parser.hpp"

namespace httpkit::http1::detail {

// parse_located_head parses head[start..] (the request line up to and including the
// blank line; every line ends in CRLF) into req and framing. consumed is left 0.
HeadResult parse_located_head(std::span<char> head, std::size_t start, Request& req, BodyFraming& framing);

}  // namespace httpkit::http1::detail
