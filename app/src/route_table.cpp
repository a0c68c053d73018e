#include "route_table.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>

namespace httpkit::app_detail {

void print_route_table(std::ostream& out, const std::vector<RouteInfo>& routes) {
  std::size_t width = std::string_view("GET /healthz").size();
  for (const auto& r : routes) width = std::max(width, r.pattern.size());
  const int w = static_cast<int>(width) + 2;
  out << std::left << std::setw(w) << "GET /healthz" << "(app: liveness)\n";
  out << std::left << std::setw(w) << "GET /readyz" << "(app: readiness)\n";
  for (const auto& r : routes) {
    // Relative paths keep the table short; the compiler records what it was given.
    const std::string file = std::filesystem::path(r.where.file_name()).lexically_proximate(
        std::filesystem::current_path()).string();
    out << std::left << std::setw(w) << r.pattern << file << ":" << r.where.line() << "\n";
  }
}

}  // namespace httpkit::app_detail
