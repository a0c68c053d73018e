// recover: a handler's exception becomes a 500 or an aborted connection.
#include "httpkit/middleware/recover.hpp"

#include <spdlog/spdlog.h>

#include "httpkit/middleware/request_id.hpp"
#include "httpkit/status.hpp"
#include "recording_writer.hpp"

namespace httpkit::middleware {
namespace {

std::string describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

// report logs and hands the exception to the hook. The request id comes from the
// context, or from the response header when request_id ran inside recover.
void report(const RecoverOptions& o, const std::exception_ptr& e, const Request& r, ResponseWriter& w) {
  std::string_view id = request_id_of(r);
  if (id.empty()) id = w.header().get(kRequestIdHeader);
  spdlog::logger& log = o.logger ? *o.logger : *spdlog::default_logger_raw();
  log.error("httpkit: recovered from exception in handler: {} (method={} route=\"{}\" path={} request_id={})",
            describe(e), r.method(), r.pattern(), r.url().path, id);
  if (o.on_error) {
    try {
      o.on_error(e, r);
    } catch (...) {
      log.error("httpkit: recover on_error hook threw; ignored");
    }
  }
}

}  // namespace

Middleware recover(RecoverOptions options) {
  auto o = std::make_shared<const RecoverOptions>(std::move(options));
  return [o](Handler next) -> Handler {
    return [o, next = std::move(next)](ResponseWriter& w, Request& r) {
      detail::RecordingWriter rec(w);
      try {
        next(rec, r);
      } catch (const AbortHandler&) {
        throw;
      } catch (...) {
        report(*o, std::current_exception(), r, w);
        if (rec.wrote() || rec.hijacked()) throw AbortHandler{};
        error(w, status_text(kStatusInternalServerError), kStatusInternalServerError);
      }
    };
  };
}

}  // namespace httpkit::middleware
