// The environment and flag sources, validation, and error text.
#include <cctype>
#include <filesystem>

#include "config/fields.hpp"

namespace httpkit {

std::string ConfigError::message() const {
  return line > 0 ? source + ":" + std::to_string(line) + ": " + reason : source + ": " + reason;
}

std::optional<ConfigError> set_config_value(AppConfig& cfg, std::string_view key, std::string_view text,
                                            std::string_view source) {
  const auto* f = app_detail::find_field(key);
  if (!f) return ConfigError{std::string(source), 0, "unknown key " + std::string(key)};
  if (auto bad = app_detail::set_from_text(*f, cfg, text)) {
    return ConfigError{std::string(source), 0, std::string(key) + ": " + *bad};
  }
  return std::nullopt;
}

namespace {

// env_name maps "server.read_timeout" to "APP_SERVER_READ_TIMEOUT".
std::string env_name(std::string_view key) {
  std::string name = "APP_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

std::optional<ConfigError> apply_env(AppConfig& cfg, const std::function<const char*(const char*)>& getenv) {
  for (const auto& f : app_detail::fields()) {
    const std::string name = env_name(f.key);
    const char* value = getenv(name.c_str());
    if (!value) continue;
    if (auto err = set_config_value(cfg, f.key, value, "environment " + name)) return err;
  }
  return std::nullopt;
}

std::optional<ConfigError> validate(const AppConfig& cfg, std::string_view source) {
  const auto& tls = cfg.tls;
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return ConfigError{std::string(source), 0, "tls.cert_file and tls.key_file must be set together"};
  }
  for (const auto* file : {&tls.cert_file, &tls.key_file}) {
    std::error_code ec;
    if (!file->empty() && !std::filesystem::is_regular_file(*file, ec)) {
      return ConfigError{std::string(source), 0, "TLS file \"" + *file + "\" does not exist"};
    }
  }
  return std::nullopt;
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const auto& f : app_detail::fields()) out.emplace_back(f.key);
    return out;
  }();
  return keys;
}

}  // namespace httpkit
