#include "options.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>

namespace httpkit::app_detail {
namespace {

struct FlagSpec {
  const char* flag;
  const char* key;
  const char* help;
};

// The settings important enough to deserve a flag; every other one has its APP_* variable.
constexpr FlagSpec kFlags[] = {
    {"--addr", "server.addr", "listen address, e.g. :8080 or 127.0.0.1:8080"},
    {"--log-level", "log.level", "trace, debug, info, warn, error, critical or off"},
    {"--debug-addr", "debug.addr", "debug listener address; empty turns it off"},
};

}  // namespace

AppOptions parse_options(int argc, char** argv) {
  AppOptions out;
  CLI::App cli{"An httpkit application. Settings: config file < APP_* environment < flags."};
  cli.add_option("--config", out.config_path, "TOML configuration file (default config/app.toml)");
  std::vector<std::pair<CLI::Option*, std::string>> values;
  for (const auto& spec : kFlags) {
    values.emplace_back(cli.add_option(spec.flag, spec.help)->expected(1), spec.key);
  }
  cli.add_flag("--routes", out.print_routes, "print the route table and exit");
  cli.add_flag("--check-config", out.check_config, "validate the configuration and exit");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    out.exit_now = e.get_exit_code();
    out.message = e.get_exit_code() == 0 ? cli.help() : std::string(e.what()) + "\n" + cli.help();
    return out;
  }
  out.config_explicit = cli.count("--config") > 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].first->count() == 0) continue;
    out.overrides.emplace_back(values[i].second, values[i].first->as<std::string>());
    out.override_flags.emplace_back(kFlags[i].flag);
  }
  return out;
}

std::optional<ConfigError> load_layers(const AppOptions& options, const std::function<const char*(const char*)>& getenv,
                                       AppConfig& cfg) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(options.config_path, ec);
  if (exists) {
    if (auto err = load_config_file(options.config_path, cfg)) return err;
  } else if (options.config_explicit) {
    return ConfigError{options.config_path, 0, "no such file"};
  }
  if (auto err = apply_env(cfg, getenv)) return err;
  for (std::size_t i = 0; i < options.overrides.size(); ++i) {
    const auto& [key, value] = options.overrides[i];
    if (auto err = set_config_value(cfg, key, value, "flag " + options.override_flags[i])) return err;
  }
  return validate(cfg, exists ? options.config_path : "configuration");
}

}  // namespace httpkit::app_detail
