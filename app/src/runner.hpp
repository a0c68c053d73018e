// Runner: App::run's serving phase — listeners, the two servers, the signal loop and
// the drain sequence (readiness false -> pre-stop delay -> shutdown -> close).
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

namespace httpkit::app_detail {

class Runner {
 public:
  explicit Runner(AppState& s);
  ~Runner();
  // run serves until a stop signal and returns the process exit status.
  int run();

 private:
  void configure_server();
  bool start_serving();
  bool start_debug();
  void serve_in_thread(Server& server, Listener l, const char* what);
  bool wait_until_serving();
  void reload();
  int drain(int signo);
  bool pause_unless_signalled(Duration d);

  AppState& s_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<spdlog::logger> access_log_;
  ChainParts chain_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Server> debug_;
  std::vector<std::thread> threads_;
  std::atomic<bool> failed_{false};
};

}  // namespace httpkit::app_detail
