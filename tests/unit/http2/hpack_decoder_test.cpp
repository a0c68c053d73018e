// HpackDecoder: RFC 7541's examples (Appendix C), every decoding error of sections 4
// to 6 and Appendix B, each case breaking one rule next to a twin that keeps it, and
// nghttp2's encoder as an oracle: random header lists, encoded block after block with
// Huffman, indexing, never-indexed fields and size updates, must decode to the same
// fields and leave the same dynamic table.
#define CATCH_CONFIG_ENABLE_PAIR_STRINGMAKER  // failures print the fields
#include <catch2/catch.hpp>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http2/hpack_decoder.hpp"
#include "unit/http2/hex_bytes.hpp"
#include "http2/hpack_huffman.hpp"

using httpkit::detail::HpackDecoder;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;
using httpkit::testing::Bytes;
using httpkit::testing::hex;

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// integer: value as an RFC 7541 section 5.1 integer with an N-bit prefix, whose first
// octet carries the representation's pattern bits `flags`.
Bytes integer(std::uint8_t flags, int prefix_bits, std::uint64_t value) {
  const std::uint64_t max = (1u << prefix_bits) - 1;
  if (value < max) return {static_cast<std::uint8_t>(flags | value)};
  Bytes b{static_cast<std::uint8_t>(flags | max)};
  value -= max;
  for (; value >= 128; value >>= 7) b.push_back(static_cast<std::uint8_t>(0x80 | (value & 0x7f)));
  b.push_back(static_cast<std::uint8_t>(value));
  return b;
}

// raw: a string literal (section 5.2) without Huffman coding.
Bytes raw(std::string_view s) {
  Bytes b = integer(0, 7, s.size());
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

struct Decoded {
  bool ok = false;
  Fields fields;
};

Decoded decode(HpackDecoder& d, const Bytes& block) {
  Decoded out;
  out.ok = d.decode(block.data(), block.size(), [&](std::string_view name, std::string_view value) {
    out.fields.emplace_back(std::string(name), std::string(value));
  });
  return out;
}

bool decodes(const Bytes& block, std::uint32_t max_table_size = 4096) {
  HpackDecoder d(max_table_size);
  return decode(d, block).ok;
}

// dynamic_table: the dynamic table's entries, newest first, read as indexed fields 62
// and up (which leave the table as it was); `count` of them.
Fields dynamic_table(HpackDecoder& d, std::size_t count) {
  Bytes block;
  for (std::size_t i = 0; i < count; ++i) block = block + integer(0x80, 7, 62 + i);
  Decoded got = decode(d, block);
  REQUIRE(got.ok);
  return got.fields;
}

}  // namespace

// --- RFC 7541 Appendix C ---

