// Internal: Go's path.Clean, used by redirect() to resolve relative targets.
#pragma once

#include <string>
#include <string_view>

namespace httpkit::detail {

// clean_path returns the shortest path equivalent to p by purely lexical processing:
// repeated slashes collapse, "." elements go, ".." eats the element before it (and is
// dropped at the root); "" becomes ".". Exactly Go's path.Clean.
std::string clean_path(std::string_view p);

}  // namespace httpkit::detail
