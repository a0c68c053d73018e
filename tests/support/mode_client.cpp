#include "support/mode_client.hpp"

#include <cstdio>
#include <stdexcept>

namespace httpkit::testing {
namespace {

std::string fmt_hex(std::size_t n) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

Fields lowered(const std::vector<std::pair<std::string, std::string>>& in) {
  Fields out;
  for (const auto& [k, v] : in) out.emplace_back(lower(k), v);
  return out;
}

}  // namespace

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

ModeClient::ModeClient(test::Mode mode, int port) : mode_(mode) {
  if (mode == test::Mode::http1) {
    h1_ = std::make_unique<RawClient>(port);
  } else if (mode == test::Mode::h2c) {
    h2_ = std::make_unique<H2Client>(port);
  } else if (mode == test::Mode::h2) {
    h2_ = std::make_unique<H2Client>(port, TlsClientOptions{});
  } else {
    throw std::invalid_argument("ModeClient: mode without a client");
  }
}

ModeClient::~ModeClient() = default;

std::int32_t ModeClient::send_head(const ClientRequest& req, std::int64_t content_length) {
  if (h2_) {
    Fields h;
    for (const auto& [k, v] : req.headers) h.emplace_back(lower(k), v);
    if (content_length >= 0) h.emplace_back("content-length", std::to_string(content_length));
    return h2_->submit(req.method, req.path, std::move(h), std::nullopt, {}, /*open_body=*/content_length != 0);
  }
  std::string head = req.method + " " + req.path + " HTTP/1.1\r\nHost: localhost\r\n";
  for (const auto& [k, v] : req.headers) head += k + ": " + v + "\r\n";
  head += content_length >= 0 ? "Content-Length: " + std::to_string(content_length) + "\r\n"
                              : std::string("Transfer-Encoding: chunked\r\n");
  h1_->send(head + "\r\n");
  return 0;
}

void ModeClient::send_body(std::int32_t id, std::string data, bool last) {
  if (h2_) return h2_->send_data(id, std::move(data), last);
  h1_->send(data);
}

ClientResponse ModeClient::finish(std::int32_t id, bool head_request) {
  if (h2_) return h2_->wait(id);
  ClientResponse out;
  for (;;) {
    ParsedResponse r = h1_->read_response(head_request);
    if (r.status < 200) {
      out.informational.push_back(r.status);
      continue;
    }
    out.status = r.status;
    out.headers = lowered(r.headers);
    out.body = std::move(r.body);
    out.trailers = lowered(r.trailers);
    out.closed = true;
    return out;
  }
}

ClientResponse ModeClient::round_trip(ClientRequest req) {
  if (h2_) {
    for (auto& [k, v] : req.headers) k = lower(k);
    for (auto& [k, v] : req.trailers) k = lower(k);
    // Like Go's client: a body of known length is announced (RFC 9113 section 8.1.1).
    if (req.body && req.trailers.empty()) req.headers.emplace_back("content-length", std::to_string(req.body->size()));
    return h2_->wait(h2_->submit(req.method, req.path, req.headers, req.body, req.trailers));
  }
  std::string msg = req.method + " " + req.path + " HTTP/1.1\r\nHost: localhost\r\n";
  for (const auto& [k, v] : req.headers) msg += k + ": " + v + "\r\n";
  if (req.body && req.trailers.empty()) {
    msg += "Content-Length: " + std::to_string(req.body->size()) + "\r\n\r\n" + *req.body;
  } else if (req.body) {
    msg += "Transfer-Encoding: chunked\r\n\r\n";
    if (!req.body->empty()) msg += fmt_hex(req.body->size()) + "\r\n" + *req.body + "\r\n";
    msg += "0\r\n";
    for (const auto& [k, v] : req.trailers) msg += k + ": " + v + "\r\n";
    msg += "\r\n";
  } else {
    msg += "\r\n";
  }
  h1_->send(msg);
  return finish(0, req.method == "HEAD");
}

}  // namespace httpkit::testing
