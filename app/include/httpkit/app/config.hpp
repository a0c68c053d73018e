// AppConfig: every setting of an httpkit application, from config/app.toml, then the
// environment (APP_SECTION_KEY), then flags; later sources win.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "httpkit/context.hpp"

namespace httpkit {

// LogFormat chooses how log lines look: text for a person at a terminal, JSON lines
// for a collector; auto picks text when stderr is a terminal, JSON otherwise.
enum class LogFormat { automatic, text, json };

// AppConfig holds the settings App applies before serving. Durations use Go's syntax in
// the file and the environment ("30s", "1m30s", "250ms"); a zero duration means "no
// limit" for the server timeouts, exactly as Server documents them.
struct AppConfig {
  struct ServerSection {
    std::string addr = ":8080";                    // where the app listens (unless LISTEN_FDS)
    Duration read_timeout{};                       // Server::read_timeout
    Duration read_header_timeout{std::chrono::seconds(10)};  // slowloris guard
    Duration write_timeout{};                      // Server::write_timeout
    Duration idle_timeout{std::chrono::seconds(120)};
    Duration handler_timeout{};                    // deadline on each request's context; 0: none
    std::size_t max_header_bytes = std::size_t{1} << 20;
    std::size_t max_body_bytes = std::size_t{10} << 20;  // 0: unlimited
    int threads = 0;                               // scheduler threads; 0: one per core
    Duration shutdown_grace{std::chrono::seconds(30)};  // how long in-flight requests may finish
    Duration pre_stop_delay{};  // readiness false this long before shutdown (load balancers)
  } server;
  struct TlsSection {
    std::string cert_file;  // PEM chain, leaf first; both set: HTTPS on every listener
    std::string key_file;   // both empty: plain HTTP. SIGHUP re-reads both files
  } tls;
  struct Http2Section {
    bool enabled = true;  // h2 over TLS, via ALPN; false: TLS clients get HTTP/1.1
    bool h2c = false;     // cleartext HTTP/2 (prior knowledge and Upgrade); plain only
  } http2;
  struct LogSection {
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
    LogFormat format = LogFormat::automatic;
    bool access_log = true;
  } log;
  struct DebugSection {
    std::string addr = "127.0.0.1:6060";  // pprof, fibers, metrics; "" turns it off
  } debug;
};

// ConfigError says why a configuration was rejected and where: source is the file
// path, "environment APP_..." or "flag --...", line is 1-based (0 when not from a file).
struct ConfigError {
  std::string source;
  int line = 0;
  std::string reason;
  // message is "config/app.toml:12: server.addr: port must be 0-65535".
  std::string message() const;
};

// load_config_file applies the TOML file at path onto cfg. Unknown keys, wrong types
// and bad values are errors; cfg may be partly updated when an error is returned.
std::optional<ConfigError> load_config_file(const std::string& path, AppConfig& cfg);

// apply_env applies APP_SECTION_KEY variables (APP_SERVER_ADDR, APP_LOG_LEVEL, ...)
// found by getenv onto cfg. Variables that name no setting are ignored, so that an
// application may keep its own APP_* variables.
std::optional<ConfigError> apply_env(AppConfig& cfg,
                                     const std::function<const char*(const char*)>& getenv);

// set_config_value sets one setting from text ("server.addr", ":9000"), as the
// environment and flags do; source names where the text came from for the error.
std::optional<ConfigError> set_config_value(AppConfig& cfg, std::string_view key, std::string_view text,
                                            std::string_view source);

// validate checks what no single key can: a TLS certificate without its key, files
// that do not exist.
std::optional<ConfigError> validate(const AppConfig& cfg, std::string_view source);

// config_keys lists every settable key ("server.addr", ...) in documentation order.
const std::vector<std::string>& config_keys();

}  // namespace httpkit
