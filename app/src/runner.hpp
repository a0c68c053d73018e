// Runner: App::run's serving phase — listeners, the two servers (the main one over TLS
// when tls.cert_file is set), the signal loop, SIGHUP's reload and the drain sequence
// (readiness false -> pre-stop delay -> shutdown -> close).
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "app_state.hpp"
#include "default_chain.hpp"
#include "httpkit/listener.hpp"
#include "httpkit/server.hpp"
#include "httpkit/tls.hpp"

namespace httpkit::app_detail {

class Runner {
 public:
  explicit Runner(AppState& s);
  ~Runner();
  // run serves until a stop signal and returns the process exit status.
  int run();

 private:
  void configure_server();
  bool configure_tls();
  bool start_serving();
  bool start_debug();
  void serve_in_thread(Server& server, Listener l, const char* what, bool tls);
  bool wait_until_serving();
  void reload();
  bool reread_config();
  void reload_certificate();
  int drain(int signo);
  bool pause_unless_signalled(Duration d);

  AppState& s_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<spdlog::logger> access_log_;
  ChainParts chain_;
  // certs_ serves tls.cert_file/key_file and re-reads them on SIGHUP; null for plain
  // HTTP. Shared with the server's TLS contexts, so it outlives every handshake.
  std::shared_ptr<CertReloader> certs_;
  AppConfig::TlsSection tls_files_;  // the files certs_ reads (SIGHUP cannot change them)
  std::unique_ptr<Server> server_;
  std::unique_ptr<Server> debug_;
  std::vector<std::thread> threads_;
  std::atomic<bool> failed_{false};
};

}  // namespace httpkit::app_detail
