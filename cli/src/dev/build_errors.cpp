#include "dev/build_errors.hpp"

#include <sstream>
#include <vector>

namespace httpkit::cli {
namespace {

// The compiler shows the offending source line and a caret under an error: 2 lines.
constexpr int kContextLines = 2;
constexpr std::size_t kTailLines = 20;

bool is_error_line(const std::string& line) {
  return line.find(": error:") != std::string::npos || line.find(": fatal error:") != std::string::npos ||
         line.starts_with("CMake Error") || line.find("undefined reference to") != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string tail(const std::vector<std::string>& lines) {
  std::string out;
  const std::size_t from = lines.size() > kTailLines ? lines.size() - kTailLines : 0;
  for (std::size_t i = from; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace

std::string summarize_build_errors(const std::string& output, int max_errors) {
  const auto lines = lines_of(output);
  std::string out;
  int errors = 0, more = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!is_error_line(lines[i])) continue;
    if (errors == max_errors) {
      ++more;
      continue;
    }
    ++errors;
    out += lines[i] + "\n";
    for (std::size_t j = i + 1; j < lines.size() && j <= i + kContextLines; ++j) {
      if (is_error_line(lines[j]) || lines[j].find(": note:") != std::string::npos) break;
      out += lines[j] + "\n";
    }
  }
  if (errors == 0) return tail(lines);
  if (more > 0) out += "... and " + std::to_string(more) + " more error(s)\n";
  return out;
}

}  // namespace httpkit::cli
