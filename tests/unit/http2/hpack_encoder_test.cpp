// HpackEncoder: the representation chosen for each kind of field, octet by octet
// (indexed, literal with or without indexing or never indexed, raw strings), the
// static table look-up against the whole of Appendix A, dynamic table size updates,
// and nghttp2's decoder as an oracle: random response heads, encoded block after block
// through evictions and size changes, must decode to the same fields, with the
// never-indexed flag where it belongs, and leave a table of the same size.
#include <catch2/catch.hpp>
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/byte_buffer.hpp"
#include "http2/hpack_decoder.hpp"
#include "unit/http2/hex_bytes.hpp"
#include "http2/hpack_encoder.hpp"

using httpkit::detail::ByteBuffer;
using httpkit::detail::HpackEncoder;
using httpkit::detail::HpackIndexing;
using httpkit::detail::hpack_indexing;
using httpkit::detail::hpack_static_match;
using httpkit::detail::kHpackStaticTable;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;
using httpkit::testing::Bytes;
using httpkit::testing::hex;

Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// encode: one header block of fields.
Bytes encode(HpackEncoder& e, const Fields& fields) {
  ByteBuffer out;
  e.begin(out);
  for (const auto& [name, value] : fields) e.field(name, value, out);
  const std::string_view v = out.view();
  return Bytes(v.begin(), v.end());
}

// Inflater: nghttp2's HPACK decoder.
struct Inflater {
  nghttp2_hd_inflater* p = nullptr;
  Inflater() { REQUIRE(nghttp2_hd_inflate_new(&p) == 0); }
  ~Inflater() { nghttp2_hd_inflate_del(p); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  struct Result {
    bool ok = false;
    Fields fields;
    std::vector<bool> never_indexed;
  };
  // decode feeds the block in pieces of at most `chunk` octets.
  Result decode(const Bytes& block, std::size_t chunk = SIZE_MAX) {
    Result r;
    std::size_t at = 0;
    for (;;) {
      const std::size_t n = std::min(chunk, block.size() - at);
      const bool last = at + n == block.size();
      nghttp2_nv nv;
      int flags = 0;
      const auto used = nghttp2_hd_inflate_hd2(p, &nv, &flags, block.data() + at, n, last ? 1 : 0);
      if (used < 0) return r;
      at += static_cast<std::size_t>(used);
      if (flags & NGHTTP2_HD_INFLATE_EMIT) {
        r.fields.emplace_back(std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                              std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen));
        r.never_indexed.push_back((nv.flags & NGHTTP2_NV_FLAG_NO_INDEX) != 0);
      }
      if (flags & NGHTTP2_HD_INFLATE_FINAL) {
        nghttp2_hd_inflate_end_headers(p);
        r.ok = at == block.size();
        return r;
      }
      if (used == 0 && !(flags & NGHTTP2_HD_INFLATE_EMIT)) return r;  // stuck
    }
  }
  std::size_t table_size() const { return nghttp2_hd_inflate_get_dynamic_table_size(p); }
  void change_table_size(std::size_t size) { REQUIRE(nghttp2_hd_inflate_change_table_size(p, size) == 0); }
};

bool sensitive(std::string_view name) {
  return name == "set-cookie" || name == "cookie" || name == "authorization" || name == "proxy-authorization";
}

const Fields kTypicalResponse = {{":status", "200"},
                                 {"content-type", "text/plain; charset=utf-8"},
                                 {"content-length", "13"},
                                 {"date", "Mon, 23 Nov 2026 07:00:49 GMT"}};

}  // namespace

