// The default middleware around the application's routes, and the debug endpoints that
// come with it. Two implementations, chosen by CMake, never by a macro:
// default_chain.cpp uses httpkit_middleware (recover, request_id, access_log, metrics,
// labels, max_bytes, pprof); default_chain_minimal.cpp serves builds without it.
#pragma once

#include <functional>
#include <memory>
#include <spdlog/logger.h>

#include "httpkit/app/config.hpp"
#include "httpkit/conn.hpp"
#include "httpkit/handler.hpp"
#include "httpkit/server.hpp"

namespace httpkit::app_detail {

struct ChainParts {
  Handler handler;  // the application's handler inside the default chain
  Handler debug;    // what the debug listener serves (profiles, fibers, metrics)
  std::function<void(const Conn&, ConnState)> conn_state;  // empty when nothing listens
  std::shared_ptr<void> keep_alive;  // state the handlers above refer to (metrics)
};

// build_default_chain wraps app, outermost first: recover, request_id, access_log (when
// log.access_log), metrics, labels, max_bytes (when server.max_body_bytes > 0).
ChainParts build_default_chain(Handler app, const AppConfig& cfg, std::shared_ptr<spdlog::logger> access_logger);

}  // namespace httpkit::app_detail
