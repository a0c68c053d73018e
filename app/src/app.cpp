#include "httpkit/app.hpp"

#include <cstdlib>
#include <iostream>

#include "app_state.hpp"
#include "route_table.hpp"
#include "runner.hpp"

namespace httpkit {

App::App(int argc, char** argv) : state_(std::make_unique<app_detail::AppState>()) {
  auto& s = *state_;
  s.options = app_detail::parse_options(argc, argv);
  if (s.options.exit_now) return;
  s.config_error = app_detail::load_layers(s.options, [](const char* n) { return std::getenv(n); }, s.cfg);
}

App::~App() = default;

App& App::routes(const std::function<void(ServeMux&)>& fn) {
  fn(state_->mux);
  return *this;
}

App& App::on_reload(std::function<void(const AppConfig&)> fn) {
  state_->reload_hooks.push_back(std::move(fn));
  return *this;
}

const AppConfig& App::config() const noexcept { return state_->cfg; }
ServeMux& App::mux() noexcept { return state_->mux; }

int App::run() {
  auto& s = *state_;
  if (s.options.exit_now) {
    (*s.options.exit_now == 0 ? std::cout : std::cerr) << s.options.message;
    return *s.options.exit_now;
  }
  if (s.config_error) {
    std::cerr << "configuration error: " << s.config_error->message() << "\n";
    return 2;
  }
  if (s.options.check_config) {
    std::cout << "configuration ok\n";
    return 0;
  }
  if (s.options.print_routes) {
    app_detail::print_route_table(std::cout, s.mux.routes());
    return 0;
  }
  return app_detail::Runner(s).run();
}

}  // namespace httpkit
