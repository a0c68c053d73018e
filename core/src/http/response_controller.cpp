// ResponseController: Go's responsecontroller.go — each method walks Unwrap() until a
// writer has the capability, else ErrNotSupported.
#include "httpkit/response_controller.hpp"

#include "httpkit/conn.hpp"

namespace httpkit {

template <class Capability>
Capability* ResponseController::find() const noexcept {
  for (ResponseWriter* w = w_; w != nullptr; w = w->unwrap()) {
    if (auto* c = dynamic_cast<Capability*>(w)) return c;
  }
  return nullptr;
}

std::error_code ResponseController::flush() {
  if (auto* f = find<Flusher>()) return f->flush();
  return errc::not_supported;
}

Result<Hijacked> ResponseController::hijack() {
  if (auto* h = find<Hijacker>()) return h->hijack();
  return errc::not_supported;
}

std::error_code ResponseController::set_read_deadline(TimePoint t) {
  if (auto* d = find<DeadlineSetter>()) return d->set_read_deadline(t);
  return errc::not_supported;
}

std::error_code ResponseController::set_write_deadline(TimePoint t) {
  if (auto* d = find<DeadlineSetter>()) return d->set_write_deadline(t);
  return errc::not_supported;
}

std::error_code ResponseController::enable_full_duplex() {
  if (auto* d = find<FullDuplexEnabler>()) return d->enable_full_duplex();
  return errc::not_supported;
}

}  // namespace httpkit