TEST_CASE("HPACK: C.2 field representations", "[hpack]") {
  struct Case {
    const char* section;
    const char* block;
    Fields fields;
    std::uint32_t table_size;
  };
  const Case cases[] = {
      {"C.2.1 literal with indexing", "400a637573746f6d2d6b65790d637573746f6d2d686561646572",
       {{"custom-key", "custom-header"}}, 55},
      {"C.2.2 literal without indexing", "040c2f73616d706c652f70617468", {{":path", "/sample/path"}}, 0},
      {"C.2.3 literal never indexed", "100870617373776f726406736563726574", {{"password", "secret"}}, 0},
      {"C.2.4 indexed", "82", {{":method", "GET"}}, 0},
  };
  for (const Case& c : cases) {
    INFO(c.section);
    HpackDecoder d;
    Decoded got = decode(d, hex(c.block));
    REQUIRE(got.ok);
    CHECK(got.fields == c.fields);
    CHECK(d.table_size() == c.table_size);
  }
  HpackDecoder d;
  REQUIRE(decode(d, hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572")).ok);
  CHECK(dynamic_table(d, 1) == Fields{{"custom-key", "custom-header"}});
}

namespace {

// The three requests of C.3 (raw strings) and C.4 (Huffman), which both build this
// table on one decoder.
const Fields kRequest1 = {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"}};
const Fields kRequest2 = {{":method", "GET"},
                          {":scheme", "http"},
                          {":path", "/"},
                          {":authority", "www.example.com"},
                          {"cache-control", "no-cache"}};
const Fields kRequest3 = {{":method", "GET"},
                          {":scheme", "https"},
                          {":path", "/index.html"},
                          {":authority", "www.example.com"},
                          {"custom-key", "custom-value"}};

void check_requests(const char* block1, const char* block2, const char* block3) {
  HpackDecoder d;
  Decoded got = decode(d, hex(block1));
  REQUIRE(got.ok);
  CHECK(got.fields == kRequest1);
  CHECK(d.table_size() == 57);
  CHECK(dynamic_table(d, 1) == Fields{{":authority", "www.example.com"}});

  got = decode(d, hex(block2));
  REQUIRE(got.ok);
  CHECK(got.fields == kRequest2);
  CHECK(d.table_size() == 110);
  CHECK(dynamic_table(d, 2) == Fields{{"cache-control", "no-cache"}, {":authority", "www.example.com"}});

  got = decode(d, hex(block3));
  REQUIRE(got.ok);
  CHECK(got.fields == kRequest3);
  CHECK(d.table_size() == 164);
  CHECK(dynamic_table(d, 3) ==
        Fields{{"custom-key", "custom-value"}, {"cache-control", "no-cache"}, {":authority", "www.example.com"}});
  CHECK_FALSE(decode(d, hex("c1")).ok);  // index 65: one past the three entries
}

}  // namespace

TEST_CASE("HPACK: C.3 requests without Huffman coding", "[hpack]") {
  check_requests("828684410f7777772e6578616d706c652e636f6d", "828684be58086e6f2d6361636865",
                 "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
}

TEST_CASE("HPACK: C.4 requests with Huffman coding", "[hpack]") {
  check_requests("828684418cf1e3c2e5f23a6ba0ab90f4ff", "828684be5886a8eb10649cbf",
                 "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf");
}

TEST_CASE("HPACK: C.5 responses with evictions, a 256-octet table", "[hpack]") {
  // Not requests, but the one example of eviction (section 4.4) in the RFC.
  HpackDecoder d(256);
  Decoded got = decode(d, hex("4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a3231"
                              "20474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d"));
  REQUIRE(got.ok);
  CHECK(d.table_size() == 222);
  got = decode(d, hex("4803333037c1c0bf"));
  REQUIRE(got.ok);
  CHECK(got.fields == Fields{{":status", "307"},
                             {"cache-control", "private"},
                             {"date", "Mon, 21 Oct 2013 20:13:21 GMT"},
                             {"location", "https://www.example.com"}});
  CHECK(d.table_size() == 222);
  CHECK(dynamic_table(d, 4) == Fields{{":status", "307"},
                                      {"location", "https://www.example.com"},
                                      {"date", "Mon, 21 Oct 2013 20:13:21 GMT"},
                                      {"cache-control", "private"}});
  CHECK_FALSE(decode(d, hex("c2")).ok);  // ":status: 302" was evicted
}

// --- The dynamic table (section 4) ---

TEST_CASE("HPACK: an entry larger than the table empties it", "[hpack]") {
  HpackDecoder d(100);
  REQUIRE(decode(d, Bytes{0x40} + raw("a") + raw("b")).ok);  // 34 octets
  REQUIRE(d.table_size() == 34);
  // Section 4.4: 1 + 68 + 32 = 101 > 100. The name comes from the entry it evicts.
  Decoded got = decode(d, Bytes{0x7e} + raw(std::string(68, 'v')));
  REQUIRE(got.ok);
  CHECK(got.fields == Fields{{"a", std::string(68, 'v')}});
  CHECK(d.table_size() == 0);
  CHECK_FALSE(decode(d, hex("be")).ok);
}

TEST_CASE("HPACK: entries named after entries, which they may evict", "[hpack]") {
  // Random insertions, most of which take their name from an entry of the table, often
  // the oldest one, which they then evict; a model of the table (section 4.4) says what
  // it must hold. Thousands of them take the table's buffer through its moves back to
  // the start and to larger buffers while the name lies in it.
  for (const std::size_t capacity : {64, 200, 1000, 4096}) {
    INFO("capacity " << capacity);
    std::mt19937 rng(static_cast<std::uint32_t>(capacity));
    auto pick = [&](std::size_t max) { return std::uniform_int_distribution<std::size_t>(0, max)(rng); };
    HpackDecoder d(static_cast<std::uint32_t>(capacity));
    std::deque<std::pair<std::string, std::string>> model;  // newest first
    std::size_t model_size = 0;
    for (int i = 0; i < 3000; ++i) {
      const std::string value(pick(pick(3) == 0 ? capacity : capacity / 4), static_cast<char>('a' + i % 26));
      std::string name = std::to_string(i) + std::string(pick(40), 'n');
      Bytes block;
      if (pick(20) == 0) {  // size updates to 0, which empties the table, and back
        block = integer(0x20, 5, 0) + integer(0x20, 5, capacity);
        model.clear();
        model_size = 0;
      }
      if (model.empty() || pick(3) == 0) {
        block = block + Bytes{0x40} + raw(name) + raw(value);
      } else {
        const std::size_t at = pick(1) == 0 ? model.size() - 1 : pick(model.size() - 1);  // the oldest, or any
        name = model[at].first;
        block = block + integer(0x40, 6, 62 + at) + raw(value);
      }
      Decoded got = decode(d, block);
      REQUIRE(got.ok);
      REQUIRE(got.fields == Fields{{name, value}});
      const std::size_t entry = name.size() + value.size() + 32;
      while (!model.empty() && model_size + entry > capacity) {
        model_size -= model.back().first.size() + model.back().second.size() + 32;
        model.pop_back();
      }
      if (entry <= capacity) {
        model.emplace_front(name, value);
        model_size += entry;
      }
      REQUIRE(d.table_size() == model_size);
      REQUIRE(dynamic_table(d, model.size()) == Fields(model.begin(), model.end()));
    }
  }
}

TEST_CASE("HPACK: a name from an evicted entry, while the table's bytes move", "[hpack]") {
  // The case where the insertion that evicts the entry its name comes from also moves
  // the table's bytes back to the start of their buffer, over that name. The sizes
  // follow HpackTable's buffer policy: a first entry of 2000 octets makes the buffer
  // 4000; the table emptied by a size update and a small entry then start over at 0.
  HpackDecoder d;
  auto literal = [](std::string_view name, std::size_t value_len) {
    return Bytes{0x40} + raw(name) + raw(std::string(value_len, 'v'));
  };
  REQUIRE(decode(d, literal("a", 1999) + literal("b", 1994)).ok);                              // 0 to 3995
  REQUIRE(decode(d, integer(0x20, 5, 0) + integer(0x20, 5, 4096) + literal("x", 9)).ok);       // 0 to 10
  REQUIRE(decode(d, literal("e", 2149) + literal("g", 999)).ok);                               // 10 to 3160
  // 3160 + 900 > 4000: evict x and e (3256 + 932 > 4096), move g (1000 octets) to 0.
  Decoded got = decode(d, integer(0x40, 6, 63) + raw(std::string(899, 'w')));
  REQUIRE(got.ok);
  CHECK(got.fields == Fields{{"e", std::string(899, 'w')}});
  CHECK(dynamic_table(d, 2) == Fields{{"e", std::string(899, 'w')}, {"g", std::string(999, 'v')}});
}

TEST_CASE("HPACK: size updates evict and bound later insertions", "[hpack]") {
  HpackDecoder d;
  REQUIRE(decode(d, hex("828684410f7777772e6578616d706c652e636f6d")).ok);
  REQUIRE(decode(d, hex("828684be58086e6f2d6361636865")).ok);
  REQUIRE(d.table_size() == 110);
  // Two updates at the start of a block (section 4.2): 0 empties the table, 60 leaves
  // room for one entry of 57.
  Decoded got = decode(d, integer(0x20, 5, 0) + integer(0x20, 5, 60) + Bytes{0x82});
  REQUIRE(got.ok);
  CHECK(got.fields == Fields{{":method", "GET"}});
  CHECK(d.table_size() == 0);
  REQUIRE(decode(d, hex("410f7777772e6578616d706c652e636f6d")).ok);
  CHECK(d.table_size() == 57);
  REQUIRE(decode(d, hex("58086e6f2d6361636865")).ok);  // 53 octets evict the 57
  CHECK(d.table_size() == 53);
  CHECK(dynamic_table(d, 1) == Fields{{"cache-control", "no-cache"}});
  // Back up to the maximum, which section 6.3 allows.
  REQUIRE(decode(d, integer(0x20, 5, 4096)).ok);
  CHECK(d.table_size() == 53);
}

// --- Errors: each block breaks one rule; its twin keeps it ---

TEST_CASE("HPACK: indexes", "[hpack]") {
  CHECK_FALSE(decodes(hex("80")));  // index 0 (section 6.1)
  CHECK(decodes(hex("bd")));        // 61: the last static entry
  CHECK_FALSE(decodes(hex("be")));  // 62: the dynamic table is empty
  CHECK(decodes(Bytes{0x40} + raw("a") + raw("b") + hex("be")));
  CHECK_FALSE(decodes(Bytes{0x40} + raw("a") + raw("b") + hex("bf")));
  CHECK_FALSE(decodes(Bytes{0x00} + raw("b")));       // a new name, then nothing but its string
  CHECK(decodes(hex("7d") + raw("b")));               // literal with the name of 61
  CHECK_FALSE(decodes(hex("7e") + raw("b")));         // ... of 62, with an empty dynamic table
  CHECK_FALSE(decodes(hex("0f2f") + raw("b")));       // 4-bit prefix: 15 + 47 = 62
  CHECK(decodes(hex("0f2e") + raw("b")));             // 61
  CHECK_FALSE(decodes(hex("1f2f") + raw("b")));       // never indexed, 62
}

TEST_CASE("HPACK: dynamic table size updates", "[hpack]") {
  CHECK(decodes(integer(0x20, 5, 4096)));
  CHECK_FALSE(decodes(integer(0x20, 5, 4097)));  // above our SETTINGS_HEADER_TABLE_SIZE
  CHECK(decodes(integer(0x20, 5, 100), 100));
  CHECK_FALSE(decodes(integer(0x20, 5, 101), 100));
  CHECK(decodes(hex("20 82")));
  CHECK_FALSE(decodes(hex("82 20")));  // section 4.2: after the first field
  CHECK_FALSE(decodes(Bytes{0x40} + raw("a") + raw("b") + hex("20")));
  // A new block starts afresh.
  HpackDecoder d;
  REQUIRE(decode(d, hex("82")).ok);
  CHECK(decode(d, hex("20 82")).ok);
}

TEST_CASE("HPACK: integers", "[hpack]") {
  CHECK_FALSE(decodes(hex("ff")));                 // the continuation is missing
  CHECK_FALSE(decodes(hex("ff 80")));              // ... its last octet is
  CHECK(decodes(hex("3f 80 80 80 80 00")));        // 31 in five continuation octets
  CHECK_FALSE(decodes(hex("3f 80 80 80 80 80 00")));  // in six: too long a run
  // The most a 32-bit value can be, and one more.
  CHECK(decodes(integer(0x20, 5, 0xffffffffu), 0xffffffffu));
  CHECK_FALSE(decodes(integer(0x20, 5, 0x100000000u), 0xffffffffu));
  CHECK_FALSE(decodes(integer(0x20, 5, 0x7fffffffffu), 0xffffffffu));
}

TEST_CASE("HPACK: string literals", "[hpack]") {
  CHECK(decodes(Bytes{0x00} + raw("ab") + raw("cd")));
  CHECK_FALSE(decodes(hex("00 02 61") ));         // the name runs past the block
  CHECK_FALSE(decodes(Bytes{0x00} + raw("ab") + hex("03 63 64")));  // the value does
  CHECK_FALSE(decodes(Bytes{0x00} + raw("ab")));  // no value at all
  CHECK_FALSE(decodes(hex("00 7f")));             // a length whose integer is cut
  CHECK_FALSE(decodes(hex("00 ff ff ff ff ff 0f")));  // a length above 2^32 - 1
}

TEST_CASE("HPACK: Huffman-coded strings", "[hpack]") {
  struct Case {
    const char* what;
    const char* coded;
    bool ok;
    std::string decoded;
  };
  const Case cases[] = {
      {"empty", "", true, ""},
      {"'a' (00011) and 3 bits of padding", "1f", true, "a"},
      {"padding with a zero: not a prefix of EOS", "1e", false, ""},
      {"'a' and 11 bits of padding", "1f ff", false, ""},
      {"'&' (11111000) and no padding", "f8", true, "&"},
      {"'&' and 8 bits of padding", "f8 ff", false, ""},
      {"'0' '0' (00000 each) and 6 bits of padding", "00 3f", true, "00"},
      {"EOS (30 ones) then 2 of padding", "ff ff ff ff", false, ""},
      {"EOS then 'a' (00011)", "ff ff ff fc 7f", false, ""},
      {"'a', EOS, padding", "1f ff ff ff ff", false, ""},
      {"www.example.com (C.4.1)", "f1e3c2e5f23a6ba0ab90f4ff", true, "www.example.com"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const Bytes coded = hex(c.coded);
    std::string out(httpkit::detail::huffman_decoded_max(coded.size()), '\0');
    std::size_t n = 0;
    const bool ok = httpkit::detail::huffman_decode(coded.data(), coded.size(), out.data(), n);
    CHECK(ok == c.ok);
    if (ok) CHECK(out.substr(0, n) == c.decoded);
    // The same string as a field's name and value.
    Bytes literal = integer(0x80, 7, coded.size()) + coded;
    CHECK(decodes(Bytes{0x00} + literal + raw("v")) == c.ok);
    CHECK(decodes(Bytes{0x00} + raw("n") + literal) == c.ok);
  }
}

TEST_CASE("HPACK: every octet through Huffman coding", "[hpack]") {
  // The codes of all 256 octets, from nghttp2's encoder, decoded back.
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string s = all + all;
  nghttp2_hd_deflater* deflater = nullptr;
  REQUIRE(nghttp2_hd_deflate_new(&deflater, 4096) == 0);
  nghttp2_nv nv{reinterpret_cast<std::uint8_t*>(s.data()), reinterpret_cast<std::uint8_t*>(s.data()), s.size(),
                s.size(), NGHTTP2_NV_FLAG_NONE};
  Bytes block(nghttp2_hd_deflate_bound(deflater, &nv, 1));
  const auto n = nghttp2_hd_deflate_hd(deflater, block.data(), block.size(), &nv, 1);
  nghttp2_hd_deflate_del(deflater);
  REQUIRE(n > 0);
  block.resize(static_cast<std::size_t>(n));
  HpackDecoder d;
  Decoded got = decode(d, block);
  REQUIRE(got.ok);
  CHECK(got.fields == Fields{{s, s}});
}

TEST_CASE("HPACK: a failed decoder stays failed", "[hpack]") {
  HpackDecoder d;
  REQUIRE_FALSE(decode(d, hex("80")).ok);
  CHECK_FALSE(decode(d, hex("82")).ok);
}

// --- nghttp2's encoder as the oracle ---

namespace {

class Deflater {
 public:
  explicit Deflater(std::size_t max_table_size) { REQUIRE(nghttp2_hd_deflate_new(&d_, max_table_size) == 0); }
  ~Deflater() { nghttp2_hd_deflate_del(d_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  Bytes encode(const Fields& fields, const std::vector<bool>& never_indexed) {
    std::vector<nghttp2_nv> nva;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      auto& [name, value] = fields[i];
      nva.push_back({const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(name.data())),
                     const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(value.data())), name.size(),
                     value.size(), static_cast<std::uint8_t>(never_indexed[i] ? NGHTTP2_NV_FLAG_NO_INDEX : 0)});
    }
    Bytes block(nghttp2_hd_deflate_bound(d_, nva.data(), nva.size()));
    const auto n = nghttp2_hd_deflate_hd(d_, block.data(), block.size(), nva.data(), nva.size());
    REQUIRE(n >= 0);
    block.resize(static_cast<std::size_t>(n));
    return block;
  }
  void change_table_size(std::size_t size) { REQUIRE(nghttp2_hd_deflate_change_table_size(d_, size) == 0); }
  std::size_t table_size() { return nghttp2_hd_deflate_get_dynamic_table_size(d_); }
  // table: the dynamic table's entries, newest first.
  Fields table() {
    Fields t;
    const std::size_t entries = nghttp2_hd_deflate_get_num_table_entries(d_);
    for (std::size_t i = 62; i <= entries; ++i) {
      const nghttp2_nv* nv = nghttp2_hd_deflate_get_table_entry(d_, i);
      t.emplace_back(std::string(reinterpret_cast<const char*>(nv->name), nv->namelen),
                     std::string(reinterpret_cast<const char*>(nv->value), nv->valuelen));
    }
    return t;
  }

 private:
  nghttp2_hd_deflater* d_ = nullptr;
};

// Headers: random header lists that repeat fields (so that the encoder indexes them)
// and mix common names, random ones, binary octets and values too large to index.
class Headers {
 public:
  explicit Headers(std::uint32_t seed) : rng_(seed) {}

  std::string text(std::size_t max_len, bool binary) {
    std::string s(pick(max_len), '\0');
    for (char& c : s) c = static_cast<char>(binary ? pick(255) : 'a' + pick(25));
    return s;
  }

  Fields list() {
    static const char* const kNames[] = {":method", ":path", ":authority", "user-agent", "cookie", "accept", "x-trace"};
    Fields fields;
    const std::size_t n = 1 + pick(20);
    for (std::size_t i = 0; i < n; ++i) {
      if (!pool_.empty() && pick(2) != 0) {  // a field sent before
        fields.push_back(pool_[pick(pool_.size() - 1)]);
        continue;
      }
      std::string name = pick(1) != 0 ? kNames[pick(6)] : text(30, pick(4) == 0);
      std::string value = pick(20) == 0 ? text(5000, true) : text(pick(3) == 0 ? 300 : 40, pick(3) == 0);
      fields.emplace_back(name, value);
      if (pool_.size() < 64) pool_.push_back(fields.back());
      else pool_[pick(63)] = fields.back();
    }
    return fields;
  }

  std::size_t pick(std::size_t max) { return std::uniform_int_distribution<std::size_t>(0, max)(rng_); }

 private:
  std::mt19937 rng_;
  Fields pool_;
};

// run_oracle encodes `blocks` random header lists with nghttp2 and decodes them on one
// decoder; before some blocks the encoder's table size changes (a size update).
void run_oracle(std::uint32_t seed, std::uint32_t max_table_size, int blocks) {
  Headers headers(seed);
  Deflater deflater(max_table_size);
  HpackDecoder decoder(max_table_size);
  deflater.change_table_size(headers.pick(max_table_size));  // the two tables start in step
  for (int b = 0; b < blocks; ++b) {
    INFO("seed " << seed << ", block " << b);
    if (headers.pick(10) == 0) deflater.change_table_size(headers.pick(max_table_size));
    const Fields fields = headers.list();
    std::vector<bool> never_indexed(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) never_indexed[i] = headers.pick(8) == 0;
    Decoded got = decode(decoder, deflater.encode(fields, never_indexed));
    REQUIRE(got.ok);
    REQUIRE(got.fields == fields);
    REQUIRE(decoder.table_size() == deflater.table_size());
    if (b % 16 == 0) {
      const Fields table = deflater.table();
      REQUIRE(dynamic_table(decoder, table.size()) == table);
    }
  }
}

}  // namespace

TEST_CASE("HPACK: nghttp2's encoder, a 4096-octet table", "[hpack]") {
  for (std::uint32_t seed = 1; seed <= 8; ++seed) run_oracle(seed, 4096, 200);
}

TEST_CASE("HPACK: nghttp2's encoder, small and large tables", "[hpack]") {
  run_oracle(100, 0, 50);
  run_oracle(101, 64, 200);
  run_oracle(102, 300, 200);
  run_oracle(103, 65536, 200);
}

TEST_CASE("HpackDecoder gives back the memory a long Huffman-coded string took", "[hpack]") {
  // A literal without indexing, new name "x", value: 100,000 'a' Huffman-coded ('a' is
  // the 5-bit code 00011, so 8 of them fill 5 octets: 0x18 0xc6 0x31 0x8c 0x63).
  Bytes block = hex("00 01 78");
  const std::size_t octets = 100000 / 8 * 5;
  block.push_back(0xff);  // H bit and a 7-bit prefix of ones: the length follows (section 5.1)
  for (std::size_t rest = octets - 127; ; rest >>= 7) {
    if (rest < 128) {
      block.push_back(static_cast<std::uint8_t>(rest));
      break;
    }
    block.push_back(static_cast<std::uint8_t>(0x80 | (rest & 0x7f)));
  }
  for (std::size_t i = 0; i < octets / 5; ++i) {
    for (std::uint8_t b : {0x18, 0xc6, 0x31, 0x8c, 0x63}) block.push_back(b);
  }
  HpackDecoder d;
  std::size_t length = 0;
  REQUIRE(d.decode(block.data(), block.size(), [&](std::string_view, std::string_view v) {
    length = v.size();
    CHECK(v.find_first_not_of('a') == std::string_view::npos);
  }));
  CHECK(length == 100000);
  CHECK(d.scratch_capacity() < 64 * 1024);  // not the 100 KB the value took
}
