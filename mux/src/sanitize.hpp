// Request sanitizing as Go's ServeMux does it: the path is cleaned (and unclean
// requests redirected), the host loses its port (server.go cleanPath, stripHostPort).
#pragma once

#include <string>
#include <string_view>

namespace httpkit::mux_detail {

// clean_path returns the canonical form of p: rooted, without "." and ".." elements
// or repeated slashes, keeping a trailing slash (Go's cleanPath over path.Clean).
std::string clean_path(std::string_view p);

// is_clean reports, without allocating, whether clean_path(p) == p.
bool is_clean(std::string_view p) noexcept;

// strip_host_port returns h without a trailing ":port"; h unchanged when it has no
// port or does not split (net.SplitHostPort fails), as Go's stripHostPort.
std::string_view strip_host_port(std::string_view h) noexcept;

}  // namespace httpkit::mux_detail
