// render: the template's placeholders filled in for one project.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace httpkit::cli {

// render replaces every "{{key}}" of text by vars[key]; unknown keys stay as written,
// so text that merely looks like a placeholder survives.
std::string render(std::string_view text, const std::map<std::string, std::string, std::less<>>& vars);

}  // namespace httpkit::cli
