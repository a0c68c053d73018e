// template_files: app_template/, embedded at build time (cli/embed_template.cmake).
#pragma once

#include <span>
#include <string_view>

namespace httpkit::cli {

struct TemplateFile {
  std::string_view path;     // relative, '/'-separated: "src/main.cpp"
  std::string_view content;  // with {{name}}, {{ident}}, {{port}}, {{version}} placeholders
};

std::span<const TemplateFile> template_files();

}  // namespace httpkit::cli