TEST_CASE("HPACK encoder: the static table look-up covers Appendix A", "[hpack]") {
  for (std::uint32_t i = 0; i < kHpackStaticTable.size(); ++i) {
    const auto& f = kHpackStaticTable[i];
    std::uint32_t first = i + 1;
    while (first > 1 && kHpackStaticTable[first - 2].name == f.name) --first;
    INFO(f.name << ": " << f.value);
    const auto m = hpack_static_match(f.name, f.value);
    CHECK(m.full == i + 1);
    CHECK(m.name == first);
    // Another value: the name only.
    CHECK(hpack_static_match(f.name, "zz").full == 0);
    CHECK(hpack_static_match(f.name, "zz").name == first);
    // A name one octet off (last octet changed, or one more) is not in the table.
    std::string other(f.name);
    other.back() = other.back() == 'x' ? 'y' : 'x';
    CHECK(hpack_static_match(other, f.value).name == 0);
    CHECK(hpack_static_match(std::string(f.name) + "s", f.value).name == 0);
  }
  CHECK(hpack_static_match(":status", "").full == 0);  // :status has no empty-valued entry
  CHECK(hpack_static_match(":status", "201").full == 0);
  CHECK(hpack_static_match(":status", "201").name == 8);
  CHECK(hpack_static_match(":status", "2000").full == 0);
  CHECK(hpack_static_match("x-powered-by", "").name == 0);
  CHECK(hpack_static_match("", "").name == 0);
}

TEST_CASE("HPACK encoder: the indexing rule", "[hpack]") {
  auto rule = [](std::string_view name, std::size_t value_size) {
    return hpack_indexing(hpack_static_match(name, "zz").name, value_size);
  };
  for (std::string_view name : {"set-cookie", "cookie", "authorization", "proxy-authorization"}) {
    CHECK(rule(name, 10) == HpackIndexing::kNever);
    CHECK(rule(name, 1000) == HpackIndexing::kNever);
  }
  for (std::string_view name : {"content-length", "etag", "last-modified", "location", ":path"})
    CHECK(rule(name, 10) == HpackIndexing::kWithout);
  for (std::string_view name : {":status", "content-type", "date", "server", "cache-control", "x-request-id"}) {
    CHECK(rule(name, 256) == HpackIndexing::kIncremental);
    CHECK(rule(name, 257) == HpackIndexing::kWithout);
  }
}

