// ModeClient: one request/response client for the protocol a test::Server speaks, so
// protocol tests are written once and run in every mode (Go's testMode pattern).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "httpkit/test/server.hpp"
#include "support/h2_client.hpp"
#include "support/raw_client.hpp"

namespace httpkit::testing {

struct ClientRequest {
  std::string method = "GET";
  std::string path = "/";
  Fields headers;                    // names as HTTP/1 would send them; lowercased for h2
  std::optional<std::string> body;   // HTTP/1: Content-Length, or chunked with trailers
  Fields trailers;
};

// ClientResponse is an H2Response: in HTTP/1 modes the names are lowercased too.
using ClientResponse = H2Response;

// ModeClient keeps one connection (keep-alive) for all its round trips.
// http1 uses RawClient; h2c and h2 use H2Client (prior knowledge / ALPN).
class ModeClient {
 public:
  ModeClient(test::Mode mode, int port);
  ~ModeClient();
  ClientResponse round_trip(ClientRequest req);
  ClientResponse get(std::string path) { return round_trip({"GET", std::move(path)}); }
  H2Client* h2() noexcept { return h2_.get(); }
  RawClient* h1() noexcept { return h1_.get(); }
  // send_head sends only the request head (body to follow, open-ended); returns the
  // h2 stream id (0 in HTTP/1). Then send_body and finish give the rest.
  std::int32_t send_head(const ClientRequest& req, std::int64_t content_length);
  void send_body(std::int32_t id, std::string data, bool last);
  ClientResponse finish(std::int32_t id, bool head_request = false);

 private:
  test::Mode mode_;
  std::unique_ptr<RawClient> h1_;
  std::unique_ptr<H2Client> h2_;
};

// lower returns s in lowercase.
std::string lower(std::string s);

}  // namespace httpkit::testing
