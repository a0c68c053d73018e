// The middleware umbrella header: every Handler wrapper of httpkit::middleware, the
// profiler (httpkit::pprof) and ResponseController. The usual chain, outermost first:
//   chain(mux, {recover(), request_id(), access_log(o), metrics.middleware(), labels(),
//               compress(), timeout(d, "")})
#pragma once

#include "httpkit/middleware/access_log.hpp"
#include "httpkit/middleware/compress.hpp"
#include "httpkit/middleware/idempotency.hpp"
#include "httpkit/middleware/labels.hpp"
#include "httpkit/middleware/max_bytes.hpp"
#include "httpkit/middleware/metrics.hpp"
#include "httpkit/middleware/pprof.hpp"
#include "httpkit/middleware/recover.hpp"
#include "httpkit/middleware/request_id.hpp"
#include "httpkit/middleware/timeout.hpp"
#include "httpkit/response_controller.hpp"