TEST_CASE("HPACK encoder: representations, octet by octet", "[hpack]") {
  HpackEncoder e;
  SECTION("a typical response: one octet a field but content-length, once warm") {
    const Bytes first = encode(e, kTypicalResponse);
    CHECK(first == hex("88") + hex("5f 19") + bytes("text/plain; charset=utf-8") +  // 6.2.1, name 31
                       hex("0f 0d 02") + bytes("13") +                                 // 6.2.2, name 28
                       hex("61 1d") + bytes("Mon, 23 Nov 2026 07:00:49 GMT"));         // 6.2.1, name 33
    CHECK(e.table_entries() == 2);
    CHECK(e.table_size() == (12 + 25 + 32) + (4 + 29 + 32));
    // content-type is now 63, date 62.
    CHECK(encode(e, kTypicalResponse) == hex("88 bf 0f 0d 02") + bytes("13") + hex("be"));
    CHECK(e.table_entries() == 2);
  }
  SECTION(":status 200 is 0x88, other static fields one octet") {
    CHECK(encode(e, {{":status", "200"}}) == hex("88"));
    CHECK(encode(e, {{":status", "404"}}) == hex("8d"));
    CHECK(encode(e, {{":path", "/"}, {"accept-encoding", "gzip, deflate"}, {"vary", ""}}) == hex("84 90 bb"));
    CHECK(e.table_size() == 0);
  }
  SECTION("a status not in the static table is indexed by name, then one octet") {
    CHECK(encode(e, {{":status", "302"}}) == hex("48 03") + bytes("302"));
    CHECK(encode(e, {{":status", "302"}}) == hex("be"));
  }
  SECTION("content-length, etag, last-modified, location, :path are never inserted") {
    const Fields f = {{"content-length", "13"},
                      {"etag", "\"abc\""},
                      {"last-modified", "Mon, 23 Nov 2026 07:00:49 GMT"},
                      {"location", "/x"},
                      {":path", "/y"}};
    const Bytes block = encode(e, f);
    CHECK(block == hex("0f 0d 02") + bytes("13") + hex("0f 13 05") + bytes("\"abc\"") + hex("0f 1d 1d") +
                       bytes("Mon, 23 Nov 2026 07:00:49 GMT") + hex("0f 1f 02") + bytes("/x") + hex("04 02") +
                       bytes("/y"));
    CHECK(encode(e, f) == block);
    CHECK(e.table_size() == 0);
  }
  SECTION("set-cookie and the other credentials are never indexed") {
    const Bytes block = encode(e, {{"set-cookie", "id=1"}});
    CHECK(block == hex("1f 28 04") + bytes("id=1"));  // 6.2.3: 0001 prefix, name 55
    CHECK((block[0] & 0xf0) == 0x10);
    CHECK(encode(e, {{"set-cookie", "id=1"}}) == block);
    CHECK(encode(e, {{"authorization", "x"}}) == hex("1f 08 01") + bytes("x"));
    CHECK(encode(e, {{"cookie", "x"}}) == hex("1f 11 01") + bytes("x"));
    CHECK(encode(e, {{"proxy-authorization", "x"}}) == hex("1f 22 01") + bytes("x"));
    CHECK(e.table_size() == 0);
  }
  SECTION("a custom name: a new name, then an indexed field or an indexed name") {
    CHECK(encode(e, {{"x-foo", "bar"}}) == hex("40 05") + bytes("x-foo") + hex("03") + bytes("bar"));
    CHECK(encode(e, {{"x-foo", "bar"}}) == hex("be"));
    CHECK(encode(e, {{"x-foo", "baz"}}) == hex("7e 03") + bytes("baz"));  // name: entry 62
    CHECK(encode(e, {{"x-foo", "bar"}, {"x-foo", "baz"}}) == hex("bf be"));
    CHECK(encode(e, {{"x-fop", "bar"}}) == hex("40 05") + bytes("x-fop") + hex("03") + bytes("bar"));
    CHECK(e.table_entries() == 3);
  }
  SECTION("raw strings, long values without indexing") {
    const std::string v200(200, 'a');
    CHECK(encode(e, {{"x-a", v200}}) == hex("40 03") + bytes("x-a") + hex("7f 49") + bytes(v200));
    CHECK(encode(e, {{"x-a", v200}}) == hex("be"));
    const std::string v256(256, 'b');
    CHECK(encode(e, {{"server", v256}}) == hex("76 7f 81 01") + bytes(v256));  // 256 = 127 + 129
    CHECK(e.table_entries() == 2);
    const std::string v257(257, 'c');
    CHECK(encode(e, {{"server", v257}}) == hex("0f 27 7f 82 01") + bytes(v257));  // 6.2.2, name 54
    CHECK(encode(e, {{"x-b", v257}}) == hex("00 03") + bytes("x-b") + hex("7f 82 01") + bytes(v257));
    CHECK(e.table_entries() == 2);
  }
}

TEST_CASE("HPACK encoder: the dynamic table evicts oldest first", "[hpack]") {
  HpackEncoder e;
  e.set_peer_table_size(100);
  Bytes block = encode(e, {{"x-a", std::string(20, 'a')}});  // 32 + 3 + 20 = 55
  CHECK(block == hex("3f 45 40 03") + bytes("x-a") + hex("14") + bytes(std::string(20, 'a')));
  CHECK(e.table_size() == 55);
  encode(e, {{"x-b", std::string(20, 'b')}});  // evicts x-a
  CHECK(e.table_size() == 55);
  CHECK(e.table_entries() == 1);
  CHECK(encode(e, {{"x-b", std::string(20, 'b')}}) == hex("be"));
  CHECK(encode(e, {{"x-a", std::string(20, 'a')}})[0] == 0x40);  // evicted: a new name again
  // An entry larger than the table empties it and is not added.
  encode(e, {{"x-c", std::string(70, 'c')}});
  CHECK(e.table_size() == 0);
  CHECK(e.table_entries() == 0);
  CHECK(encode(e, {{"x-c", std::string(70, 'c')}})[0] == 0x40);
}

