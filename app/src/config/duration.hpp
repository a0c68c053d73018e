// Go's duration syntax ("1h30m", "250ms", "1.5s") for configuration values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "httpkit/context.hpp"

namespace httpkit::app_detail {

// parse_duration accepts Go's time.ParseDuration syntax without a sign: a sequence of
// decimal numbers with units ns, us (or µs), ms, s, m, h; "0" alone needs no unit.
// On failure it returns nullopt and sets reason.
std::optional<Duration> parse_duration(std::string_view text, std::string& reason);

}  // namespace httpkit::app_detail
