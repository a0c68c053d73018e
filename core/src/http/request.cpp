// Request: the parts that are more than an accessor (Go's http.Request).
#include "httpkit/request.hpp"

#include <algorithm>
#include <forward_list>
#include <iterator>

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

struct Request::Strings {
  std::forward_list<std::string> list;  // nodes never move: views into them stay valid
};

std::string_view Request::keep(std::string_view s) {
  if (s.empty()) return {};
  if (!strings_) strings_ = std::make_shared<Strings>();
  return strings_->list.emplace_front(s);
}

void Request::set_proto(std::string_view proto, int major, int minor) {
  // Literals: the versions every request carries need no copy.
  constexpr std::string_view kKnown[] = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0"};
  const auto* known = std::find(std::begin(kKnown), std::end(kKnown), proto);
  proto_ = known != std::end(kKnown) ? *known : keep(proto);
  proto_major_ = major;
  proto_minor_ = minor;
}

// reset keeps remote_addr and tls: a reused Request stays on the same connection.
void Request::reset() noexcept {
  method_ = {};
  url_.clear();
  proto_ = "HTTP/1.1";
  proto_major_ = 1;
  proto_minor_ = 1;
  host_ = {};
  request_uri_ = {};
  if (strings_) {
    // The copies go, but the address stays (same connection): copy it again.
    const std::string addr(remote_addr_);
    strings_.reset();
    remote_addr_ = keep(addr);
  }
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