TEST_CASE("HPACK encoder: peer table size changes", "[hpack]") {
  HpackEncoder e;
  Inflater in;
  auto round_trip = [&](const Fields& f) {
    const Bytes block = encode(e, f);
    const auto r = in.decode(block);
    REQUIRE(r.ok);
    CHECK(r.fields == f);
    CHECK(in.table_size() == e.table_size());
    return block;
  };
  round_trip(kTypicalResponse);
  CHECK(e.table_size() > 0);
  e.set_peer_table_size(4096);  // unchanged: no update
  e.set_peer_table_size(65536);  // we use no more than 4096 of it: no update
  CHECK(round_trip(kTypicalResponse)[0] == 0x88);

  // Shrink to 0: the update once, at the next block's start; nothing is inserted.
  e.set_peer_table_size(0);
  in.change_table_size(0);
  Bytes block = round_trip(kTypicalResponse);
  CHECK(block[0] == 0x20);
  CHECK(block[1] == 0x88);
  CHECK(e.table_size() == 0);
  CHECK(e.table_capacity() == 0);
  e.set_peer_table_size(0);
  block = round_trip(kTypicalResponse);
  CHECK(block[0] == 0x88);
  CHECK(e.table_size() == 0);

  // Up to 100: an update of 100 (0x3f 0x45); the date fits, then evicts content-type.
  e.set_peer_table_size(100);
  in.change_table_size(100);
  block = round_trip(kTypicalResponse);
  CHECK(block == hex("3f 45 88 5f 19") + bytes("text/plain; charset=utf-8") + hex("0f 0d 02") + bytes("13") +
                     hex("61 1d") + bytes("Mon, 23 Nov 2026 07:00:49 GMT"));
  CHECK(e.table_entries() == 1);
  CHECK(round_trip(kTypicalResponse)[0] == 0x88);

  // Back to 4096: 0x3f 0xe1 0x1f.
  e.set_peer_table_size(4096);
  in.change_table_size(4096);
  block = round_trip(kTypicalResponse);
  CHECK(Bytes(block.begin(), block.begin() + 4) == hex("3f e1 1f 88"));
  // The date was still in the table: content-type is now 62, the date 63.
  CHECK(round_trip(kTypicalResponse) == hex("88 be 0f 0d 02") + bytes("13") + hex("bf"));

  // Down and back up between two blocks: the smallest size, then the final one
  // (section 4.2); nghttp2 insists on the first.
  e.set_peer_table_size(10);
  in.change_table_size(10);
  e.set_peer_table_size(4096);
  in.change_table_size(4096);
  block = round_trip(kTypicalResponse);
  CHECK(Bytes(block.begin(), block.begin() + 5) == hex("2a 3f e1 1f 88"));
  CHECK(round_trip(kTypicalResponse) == hex("88 bf 0f 0d 02") + bytes("13") + hex("be"));

  // Down twice between two blocks: the final (smallest) size only.
  e.set_peer_table_size(200);
  in.change_table_size(200);
  e.set_peer_table_size(50);
  in.change_table_size(50);
  block = round_trip(kTypicalResponse);
  CHECK(Bytes(block.begin(), block.begin() + 3) == hex("3f 13 88"));
}

