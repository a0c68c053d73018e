// The default chain for a build without httpkit_middleware: the application's handler
// as is (the server itself still catches what a handler throws and logs it), and a
// debug listener that reports the runtime's fiber counters. CMake compiles this file
// instead of default_chain.cpp when the middleware target does not exist.
#include <string>

#include "default_chain.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/serve_mux.hpp"

namespace httpkit::app_detail {
namespace {

void fibers(ResponseWriter& w, Request&) {
  const auto stats = runtime::stats();
  w.header().set("Content-Type", "text/plain; charset=utf-8");
  w.write("fibers_live " + std::to_string(stats.fibers_live) + "\nstalls " + std::to_string(stats.stalls) + "\n");
}

}  // namespace

ChainParts build_default_chain(Handler app, const AppConfig&, std::shared_ptr<spdlog::logger>) {
  ServeMux debug;
  debug.handle_func("GET /debug/fibers", fibers);
  return ChainParts{std::move(app), debug, {}, nullptr};
}

}  // namespace httpkit::app_detail
