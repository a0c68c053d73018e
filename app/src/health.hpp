// Health: /healthz (the process answers) and /readyz (it wants traffic), the probes a
// load balancer or Kubernetes uses. Readiness turns false first when draining, so new
// traffic goes elsewhere before the server stops accepting.
#pragma once

#include <atomic>

#include "httpkit/handler.hpp"

namespace httpkit::app_detail {

class Health {
 public:
  void set_ready(bool ready) noexcept { ready_.store(ready); }
  bool ready() const noexcept { return ready_.load(); }

  // healthz answers 200 "ok" while the process serves at all.
  Handler healthz() const;
  // readyz answers 200 "ready", or 503 "not ready" before serving and while draining.
  Handler readyz() const;
  // in_front serves the two probes itself (ahead of the middleware chain, so probes
  // do not flood the access log) and passes every other request to next.
  Handler in_front(Handler next) const;

 private:
  std::atomic<bool> ready_{false};
};

}  // namespace httpkit::app_detail
