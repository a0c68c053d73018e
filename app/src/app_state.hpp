// AppState: what an App holds between its constructor and run().
#pragma once

#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "health.hpp"
#include "httpkit/app/config.hpp"
#include "httpkit/serve_mux.hpp"
#include "options.hpp"
#include "signals.hpp"

namespace httpkit::app_detail {

struct AppState {
  // First member: signals are blocked before anything else can start a thread.
  SignalFd signals{SIGTERM, SIGINT, SIGHUP};
  AppOptions options;
  AppConfig cfg;
  std::optional<ConfigError> config_error;
  ServeMux mux;
  std::vector<std::function<void(const AppConfig&)>> reload_hooks;
  Health health;
};

}  // namespace httpkit::app_detail