TEST_CASE("HPACK encoder: nghttp2 decodes random response heads", "[hpack]") {
  const auto seed = GENERATE(1u, 2u, 3u, 4u, 5u, 6u);
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto text = [&](std::size_t n) {
    std::string s(n, ' ');
    for (char& c : s) c = static_cast<char>(' ' + pick(95));
    return s;
  };
  const std::vector<std::pair<std::string, std::vector<std::string>>> common = {
      {":status", {"200", "204", "302", "404", "500", "201", "503"}},
      {"content-type", {"text/plain; charset=utf-8", "text/html", "application/json", ""}},
      {"content-length", {"0", "13", "1024", "99999"}},
      {"date", {"Mon, 23 Nov 2026 07:00:49 GMT", "Mon, 23 Nov 2026 07:00:50 GMT", "Mon, 23 Nov 2026 07:00:51 GMT"}},
      {"server", {"httpkit", "h2o"}},
      {"cache-control", {"no-cache", "max-age=3600", ""}},
      {"vary", {"accept-encoding", ""}},
      {"location", {"/a", "/b/c"}},
      {"etag", {"\"1\"", "\"2\""}},
      {"set-cookie", {"a=1", "b=2; Path=/; HttpOnly"}},
      {"authorization", {"Basic x"}},
      {"x-request-id", {"1", "2", "3"}},
      {"x-powered-by", {"kit"}},
  };
  std::vector<std::string> custom_names;
  for (int i = 0; i < 40; ++i) custom_names.push_back("x-" + std::to_string(i));
  custom_names.push_back("x-a-very-long-custom-header-name-" + std::string(100, 'n'));

  HpackEncoder e;
  Inflater in;
  std::size_t peer_size = 4096;
  std::size_t fields_total = 0;
  for (int block_no = 0; block_no < 600; ++block_no) {
    // Now and then the peer changes SETTINGS_HEADER_TABLE_SIZE, once or twice.
    if (pick(25) == 0) {
      const int changes = 1 + static_cast<int>(pick(2));
      for (int c = 0; c < changes; ++c) {
        static constexpr std::size_t kSizes[] = {0, 31, 64, 100, 256, 1000, 4095, 4096, 4096, 8192, 65536};
        peer_size = kSizes[pick(std::size(kSizes))];
        e.set_peer_table_size(static_cast<std::uint32_t>(peer_size));
        in.change_table_size(peer_size);
      }
    }
    Fields fields;
    const std::size_t n = pick(12);
    for (std::size_t i = 0; i < n; ++i) {
      switch (pick(6)) {
        case 0:
        case 1:
        case 2: {
          const auto& [name, values] = common[pick(common.size())];
          fields.emplace_back(name, values[pick(values.size())]);
          break;
        }
        case 3:  // a custom name, a value seen before or not
          fields.emplace_back(custom_names[pick(custom_names.size())],
                              pick(2) ? std::to_string(pick(5)) : text(pick(40)));
          break;
        case 4: {  // long values: around the 256-octet limit, near and over the table size
          static constexpr std::size_t kLengths[] = {255, 256, 257, 1000, 4000, 4064, 5000};
          fields.emplace_back(pick(2) ? custom_names[pick(custom_names.size())] : std::string("server"),
                              text(kLengths[pick(std::size(kLengths))]));
          break;
        }
        default: {  // a repeat of the block's fields, or a static entry
          if (!fields.empty()) {
            fields.push_back(fields[pick(fields.size())]);
          } else {
            const auto& f = kHpackStaticTable[pick(kHpackStaticTable.size())];
            fields.emplace_back(std::string(f.name), std::string(f.value));
          }
          break;
        }
      }
    }
    const Bytes block = encode(e, fields);
    const auto r = in.decode(block, pick(3) == 0 ? 1 + pick(7) : SIZE_MAX);
    INFO("seed " << seed << " block " << block_no);
    REQUIRE(r.ok);
    REQUIRE(r.fields == fields);
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (sensitive(fields[i].first) && !fields[i].second.empty()) CHECK(r.never_indexed[i]);
    REQUIRE(in.table_size() == e.table_size());
    CHECK(e.table_size() <= std::min<std::size_t>(peer_size, HpackEncoder::kMaxTableSize));
    fields_total += fields.size();
  }
  CHECK(fields_total > 2000);
}

TEST_CASE("HPACK encoder: many small entries, the ring and the byte buffer wrap", "[hpack]") {
  HpackEncoder e;
  Inflater in;
  std::mt19937 rng(7);
  // Entries of 33 to 40 octets: up to 124 of them live at a time.
  for (int round = 0; round < 300; ++round) {
    Fields fields;
    for (int i = 0; i < 10; ++i) {
      const auto k = rng() % 300;
      fields.emplace_back("x" + std::to_string(k % 7), std::to_string(k));
    }
    const Bytes block = encode(e, fields);
    const auto r = in.decode(block);
    REQUIRE(r.ok);
    REQUIRE(r.fields == fields);
    REQUIRE(in.table_size() == e.table_size());
  }
  CHECK(e.table_entries() > 100);
}
