#include "health.hpp"

#include "httpkit/status.hpp"

namespace httpkit::app_detail {
namespace {

void reply(ResponseWriter& w, int status, std::string_view body) {
  w.header().set("Content-Type", "text/plain; charset=utf-8");
  w.header().set("Cache-Control", "no-store");
  w.write_header(status);
  w.write(body);
}

}  // namespace

Handler Health::healthz() const {
  return [](ResponseWriter& w, Request&) { reply(w, 200, "ok\n"); };
}

Handler Health::readyz() const {
  return [this](ResponseWriter& w, Request&) {
    if (ready()) reply(w, 200, "ready\n");
    else reply(w, 503, "not ready\n");
  };
}

Handler Health::in_front(Handler next) const {
  return [healthz = healthz(), readyz = readyz(), next = std::move(next)](ResponseWriter& w, Request& r) {
    const std::string_view path = r.url().path;
    if (path == "/healthz") return healthz(w, r);
    if (path == "/readyz") return readyz(w, r);
    next(w, r);
  };
}

}  // namespace httpkit::app_detail
