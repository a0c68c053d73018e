// The CPU profiler's internals: raw samples, symbols, and the profile.proto encoder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpkit/context.hpp"
#include "httpkit/error.hpp"
#include "httpkit/runtime.hpp"

namespace httpkit::pprof::detail {

// kMaxFrames bounds a captured stack (Go's maxCPUProfStack is 64).
inline constexpr int kMaxFrames = 64;

// RawSample is one SIGPROF tick: the interrupted PC, then return addresses found by
// walking frame pointers within the running stack's bounds, and the fiber's labels.
struct RawSample {
  std::vector<std::uintptr_t> pcs;  // leaf first
  runtime::Labels labels;
};

struct RawProfile {
  std::vector<RawSample> samples;
  std::int64_t start_unix_nanos = 0;
  Duration duration{};
  int hz = 0;
  std::uint64_t lost = 0;  // ticks that found the buffer full
};

// collect_cpu samples the process for d at hz (see pprof::profile_cpu).
Result<RawProfile> collect_cpu(Duration d, int hz);

// Symbol is what a PC resolves to.
struct Symbol {
  std::string name;      // demangled, or "" when unknown
  std::string file;      // the ELF object (executable or shared library)
};

// Mapping is one executable mapping of /proc/self/maps.
struct Mapping {
  std::uintptr_t start = 0, limit = 0, offset = 0;
  std::string file;
};

// Symbolizer reads the symbol tables (.symtab, else .dynsym) of the objects mapped
// into this process, once per profile, off the hot path.
class Symbolizer {
 public:
  Symbolizer();
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;
  // lookup returns the function containing pc, or a Symbol with an empty name.
  Symbol lookup(std::uintptr_t pc) const;
  const std::vector<Mapping>& mappings() const noexcept { return mappings_; }
  // mapping_index returns the index of the mapping holding pc, or -1.
  int mapping_index(std::uintptr_t pc) const noexcept;

  struct Object;  // one ELF file's functions (elf_symbols.cpp)

 private:
  std::vector<Mapping> mappings_;
  std::vector<Object*> objects_;  // parallel to mappings_ (shared between a file's maps)
  std::vector<std::unique_ptr<Object>> owned_;
};

// encode_profile writes profile.proto (github.com/google/pprof/proto/profile.proto)
// with sample types samples/count and cpu/nanoseconds, like Go's CPU profiles.
std::string encode_profile(const RawProfile& p);

// gzip compresses with zlib's gzip wrapper (RFC 1952).
std::string gzip(std::string_view data);

}  // namespace httpkit::pprof::detail
