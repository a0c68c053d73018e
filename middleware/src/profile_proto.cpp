// encode_profile: profile.proto written by hand (github.com/google/pprof, proto/
// profile.proto; protobuf wire format: varints and length-delimited fields), gzipped
// as `go tool pprof` expects.
#include <zlib.h>

#include <map>
#include <stdexcept>
#include <unordered_map>

#include "profiler.hpp"

namespace httpkit::pprof::detail {
namespace {

// Proto appends protobuf fields. Wire types: 0 varint, 2 length-delimited.
struct Proto {
  std::string out;

  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }
  void tag(int field, int wire) { varint(static_cast<std::uint64_t>(field) << 3 | static_cast<unsigned>(wire)); }
  void uint(int field, std::uint64_t v) {
    if (v == 0) return;  // proto3 default
    tag(field, 0);
    varint(v);
  }
  void boolean(int field, bool v) { uint(field, v ? 1 : 0); }
  void bytes(int field, std::string_view s) {
    tag(field, 2);
    varint(s.size());
    out.append(s);
  }
  void message(int field, const Proto& m) { bytes(field, m.out); }
  void packed(int field, const std::vector<std::uint64_t>& vs) {
    Proto p;
    for (auto v : vs) p.varint(v);
    bytes(field, p.out);
  }
};

// Builder turns raw samples into the profile's tables (field numbers from profile.proto).
class Builder {
 public:
  explicit Builder(const RawProfile& raw) : raw_(raw) { str(""); }  // string_table[0] = ""

  std::string build() {
    aggregate();
    value_type(1, "samples", "count");
    value_type(1, "cpu", "nanoseconds");
    for (const auto& [key, agg] : samples_) sample(agg);
    for (std::size_t i = 0; i < sym_.mappings().size(); ++i) mapping(i);
    p_.out.append(locations_.out);
    p_.out.append(functions_.out);
    p_.uint(9, static_cast<std::uint64_t>(raw_.start_unix_nanos));
    p_.uint(10, static_cast<std::uint64_t>(raw_.duration.count()));
    Proto period_type;
    period_type.uint(1, static_cast<std::uint64_t>(str("cpu")));
    period_type.uint(2, static_cast<std::uint64_t>(str("nanoseconds")));
    p_.message(11, period_type);
    p_.uint(12, static_cast<std::uint64_t>(period()));
    for (const std::string& s : strings_) p_.bytes(6, s);  // last: every string is interned
    return std::move(p_.out);
  }

 private:
  struct Aggregate {
    std::vector<std::uint64_t> locations;
    const RawSample* first;
    std::int64_t count = 0;
  };

  std::int64_t period() const { return 1'000'000'000 / raw_.hz; }

  std::int64_t str(const std::string& s) {
    auto [it, inserted] = string_ids_.try_emplace(s, static_cast<std::int64_t>(strings_.size()));
    if (inserted) strings_.push_back(s);
    return it->second;
  }

  void value_type(int field, const std::string& type, const std::string& unit) {
    Proto v;
    v.uint(1, static_cast<std::uint64_t>(str(type)));
    v.uint(2, static_cast<std::uint64_t>(str(unit)));
    p_.message(field, v);
  }

  // aggregate merges identical (stack, label set) samples, as Go's profile builder does.
  void aggregate() {
    for (const RawSample& s : raw_.samples) {
      std::string key(reinterpret_cast<const char*>(s.pcs.data()), s.pcs.size() * sizeof(std::uintptr_t));
      const void* labels = s.labels.node();
      key.append(reinterpret_cast<const char*>(&labels), sizeof labels);
      Aggregate& a = samples_[key];
      if (a.count++ == 0) {
        a.first = &s;
        for (std::size_t i = 0; i < s.pcs.size(); ++i) a.locations.push_back(location(s.pcs[i], i > 0));
      }
    }
  }

  void sample(const Aggregate& a) {
    Proto s;
    s.packed(1, a.locations);
    s.packed(2, {static_cast<std::uint64_t>(a.count), static_cast<std::uint64_t>(a.count * period())});
    for (const runtime::Label& l : a.first->labels.items()) {
      Proto label;
      label.uint(1, static_cast<std::uint64_t>(str(l.key)));
      label.uint(2, static_cast<std::uint64_t>(str(l.value)));
      s.message(3, label);
    }
    p_.message(2, s);
  }

  // location: a caller's frame holds a return address; pc-1 lies inside its call.
  std::uint64_t location(std::uintptr_t pc, bool is_return_address) {
    const std::uintptr_t addr = is_return_address ? pc - 1 : pc;
    auto [it, inserted] = location_ids_.try_emplace(addr, location_ids_.size() + 1);
    if (!inserted) return it->second;
    const Symbol sym = sym_.lookup(addr);
    Proto loc;
    loc.uint(1, it->second);
    const int mi = sym_.mapping_index(addr);
    if (mi >= 0) loc.uint(2, static_cast<std::uint64_t>(mi) + 1);
    loc.uint(3, addr);
    if (!sym.name.empty()) {
      Proto line;
      line.uint(1, function(sym.name));
      loc.message(4, line);
    }
    locations_.message(4, loc);
    return it->second;
  }

  std::uint64_t function(const std::string& name) {
    auto [it, inserted] = function_ids_.try_emplace(name, function_ids_.size() + 1);
    if (!inserted) return it->second;
    Proto f;
    f.uint(1, it->second);
    f.uint(2, static_cast<std::uint64_t>(str(name)));
    f.uint(3, static_cast<std::uint64_t>(str(name)));
    functions_.message(5, f);
    return it->second;
  }

  void mapping(std::size_t i) {
    const Mapping& m = sym_.mappings()[i];
    Proto p;
    p.uint(1, i + 1);
    p.uint(2, m.start);
    p.uint(3, m.limit);
    p.uint(4, m.offset);
    p.uint(5, static_cast<std::uint64_t>(str(m.file)));
    p.boolean(7, true);  // has_functions: pprof need not symbolize again
    p_.message(3, p);
  }

  const RawProfile& raw_;
  Symbolizer sym_;
  Proto p_, locations_, functions_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::int64_t> string_ids_;
  std::map<std::string, Aggregate> samples_;
  std::unordered_map<std::uintptr_t, std::uint64_t> location_ids_;
  std::unordered_map<std::string, std::uint64_t> function_ids_;
};

}  // namespace

std::string encode_profile(const RawProfile& p) { return Builder(p).build(); }

std::string gzip(std::string_view data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's (zlib.h).
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("httpkit: deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("httpkit: gzip failed");
  return out;
}

}  // namespace httpkit::pprof::detail
