// load_config_file: config/app.toml through toml++, every error with its line.
#include <toml++/toml.h>

#include "config/fields.hpp"
#include "config/suggest.hpp"

namespace httpkit {
namespace {

using app_detail::Field;

int line_of(const toml::source_region& src) { return static_cast<int>(src.begin.line); }

// text_of renders a TOML scalar as the text set_from_text validates, after checking
// that its TOML type is the one the setting needs ("30s" is a string, 30 is not).
std::optional<std::string> text_of(const toml::node& node, const Field& f, std::string& reason) {
  const std::string_view want = app_detail::toml_type_name(f.kind);
  if (want == "integer" && node.is_integer()) return std::to_string(node.as_integer()->get());
  if (want == "boolean" && node.is_boolean()) return node.as_boolean()->get() ? "true" : "false";
  if (want == "string" && node.is_string()) return node.as_string()->get();
  reason = std::string(f.key) + ": expected a " + std::string(want);
  if (f.kind == app_detail::Kind::duration && node.is_number()) reason += " such as \"30s\" (a number has no unit)";
  return std::nullopt;
}

std::optional<ConfigError> apply_section(const std::string& path, std::string_view section, const toml::table& tbl,
                                         AppConfig& cfg) {
  for (const auto& [key, node] : tbl) {
    const std::string full = std::string(section) + "." + std::string(key.str());
    const Field* f = app_detail::find_field(full);
    if (!f) return ConfigError{path, line_of(key.source()), "unknown key " + full + app_detail::did_you_mean(full)};
    std::string reason;
    auto text = text_of(node, *f, reason);
    if (!text) return ConfigError{path, line_of(node.source()), reason};
    if (auto bad = app_detail::set_from_text(*f, cfg, *text)) {
      return ConfigError{path, line_of(node.source()), full + ": " + *bad};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ConfigError> load_config_file(const std::string& path, AppConfig& cfg) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return ConfigError{path, line_of(e.source()), std::string(e.description())};
  }
  for (const auto& [key, node] : root) {
    const auto* section = node.as_table();
    if (!section) {
      return ConfigError{path, line_of(key.source()),
                         "\"" + std::string(key.str()) + "\" must be a section such as [server]"};
    }
    if (auto err = apply_section(path, key.str(), *section, cfg)) return err;
  }
  return std::nullopt;
}

}  // namespace httpkit
