// What the cases' requests are made of (h2spec's CommonHeaders, DummyHeaders and
// ServerDataLength).
#include "conformance/h2conform.hpp"

namespace h2conform {

Fields common_headers(const Config& c) {
  return {{":method", "GET"}, {":scheme", c.tls ? "https" : "http"}, {":path", c.path}, {":authority", c.authority()}};
}

Fields with_method(const Config& c, std::string_view method) {
  Fields f = common_headers(c);
  f[0].second = method;  // :method comes first
  return f;
}

std::string dummy_string(std::size_t n) { return std::string(n, 'x'); }

Fields dummy_headers(const Config& c, int count) {
  Fields out;
  for (int i = 0; i < count; ++i) out.emplace_back("x-dummy" + std::to_string(i), dummy_string(c.max_header_len));
  return out;
}

HeadersParam request_with(Conn& conn, std::uint32_t stream, const Fields& fields, bool end_stream, bool end_headers) {
  HeadersParam p;
  p.stream = stream;
  p.block = conn.encode_headers(fields);
  p.end_stream = end_stream;
  p.end_headers = end_headers;
  return p;
}

HeadersParam request(Conn& conn, std::uint32_t stream, bool end_stream, bool end_headers) {
  return request_with(conn, stream, common_headers(conn.config()), end_stream, end_headers);
}

std::size_t server_data_length(const Config& c) {
  Conn conn(c);
  conn.handshake();
  conn.write_headers(request(conn, 1));
  std::size_t length = 0;
  while (!conn.closed) {
    Event ev = conn.wait_event();
    if (ev.is(kData)) length += ev.frame.length;
    if (ev.kind == EventKind::frame && ev.frame.end_stream()) return length;
  }
  throw std::runtime_error("unable to get the server's data length");
}

}  // namespace h2conform
