// Request: the parts that are more than an accessor (Go's http.Request).
#include "httpkit/request.hpp"

namespace httpkit {

Request Request::with_context(Context ctx) const {
  Request r(*this);
  r.ctx_ = std::move(ctx);
  return r;
}

std::string_view Request::path_value(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < path_value_count_; ++i) {
    if (path_values_[i].name == name) return path_values_[i].value;
  }
  return {};
}

// Entries past path_value_count_ are kept from earlier requests on the connection so
// that their strings' capacity is reused.
// Values are assigned into storage kept from earlier requests on the connection, so
// routing a warm connection's request allocates nothing.
void Request::set_path_value(std::string_view name, std::string_view value) {
  for (std::size_t i = 0; i < path_value_count_; ++i) {
    if (path_values_[i].name == name) {
      path_values_[i].value.assign(value);
      return;
    }
  }
  if (path_value_count_ < path_values_.size()) {
    path_values_[path_value_count_].name.assign(name);
    path_values_[path_value_count_].value.assign(value);
  } else {
    path_values_.push_back({std::string(name), std::string(value)});
  }
  ++path_value_count_;
}

void Request::set_proto(std::string_view proto, int major, int minor) {
  proto_.assign(proto);
  proto_major_ = major;
  proto_minor_ = minor;
}

// reset keeps remote_addr and tls: a reused Request stays on the same connection.
void Request::reset() noexcept {
  method_.clear();
  url_.clear();
  proto_.assign("HTTP/1.1");  // fits the small-string buffer: cannot throw
  proto_major_ = 1;
  proto_minor_ = 1;
  host_.clear();
  request_uri_.clear();
  header_.clear();
  trailer_.clear();
  body_ = nullptr;
  owned_body_.reset();
  content_length_ = 0;
  close_ = false;
  ctx_ = Context{};
  pattern_ = {};
  route_observer_ = nullptr;
  path_value_count_ = 0;
}

}  // namespace httpkit
