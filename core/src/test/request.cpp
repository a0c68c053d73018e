// new_request: Go's httptest.NewRequest, built on the server's own request parser so a
// test request is exactly what the server would have produced from the same line.
#include "httpkit/test/request.hpp"

#include <memory>
#include <stdexcept>

#include "http1/parser.hpp"

namespace httpkit::test {

Request new_request(std::string_view method, std::string_view target, std::string body) {
  if (method.empty()) method = "GET";
  // HTTP/1.0 needs no Host field; the request is switched to 1.1 below, as Go does.
  std::string head;
  head.append(method).append(" ").append(target).append(" HTTP/1.0\r\n\r\n");
  Request req;
  http1::BodyFraming framing;
  http1::HeadResult r = http1::parse_request_head(head, http1::Limits{}, req, framing);
  if (r.status != http1::ParseStatus::complete) {
    throw std::invalid_argument("invalid new_request arguments; " + std::string(r.error_message));
  }
  // The parser left views of the local head: the request gets its own copies.
  req.set_method(req.method());
  req.set_request_uri(req.request_uri());
  req.set_proto("HTTP/1.1", 1, 1);
  req.set_close(false);
  req.set_remote_addr("192.0.2.1:1234");  // TEST-NET-1 (RFC 5737), as Go's
  if (req.host().empty()) req.set_host("example.com");
  req.set_content_length(static_cast<std::int64_t>(body.size()));
  if (!body.empty()) req.set_body(std::make_shared<StringBody>(std::move(body)));
  return req;
}

}  // namespace httpkit::test
