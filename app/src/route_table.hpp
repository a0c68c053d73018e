// print_route_table: what `--routes` and `httpkit routes` show.
#pragma once

#include <ostream>
#include <vector>

#include "httpkit/serve_mux.hpp"

namespace httpkit::app_detail {

// print_route_table writes one line per route, "PATTERN  FILE:LINE", patterns aligned,
// after the two probes the App serves itself.
void print_route_table(std::ostream& out, const std::vector<RouteInfo>& routes);

}  // namespace httpkit::app_detail
