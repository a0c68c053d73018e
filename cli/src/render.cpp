#include "render.hpp"

namespace httpkit::cli {

std::string render(std::string_view text, const std::map<std::string, std::string, std::less<>>& vars) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t open = text.find("{{", i);
    const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    auto it = vars.find(text.substr(open + 2, close - open - 2));
    if (it != vars.end()) out.append(it->second);
    else out.append(text.substr(open, close + 2 - open));
    i = close + 2;
  }
  return out;
}

}  // namespace httpkit::cli
