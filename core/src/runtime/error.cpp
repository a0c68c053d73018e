// The httpkit error category: messages for errc values.
#include "httpkit/error.hpp"

#include <string>

namespace httpkit {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "httpkit"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::timeout: return "i/o timeout";
      case errc::canceled: return "context canceled";
      case errc::deadline_exceeded: return "context deadline exceeded";
      case errc::server_closed: return "http: Server closed";
      case errc::abort_handler: return "net/http: abort Handler";
      case errc::not_supported: return "feature not supported";
      case errc::body_too_large: return "http: request body too large";
      case errc::content_length: return "http: wrote more than the declared Content-Length";
      case errc::body_not_allowed: return "http: request method or response status code does not allow body";
      case errc::hijacked: return "http: connection has been hijacked";
      case errc::handler_timeout: return "http: Handler timeout";
      case errc::closed: return "use of closed network connection";
      case errc::eof: return "EOF";
      case errc::unexpected_eof: return "unexpected EOF";
      case errc::client_disconnected: return "client disconnected";
      case errc::bad_request: return "malformed HTTP request";
    }
    return "httpkit error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

}  // namespace httpkit
