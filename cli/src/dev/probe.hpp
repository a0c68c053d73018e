// probe_status: one plain GET against a loopback port, for readiness checks.
#pragma once

#include <chrono>
#include <string_view>

namespace httpkit::cli {

// probe_status returns the HTTP status of GET path on 127.0.0.1:port, or -1 when the
// connection fails or no status line arrives within timeout.
int probe_status(int port, std::string_view path, std::chrono::milliseconds timeout);

}  // namespace httpkit::cli
