// did_you_mean: the nearest known key for a misspelt one.
#pragma once

#include <string>
#include <string_view>

namespace httpkit::app_detail {

// did_you_mean returns " (did you mean server.read_timeout?)" when a known key is
// within a few edits of key, "" otherwise.
std::string did_you_mean(std::string_view key);

}  // namespace httpkit::app_detail
