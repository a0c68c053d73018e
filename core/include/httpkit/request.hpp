// Request: an HTTP request as a server receives it (Go's http.Request).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "httpkit/body.hpp"
#include "httpkit/context.hpp"
#include "httpkit/header.hpp"
#include "httpkit/url.hpp"

namespace httpkit {

struct ConnectionState;

class Request;

// RouteObserver is told when a ServeMux routes a request, so that middleware placed
// outside the mux can act on the route the mux chose: labels() relabels the fiber with
// the pattern and names its stall-report site "METHOD pattern" (docs/decisions/0024).
// The observer lives on the installing middleware's stack frame, which installs it with
// Request::set_route_observer before calling next and puts the previous one back after.
class RouteObserver {
 public:
  // routed runs inside Request::set_pattern, after the pattern is stored: r.pattern()
  // is the new pattern ("" when the mux answers 404 or 405). It runs on the request's
  // fiber, before the route's handler, and must not throw. An observer that replaced
  // another should pass the call on to it (route_observer() at installation).
  virtual void routed(const Request& r) noexcept = 0;

 protected:
  ~RouteObserver() = default;
};

// Request is what a handler receives. Its accessors mirror Go's fields. A server's
// Request keeps the request head in the connection's buffer and its fields are views
// into it, valid until the handler returns: copy what must outlive the request.
// A handler may modify the request (strip_prefix rewrites url().path, the mux sets
// path values). Not thread-safe: one request, one fiber.
class Request {
 public:
  Request() = default;
  Request(const Request&) = default;  // shallow, as Go's *r copy: the body is shared
  Request& operator=(const Request&) = default;
  Request(Request&&) noexcept = default;
  Request& operator=(Request&&) noexcept = default;

  std::string_view method() const noexcept { return method_; }
  const URL& url() const noexcept { return url_; }
  URL& url() noexcept { return url_; }
  std::string_view proto() const noexcept { return proto_; }
  int proto_major() const noexcept { return proto_major_; }
  int proto_minor() const noexcept { return proto_minor_; }
  bool proto_at_least(int major, int minor) const noexcept {
    return proto_major_ > major || (proto_major_ == major && proto_minor_ >= minor);
  }
  // host is the Host header or the authority of an absolute target (Go's r.Host).
  std::string_view host() const noexcept { return host_; }
  std::string_view remote_addr() const noexcept { return remote_addr_; }
  // request_uri is the unmodified request-target of the request line.
  std::string_view request_uri() const noexcept { return request_uri_; }
  Header& header() noexcept { return header_; }
  const Header& header() const noexcept { return header_; }
  // trailer holds the trailer fields once the body has been read to its end.
  Header& trailer() noexcept { return trailer_; }
  const Header& trailer() const noexcept { return trailer_; }
  Body& body() const noexcept { return body_ ? *body_ : no_body(); }
  // content_length is the declared body length, -1 when unknown (chunked).
  std::int64_t content_length() const noexcept { return content_length_; }
  // close reports whether the connection closes after this request (Go's r.Close).
  bool close() const noexcept { return close_; }
  // tls describes the TLS connection the request came on (Go's r.TLS): version,
  // cipher, ALPN protocol, SNI name and the client's certificates; nullptr over
  // plain TCP. Valid while the request is.
  const ConnectionState* tls() const noexcept { return tls_; }

  // context is cancelled when the client goes away, when the handler returns and when
  // the server closes. Always non-null.
  const Context& context() const noexcept { return ctx_; }
  // with_context returns a shallow copy carrying ctx (Go's r.WithContext).
  Request with_context(Context ctx) const;

  // path_value returns the value of the named wildcard the ServeMux matched, "" if none.
  std::string_view path_value(std::string_view name) const noexcept;
  void set_path_value(std::string_view name, std::string_view value);
  // pattern is the ServeMux pattern that matched, "" before routing.
  std::string_view pattern() const noexcept { return pattern_; }
  // route_observer is told of every set_pattern (nullptr: none). Copies of r (with_context)
  // share it, so route a copy only while the request's handler runs. reset clears it.
  RouteObserver* route_observer() const noexcept { return route_observer_; }
  void set_route_observer(RouteObserver* o) noexcept { route_observer_ = o; }

  // Setters used by servers, the mux and tests (Go sets the fields directly). These
  // copy the bytes, into storage that copies of the request share.
  void set_method(std::string_view m) { method_ = keep(m); }
  void set_host(std::string_view h) { host_ = keep(h); }
  void set_request_uri(std::string_view u) { request_uri_ = keep(u); }
  // set_proto copies only versions other than HTTP/1.0, 1.1 and 2.0.
  void set_proto(std::string_view proto, int major, int minor);
  void set_remote_addr(std::string_view a) { remote_addr_ = keep(a); }
  // The _view setters keep a view, no copy: for a server, whose bytes (the head in the
  // connection's buffer) stay put while the request is served, as its fields' do.
  void set_method_view(std::string_view m) noexcept { method_ = m; }
  void set_host_view(std::string_view h) noexcept { host_ = h; }
  void set_request_uri_view(std::string_view u) noexcept { request_uri_ = u; }
  void set_remote_addr_view(std::string_view a) noexcept { remote_addr_ = a; }  // the connection's
  void set_content_length(std::int64_t n) noexcept { content_length_ = n; }
  void set_close(bool c) noexcept { close_ = c; }
  void set_tls(const ConnectionState* s) noexcept { tls_ = s; }
  void set_context(Context ctx) { ctx_ = std::move(ctx); }
  // set_pattern stores the pattern (a view of storage that outlives the request) and
  // tells the route observer, if any.
  void set_pattern(std::string_view p) noexcept {
    pattern_ = p;
    if (route_observer_) route_observer_->routed(*this);
  }
  // set_body points at a body the caller keeps alive (the server's body reader).
  void set_body(Body* b) noexcept { body_ = b; owned_body_.reset(); }
  void set_body(std::shared_ptr<Body> b) noexcept { owned_body_ = std::move(b); body_ = owned_body_.get(); }
  // reset clears the request for reuse on the same connection, keeping capacity.
  void reset() noexcept;

 private:
  struct Strings;
  // keep copies s into strings_ (created on first use) and returns the copy.
  std::string_view keep(std::string_view s);

  std::string_view method_;
  URL url_;
  std::string_view proto_ = "HTTP/1.1";
  int proto_major_ = 1;
  int proto_minor_ = 1;
  std::string_view host_;
  std::string_view remote_addr_;
  std::string_view request_uri_;
  // What the copying setters copied: shared by copies of the request (with_context),
  // whose views point into it, and never changed in place, only added to.
  std::shared_ptr<Strings> strings_;
  Header header_;
  Header trailer_;
  Body* body_ = nullptr;
  std::shared_ptr<Body> owned_body_;
  std::int64_t content_length_ = 0;
  bool close_ = false;
  const ConnectionState* tls_ = nullptr;
  Context ctx_;
  std::string_view pattern_;  // points into the mux's pattern storage, which outlives requests
  RouteObserver* route_observer_ = nullptr;  // on a middleware's frame; see set_route_observer
  struct PathValue {
    std::string name;
    std::string value;
  };
  std::vector<PathValue> path_values_;
  std::size_t path_value_count_ = 0;  // entries in use; the rest keep capacity for reuse
};

}  // namespace httpkit
