// httpkit dev [--addr A]: serve the project and rebuild + hot-swap it on every save.
#include <fstream>
#include <regex>
#include <sstream>

#include "commands.hpp"
#include "dev/dev_loop.hpp"
#include "project.hpp"

namespace httpkit::cli {
namespace {

// default_addr serves on loopback at the port of config/app.toml's server.addr (the
// port `httpkit new --port` chose), 8080 when the file says nothing.
std::string default_addr(const Project& p) {
  std::ifstream in(p.root / "config/app.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  static const std::regex kAddr(R"re((^|\n)\s*addr\s*=\s*"[^"\n]*:([0-9]+)")re");
  std::smatch m;
  const std::string text = ss.str();
  return "127.0.0.1:" + (std::regex_search(text, m, kAddr) ? m[2].str() : std::string("8080"));
}

}  // namespace

void add_dev_command(CLI::App& app) {
  auto addr = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("dev", "serve the project, rebuild and reload it on every change without dropping a request");
  auto no_live_reload = std::make_shared<bool>(false);
  cmd->add_option("--addr", *addr, "listen address (default 127.0.0.1 and the port of config/app.toml)");
  cmd->add_flag("--no-live-reload", *no_live_reload, "do not inject the page-reload script into HTML responses");
  cmd->callback([addr, no_live_reload] {
    const Project p = find_project_or_exit();
    DevLoop loop(p, addr->empty() ? default_addr(p) : *addr, !*no_live_reload);
    throw CommandExit{loop.run()};
  });
}

}  // namespace httpkit::cli
