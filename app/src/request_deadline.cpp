#include "request_deadline.hpp"

namespace httpkit::app_detail {

Middleware request_deadline(Duration limit) {
  return [limit](Handler next) -> Handler {
    return [limit, next = std::move(next)](ResponseWriter& w, Request& r) {
      auto [ctx, cancel] = with_timeout(r.context(), limit);
      Request bounded = r.with_context(ctx);
      next(w, bounded);
      cancel();  // release the timer now rather than at the deadline
    };
  };
}

}  // namespace httpkit::app_detail
