// The default chain with httpkit_middleware (compiled only when that target exists).
#include "default_chain.hpp"

#include <vector>

#include <httpkit/middleware.hpp>

#include "httpkit/serve_mux.hpp"
#include "logging.hpp"

// The profiler's debug_mux lives in httpkit::pprof (middleware/.../pprof.hpp); the
// issue named it httpkit::middleware::pprof. Qualified lookup through using-directives
// finds it in whichever of the two it is, so this file follows the header either way.
namespace httpkit::pprof {}
namespace httpkit::middleware::pprof {}
namespace httpkit::app_detail::profiler {
using namespace httpkit::pprof;
using namespace httpkit::middleware::pprof;
}  // namespace httpkit::app_detail::profiler

namespace httpkit::app_detail {
namespace {

namespace mw = httpkit::middleware;

Middleware access_log_for(const AppConfig& cfg, std::shared_ptr<spdlog::logger> logger) {
  mw::AccessLogOptions options;
  options.logger = std::move(logger);
  // The access log follows the error log's format: JSON lines for collectors,
  // logfmt (greppable key=value) for a person at a terminal.
  using Format = decltype(options.format);
  options.format = resolve_format(cfg.log.format) == LogFormat::json ? Format::json : Format::logfmt;
  return mw::access_log(std::move(options));
}

Handler debug_mux(const std::shared_ptr<mw::Metrics>& metrics) {
  ServeMux debug;
  debug.handle("/", Handler(profiler::debug_mux()));
  debug.handle("GET /metrics", metrics->handler());
  return debug;
}

}  // namespace

ChainParts build_default_chain(Handler app, const AppConfig& cfg, std::shared_ptr<spdlog::logger> access_logger) {
  auto metrics = std::make_shared<mw::Metrics>();  // copies share state; one kept for its lifetime
  std::vector<Middleware> outer_first{mw::recover(), mw::request_id()};
  if (cfg.log.access_log) outer_first.push_back(access_log_for(cfg, std::move(access_logger)));
  outer_first.push_back(metrics->middleware());
  outer_first.push_back(mw::labels());
  if (cfg.server.max_body_bytes > 0) outer_first.push_back(mw::max_bytes(static_cast<std::int64_t>(cfg.server.max_body_bytes)));

  Handler h = std::move(app);
  for (auto it = outer_first.rbegin(); it != outer_first.rend(); ++it) h = (*it)(std::move(h));
  return ChainParts{std::move(h), debug_mux(metrics), metrics->conn_state_hook(), metrics};
}

}  // namespace httpkit::app_detail
