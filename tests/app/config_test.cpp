// Configuration: the TOML file, the environment and flags, and their error messages.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

#include "config/duration.hpp"
#include "httpkit/app/config.hpp"
#include "options.hpp"

namespace {

using namespace std::chrono_literals;
using httpkit::AppConfig;

// TempToml writes a config file for one test and removes it after.
struct TempToml {
  explicit TempToml(const std::string& text)
      : path(std::filesystem::temp_directory_path() / ("app_config_test_" + std::to_string(::getpid()) + ".toml")) {
    std::ofstream(path) << text;
  }
  ~TempToml() { std::filesystem::remove(path); }
  std::filesystem::path path;
};

std::string load_error(const std::string& text) {
  TempToml f(text);
  AppConfig cfg;
  auto err = httpkit::load_config_file(f.path.string(), cfg);
  return err ? err->message() : "";
}

std::function<const char*(const char*)> env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

httpkit::app_detail::AppOptions options(std::vector<std::string> args) {
  args.insert(args.begin(), "app");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return httpkit::app_detail::parse_options(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("a TOML file sets every kind of value") {
  TempToml f(R"([server]
addr = "127.0.0.1:9000"
read_header_timeout = "1m30s"
max_body_bytes = 2048
threads = 3
[log]
level = "debug"
format = "json"
access_log = false
[debug]
addr = ""
)");
  AppConfig cfg;
  REQUIRE_FALSE(httpkit::load_config_file(f.path.string(), cfg));
  CHECK(cfg.server.addr == "127.0.0.1:9000");
  CHECK(cfg.server.read_header_timeout == 90s);
  CHECK(cfg.server.max_body_bytes == 2048);
  CHECK(cfg.server.threads == 3);
  CHECK(cfg.log.level == "debug");
  CHECK(cfg.log.format == httpkit::LogFormat::json);
  CHECK_FALSE(cfg.log.access_log);
  CHECK(cfg.debug.addr.empty());
  CHECK(cfg.server.idle_timeout == 120s);  // untouched keys keep their defaults
}

TEST_CASE("errors name the file, the line and the reason") {
  struct Case {
    std::string toml;
    std::string want;  // after "FILE:"
  };
  const std::vector<Case> cases{
      {"[server]\naddr = \":80\"\nread_timout = \"5s\"\n", "3: unknown key server.read_timout (did you mean server.read_timeout?)"},
      {"[server]\n\nidle_timeout = 30\n", "3: server.idle_timeout: expected a string such as \"30s\" (a number has no unit)"},
      {"[server]\naddr = \":99999\"\n", "2: server.addr: port \"99999\" must be a number from 0 to 65535"},
      {"[log]\nlevel = \"loud\"\n", "2: log.level: log level \"loud\" must be one of trace, debug, info, warn, error, critical, off"},
      {"[server]\nshutdown_grace = \"soon\"\n", "2: server.shutdown_grace: invalid duration \"soon\""},
      {"[server]\nthreads = -1\n", "2: server.threads: expected a whole number"},
      {"[nope]\nx = 1\n", "2: unknown key nope.x"},
      {"addr = \":80\"\n", "1: \"addr\" must be a section such as [server]"},
      {"[server]\naddr = \n", "2: "},  // a TOML syntax error, as toml++ words it
  };
  for (const auto& c : cases) {
    INFO(c.toml);
    const std::string msg = load_error(c.toml);
    const auto colon = msg.find(".toml:");
    REQUIRE(colon != std::string::npos);
    CHECK(msg.substr(colon + 6, c.want.size()) == c.want);
  }
}

TEST_CASE("the environment overrides the file and flags override both") {
  TempToml f("[server]\naddr = \":1111\"\n[log]\nlevel = \"warn\"\n");
  auto opts = options({"--config", f.path.string(), "--addr", ":3333"});
  AppConfig cfg;
  auto err = httpkit::app_detail::load_layers(opts, env({{"APP_SERVER_ADDR", ":2222"}, {"APP_LOG_LEVEL", "error"},
                                                         {"APP_UNRELATED", "kept for the app"}}), cfg);
  REQUIRE_FALSE(err);
  CHECK(cfg.server.addr == ":3333");  // flag
  CHECK(cfg.log.level == "error");    // environment over file
}

TEST_CASE("a bad environment value or flag names its source") {
  AppConfig cfg;
  auto err = httpkit::apply_env(cfg, env({{"APP_SERVER_PRE_STOP_DELAY", "5"}}));
  REQUIRE(err);
  CHECK(err->message().starts_with("environment APP_SERVER_PRE_STOP_DELAY: server.pre_stop_delay: invalid duration"));

  auto opts = options({"--log-level", "chatty"});
  err = httpkit::app_detail::load_layers(opts, env({}), cfg);
  REQUIRE(err);
  CHECK(err->message().starts_with("flag --log-level: log.level: log level \"chatty\""));
}

TEST_CASE("a missing --config file is an error, a missing default file is not") {
  AppConfig cfg;
  auto err = httpkit::app_detail::load_layers(options({"--config", "/nonexistent/app.toml"}), env({}), cfg);
  REQUIRE(err);
  CHECK(err->message() == "/nonexistent/app.toml: no such file");
  CHECK_FALSE(httpkit::app_detail::load_layers(options({}), env({}), cfg));
}

TEST_CASE("TLS needs both files, and they must exist") {
  AppConfig cfg;
  cfg.tls.cert_file = "/nonexistent/cert.pem";
  auto err = httpkit::validate(cfg, "app.toml");
  REQUIRE(err);
  CHECK(err->reason == "tls.cert_file and tls.key_file must be set together");
  cfg.tls.key_file = "/nonexistent/key.pem";
  err = httpkit::validate(cfg, "app.toml");
  REQUIRE(err);
  CHECK(err->reason == "TLS file \"/nonexistent/cert.pem\" does not exist");
}

TEST_CASE("durations follow Go's syntax") {
  std::string reason;
  using httpkit::app_detail::parse_duration;
  CHECK(parse_duration("0", reason) == httpkit::Duration{});
  CHECK(parse_duration("250ms", reason) == 250ms);
  CHECK(parse_duration("1.5s", reason) == 1500ms);
  CHECK(parse_duration("1h2m3s", reason) == 1h + 2min + 3s);
  CHECK(parse_duration("10us", reason) == 10us);
  for (const char* bad : {"", "5", "s", "1x", "-1s", "1s2"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad, reason));
  }
}

TEST_CASE("--help and unknown flags stop before serving") {
  auto help = options({"--help"});
  REQUIRE(help.exit_now);
  CHECK(*help.exit_now == 0);
  CHECK(help.message.find("--check-config") != std::string::npos);
  auto bad = options({"--no-such-flag"});
  REQUIRE(bad.exit_now);
  CHECK(*bad.exit_now != 0);
}
