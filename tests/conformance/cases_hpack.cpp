// Conformance cases: hpack (RFC 7541): header blocks with an invalid representation,
// each a decoding error, which RFC 9113 section 4.3 makes a connection error of type
// COMPRESSION_ERROR.
#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

using namespace std::string_literals;

constexpr const char* kDecodingError = "The endpoint MUST treat this as a decoding error.";

// A request on stream 1 whose block is common_headers followed by these bytes.
void bad_block(Conn& conn, const std::string& extra) {
  conn.handshake();
  HeadersParam p = request(conn, 1, true);
  p.block += extra;
  conn.write_headers(p);
  verify_connection_error(conn, {kCompressionError});
}

// An integer with an N-bit prefix (RFC 7541 section 5.1); the prefix bits above N are 0.
std::string hpack_integer(std::uint64_t value, int prefix_bits) {
  const std::uint64_t max = (1u << prefix_bits) - 1;
  std::string out;
  if (value < max) {
    out.push_back(static_cast<char>(value));
    return out;
  }
  out.push_back(static_cast<char>(max));
  value -= max;
  for (; value >= 128; value >>= 7) out.push_back(static_cast<char>(0x80 | (value & 0x7f)));
  out.push_back(static_cast<char>(value));
  return out;
}

}  // namespace

H2CONFORM_CASES(hpack_cases) {
  // RFC 7541 section 2.3.3: an index past both tables is a decoding error. After
  // common_headers the tables hold 61 static entries and at most a few dynamic ones.
  group("hpack/2.3.3", "Index Address Space")
      .add("Sends a indexed header field representation with invalid index", kDecodingError,
           [](const Config&, Conn& conn) { bad_block(conn, "\xC6"s); })  // indexed, index 70
      .add("Sends a literal header field representation with invalid index", kDecodingError,
           [](const Config&, Conn& conn) {
             // Literal with incremental indexing, name index 63 + 7 = 70, empty value.
             bad_block(conn, "\x7F\x07\x00"s);
           });

  // RFC 7541 section 4.2: a dynamic table size update may only open a header block.
  group("hpack/4.2", "Maximum Table Size")
      .add("Sends a dynamic table size update at the end of header block", kDecodingError,
           [](const Config&, Conn& conn) { bad_block(conn, "\x21"s); });  // size update to 1

  // RFC 7541 section 5.2: Huffman padding longer than 7 bits, padding that is not the
  // EOS prefix, and the EOS symbol itself are decoding errors. Each adds a literal
  // without indexing, new name, "x-test" (Huffman 0xf2b24a84ff) and a bad value.
  group("hpack/5.2", "String Literal Representation")
      .add("Sends a Huffman-encoded string literal representation with padding longer than 7 bits", kDecodingError,
           [](const Config&, Conn& conn) {
             // "test" followed by a whole extra octet of 1s.
             bad_block(conn, "\x00\x85\xf2\xb2\x4a\x84\xff\x84\x49\x50\x9f\xff"s);
           })
      .add("Sends a Huffman-encoded string literal representation padded by zero", kDecodingError,
           [](const Config&, Conn& conn) {
             // "test" padded with 0 bits instead of 1s.
             bad_block(conn, "\x00\x85\xf2\xb2\x4a\x84\xff\x83\x49\x50\x90"s);
           })
      .add("Sends a Huffman-encoded string literal representation containing the EOS symbol", kDecodingError,
           [](const Config&, Conn& conn) {
             // "tes", the 30-bit EOS code, "t".
             bad_block(conn, "\x00\x85\xf2\xb2\x4a\x84\xff\x87\x49\x51\xff\xff\xff\xfa\x7f"s);
           });

  // RFC 7541 section 6.1: index 0 is not used.
  group("hpack/6.1", "Indexed Header Field Representation")
      .add("Sends a indexed header field representation with index 0", kDecodingError,
           [](const Config&, Conn& conn) { bad_block(conn, "\x80"s); });

  // RFC 7541 section 6.3: a size update above SETTINGS_HEADER_TABLE_SIZE (the
  // server's, 4096 when not sent) is a decoding error.
  group("hpack/6.3", "Dynamic Table Size Update")
      .add("Sends a dynamic table size update larger than the value of SETTINGS_HEADER_TABLE_SIZE", kDecodingError,
           [](const Config&, Conn& conn) {
             conn.handshake();
             const std::uint32_t max = conn.setting(kHeaderTableSize).value_or(4096);
             std::string update = hpack_integer(std::uint64_t{max} + 1, 5);
             update[0] = static_cast<char>(update[0] | 0x20);
             HeadersParam p = request(conn, 1, true);
             p.block = update + p.block;
             conn.write_headers(p);
             verify_connection_error(conn, {kCompressionError});
           });
}

}  // namespace h2conform
