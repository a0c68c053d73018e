// The table of settings: one row per key, shared by the file, the environment and flags
// so that all three accept exactly the same keys and values.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "httpkit/app/config.hpp"

namespace httpkit::app_detail {

// Kind is what a value must look like; it decides the TOML type and the validation.
enum class Kind { address, optional_address, duration, size, threads, boolean, log_level, log_format, path };

using FieldRef = std::variant<std::string*, Duration*, std::size_t*, int*, bool*, LogFormat*>;

struct Field {
  std::string_view key;  // "section.name"
  Kind kind;
  FieldRef (*ref)(AppConfig&);
};

std::span<const Field> fields();
// find_field returns the row for key, or nullptr.
const Field* find_field(std::string_view key);
// toml_type_name is the TOML type a value of kind must have ("string", "integer", "boolean").
std::string_view toml_type_name(Kind kind);
// set_from_text validates text for f and stores it in cfg; returns the reason on failure.
std::optional<std::string> set_from_text(const Field& f, AppConfig& cfg, std::string_view text);

}  // namespace httpkit::app_detail
