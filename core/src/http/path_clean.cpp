// Go's path.Clean (Rob Pike's "Lexical File Names in Plan 9").
#include "http/path_clean.hpp"

namespace httpkit::detail {

std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  const bool rooted = p[0] == '/';
  std::string out;
  out.reserve(p.size());
  if (rooted) out.push_back('/');
  std::size_t dotdot = out.size();  // out[:dotdot] cannot be backtracked by ".."
  std::size_t r = rooted ? 1 : 0;
  while (r < p.size()) {
    std::size_t end = p.find('/', r);
    if (end == std::string_view::npos) end = p.size();
    std::string_view elem = p.substr(r, end - r);
    r = end + 1;
    if (elem.empty() || elem == ".") continue;
    if (elem == "..") {
      if (out.size() > dotdot) {
        std::size_t cut = out.rfind('/');
        out.resize(cut == std::string::npos || cut < dotdot ? dotdot : cut);
      } else if (!rooted) {
        if (!out.empty()) out.push_back('/');
        out.append("..");
        dotdot = out.size();
      }
      continue;
    }
    if (out.size() > (rooted ? 1u : 0u)) out.push_back('/');
    out.append(elem);
  }
  return out.empty() ? "." : out;
}

}  // namespace httpkit::detail
