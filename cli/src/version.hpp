// kit_version: the httpkit release this CLI was built from ("0.1.0").
#pragma once

#include <string_view>

namespace httpkit::cli {

std::string_view kit_version() noexcept;

}  // namespace httpkit::cli
