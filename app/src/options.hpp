// AppOptions: the command line of an app (CLI11) and the layered configuration it
// selects: defaults < config file < APP_* environment < flags.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "httpkit/app/config.hpp"

namespace httpkit::app_detail {

struct AppOptions {
  std::string config_path = "config/app.toml";
  bool config_explicit = false;  // --config given: a missing file is then an error
  std::vector<std::pair<std::string, std::string>> overrides;  // {key, value} from flags, in order
  std::vector<std::string> override_flags;                      // "--addr", parallel to overrides
  bool print_routes = false;
  bool check_config = false;
  // exit_now: --help or a usage error; message goes to stdout (help) or stderr.
  std::optional<int> exit_now;
  std::string message;
};

// parse_options reads argv; it never exits the process (run() decides).
AppOptions parse_options(int argc, char** argv);

// load_layers builds the configuration from the options and getenv.
std::optional<ConfigError> load_layers(const AppOptions& options, const std::function<const char*(const char*)>& getenv,
                                       AppConfig& cfg);

}  // namespace httpkit::app_detail
