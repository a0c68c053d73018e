// App: the runner of an httpkit application. It reads the configuration, sets up
// logging, wraps the routes in the default middleware, serves them (over TLS when
// tls.cert_file is set) with health and debug endpoints, re-reads the log level and the
// certificate on SIGHUP, and turns SIGTERM into a graceful drain:
//
//   int main(int argc, char** argv) {
//     httpkit::App app(argc, argv);
//     app.routes([](httpkit::ServeMux& mux) { mux.handle_func("GET /", home); });
//     return app.run();
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "httpkit/app/config.hpp"
#include "httpkit/serve_mux.hpp"

namespace httpkit {

namespace app_detail {
struct AppState;
}

// App owns one Server (and one debug Server) for the life of run(). Create one per
// process, in main: its constructor blocks SIGTERM, SIGINT and SIGHUP in the calling
// thread before any runtime thread exists, so that those signals reach only run(),
// which reads them from a signalfd; run() also ignores SIGPIPE, so that a client
// hanging up while the server writes ends its connection, not the process (Go's
// runtime does the same for sockets). Not thread-safe: configure it from main.
//
// Flags (on top of config/app.toml and APP_* variables; see AppConfig):
//   --config FILE      the TOML file (default config/app.toml, optional when absent)
//   --addr ADDR        server.addr          --log-level LEVEL   log.level
//   --debug-addr ADDR  debug.addr ("" off)  --routes            print routes and exit
//   --check-config     validate the configuration and exit
class App {
 public:
  App(int argc, char** argv);
  App(const App&) = delete;
  App& operator=(const App&) = delete;
  ~App();

  // routes calls fn now with the application's mux; call it any number of times.
  App& routes(const std::function<void(ServeMux&)>& fn);
  // on_reload adds a hook run on SIGHUP after the configuration is re-read and the
  // certificate of tls.cert_file reloaded (App does both itself): reload caches, the
  // application's own files. Hooks run on run()'s thread, one at a time, and not when
  // the configuration failed to load (the error is logged, the old one stays).
  App& on_reload(std::function<void(const AppConfig&)> fn);

  // config is the configuration after file, environment and flags (valid once the
  // constructor returned without error; see run()).
  const AppConfig& config() const noexcept;
  ServeMux& mux() noexcept;

  // run serves until SIGTERM or SIGINT, then drains: /readyz turns 503, the pre-stop
  // delay passes, in-flight requests get shutdown_grace to finish, the rest are closed.
  // A second SIGTERM/SIGINT during the drain closes at once. Returns the process exit
  // status: 0 after a clean drain, 1 when serving failed, 2 on a configuration error.
  int run();

 private:
  std::unique_ptr<app_detail::AppState> state_;
};

}  // namespace httpkit
