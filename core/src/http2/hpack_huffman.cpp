// The Huffman code of RFC 7541 Appendix B, and the machine that decodes it four bits
// at a time.
//
// The code is a binary tree with the 257 symbols (256 octets and EOS) as leaves and 256
// inner nodes. The machine's states are the inner nodes: where in the tree the bits
// read so far, after the last whole symbol, have led. For each state and each of the
// 16 nibbles, kMachine says the state after those four bits, the symbol completed on
// the way if any (at most one: no code is shorter than 5 bits), whether EOS was met,
// and whether the string may end there (section 5.2: the bits left after the last
// symbol are at most 7 ones, a prefix of EOS).
#include "http2/hpack_huffman.hpp"

#include <array>

namespace httpkit::detail {

namespace {

struct Code {
  std::uint32_t bits;  // the code, in the low `length` bits
  std::uint8_t length;
};

// kCodes[sym]: the code of octet sym (RFC 7541 Appendix B), then EOS as symbol 256.
constexpr std::array<Code, 257> kCodes = {{
    {0x1ff8, 13}, {0x7fffd8, 23}, {0xfffffe2, 28}, {0xfffffe3, 28}, {0xfffffe4, 28}, {0xfffffe5, 28},
    {0xfffffe6, 28}, {0xfffffe7, 28}, {0xfffffe8, 28}, {0xffffea, 24}, {0x3ffffffc, 30}, {0xfffffe9, 28},
    {0xfffffea, 28}, {0x3ffffffd, 30}, {0xfffffeb, 28}, {0xfffffec, 28}, {0xfffffed, 28}, {0xfffffee, 28},
    {0xfffffef, 28}, {0xffffff0, 28}, {0xffffff1, 28}, {0xffffff2, 28}, {0x3ffffffe, 30}, {0xffffff3, 28},
    {0xffffff4, 28}, {0xffffff5, 28}, {0xffffff6, 28}, {0xffffff7, 28}, {0xffffff8, 28}, {0xffffff9, 28},
    {0xffffffa, 28}, {0xffffffb, 28}, {0x14, 6}, {0x3f8, 10}, {0x3f9, 10}, {0xffa, 12},
    {0x1ff9, 13}, {0x15, 6}, {0xf8, 8}, {0x7fa, 11}, {0x3fa, 10}, {0x3fb, 10},
    {0xf9, 8}, {0x7fb, 11}, {0xfa, 8}, {0x16, 6}, {0x17, 6}, {0x18, 6},
    {0x0, 5}, {0x1, 5}, {0x2, 5}, {0x19, 6}, {0x1a, 6}, {0x1b, 6},
    {0x1c, 6}, {0x1d, 6}, {0x1e, 6}, {0x1f, 6}, {0x5c, 7}, {0xfb, 8},
    {0x7ffc, 15}, {0x20, 6}, {0xffb, 12}, {0x3fc, 10}, {0x1ffa, 13}, {0x21, 6},
    {0x5d, 7}, {0x5e, 7}, {0x5f, 7}, {0x60, 7}, {0x61, 7}, {0x62, 7},
    {0x63, 7}, {0x64, 7}, {0x65, 7}, {0x66, 7}, {0x67, 7}, {0x68, 7},
    {0x69, 7}, {0x6a, 7}, {0x6b, 7}, {0x6c, 7}, {0x6d, 7}, {0x6e, 7},
    {0x6f, 7}, {0x70, 7}, {0x71, 7}, {0x72, 7}, {0xfc, 8}, {0x73, 7},
    {0xfd, 8}, {0x1ffb, 13}, {0x7fff0, 19}, {0x1ffc, 13}, {0x3ffc, 14}, {0x22, 6},
    {0x7ffd, 15}, {0x3, 5}, {0x23, 6}, {0x4, 5}, {0x24, 6}, {0x5, 5},
    {0x25, 6}, {0x26, 6}, {0x27, 6}, {0x6, 5}, {0x74, 7}, {0x75, 7},
    {0x28, 6}, {0x29, 6}, {0x2a, 6}, {0x7, 5}, {0x2b, 6}, {0x76, 7},
    {0x2c, 6}, {0x8, 5}, {0x9, 5}, {0x2d, 6}, {0x77, 7}, {0x78, 7},
    {0x79, 7}, {0x7a, 7}, {0x7b, 7}, {0x7ffe, 15}, {0x7fc, 11}, {0x3ffd, 14},
    {0x1ffd, 13}, {0xffffffc, 28}, {0xfffe6, 20}, {0x3fffd2, 22}, {0xfffe7, 20}, {0xfffe8, 20},
    {0x3fffd3, 22}, {0x3fffd4, 22}, {0x3fffd5, 22}, {0x7fffd9, 23}, {0x3fffd6, 22}, {0x7fffda, 23},
    {0x7fffdb, 23}, {0x7fffdc, 23}, {0x7fffdd, 23}, {0x7fffde, 23}, {0xffffeb, 24}, {0x7fffdf, 23},
    {0xffffec, 24}, {0xffffed, 24}, {0x3fffd7, 22}, {0x7fffe0, 23}, {0xffffee, 24}, {0x7fffe1, 23},
    {0x7fffe2, 23}, {0x7fffe3, 23}, {0x7fffe4, 23}, {0x1fffdc, 21}, {0x3fffd8, 22}, {0x7fffe5, 23},
    {0x3fffd9, 22}, {0x7fffe6, 23}, {0x7fffe7, 23}, {0xffffef, 24}, {0x3fffda, 22}, {0x1fffdd, 21},
    {0xfffe9, 20}, {0x3fffdb, 22}, {0x3fffdc, 22}, {0x7fffe8, 23}, {0x7fffe9, 23}, {0x1fffde, 21},
    {0x7fffea, 23}, {0x3fffdd, 22}, {0x3fffde, 22}, {0xfffff0, 24}, {0x1fffdf, 21}, {0x3fffdf, 22},
    {0x7fffeb, 23}, {0x7fffec, 23}, {0x1fffe0, 21}, {0x1fffe1, 21}, {0x3fffe0, 22}, {0x1fffe2, 21},
    {0x7fffed, 23}, {0x3fffe1, 22}, {0x7fffee, 23}, {0x7fffef, 23}, {0xfffea, 20}, {0x3fffe2, 22},
    {0x3fffe3, 22}, {0x3fffe4, 22}, {0x7ffff0, 23}, {0x3fffe5, 22}, {0x3fffe6, 22}, {0x7ffff1, 23},
    {0x3ffffe0, 26}, {0x3ffffe1, 26}, {0xfffeb, 20}, {0x7fff1, 19}, {0x3fffe7, 22}, {0x7ffff2, 23},
    {0x3fffe8, 22}, {0x1ffffec, 25}, {0x3ffffe2, 26}, {0x3ffffe3, 26}, {0x3ffffe4, 26}, {0x7ffffde, 27},
    {0x7ffffdf, 27}, {0x3ffffe5, 26}, {0xfffff1, 24}, {0x1ffffed, 25}, {0x7fff2, 19}, {0x1fffe3, 21},
    {0x3ffffe6, 26}, {0x7ffffe0, 27}, {0x7ffffe1, 27}, {0x3ffffe7, 26}, {0x7ffffe2, 27}, {0xfffff2, 24},
    {0x1fffe4, 21}, {0x1fffe5, 21}, {0x3ffffe8, 26}, {0x3ffffe9, 26}, {0xffffffd, 28}, {0x7ffffe3, 27},
    {0x7ffffe4, 27}, {0x7ffffe5, 27}, {0xfffec, 20}, {0xfffff3, 24}, {0xfffed, 20}, {0x1fffe6, 21},
    {0x3fffe9, 22}, {0x1fffe7, 21}, {0x1fffe8, 21}, {0x7ffff3, 23}, {0x3fffea, 22}, {0x3fffeb, 22},
    {0x1ffffee, 25}, {0x1ffffef, 25}, {0xfffff4, 24}, {0xfffff5, 24}, {0x3ffffea, 26}, {0x7ffff4, 23},
    {0x3ffffeb, 26}, {0x7ffffe6, 27}, {0x3ffffec, 26}, {0x3ffffed, 26}, {0x7ffffe7, 27}, {0x7ffffe8, 27},
    {0x7ffffe9, 27}, {0x7ffffea, 27}, {0x7ffffeb, 27}, {0xffffffe, 28}, {0x7ffffec, 27}, {0x7ffffed, 27},
    {0x7ffffee, 27}, {0x7ffffef, 27}, {0x7fffff0, 27}, {0x3ffffee, 26},
    {0x3fffffff, 30},  // EOS
}};

constexpr int kEos = 256;
constexpr int kInnerNodes = 256;  // a full binary tree with 257 leaves

// Tree: child[bit] of each inner node, an inner node's id (>= 0) or ~symbol for a leaf.
struct Tree {
  std::array<std::array<int, 2>, kInnerNodes> child{};
  int nodes = 1;  // node 0 is the root
};

constexpr Tree build_tree() {
  Tree t;
  for (auto& c : t.child) c = {kInnerNodes, kInnerNodes};  // kInnerNodes: no child yet
  for (int sym = 0; sym <= kEos; ++sym) {
    const Code code = kCodes[static_cast<std::size_t>(sym)];
    int node = 0;
    for (int i = code.length - 1; i > 0; --i) {
      int& next = t.child[static_cast<std::size_t>(node)][(code.bits >> i) & 1];
      if (next == kInnerNodes) next = t.nodes++;
      node = next;
    }
    t.child[static_cast<std::size_t>(node)][code.bits & 1] = ~sym;
  }
  return t;
}

// A step of the machine, packed in 32 bits so that a step is one load and the next
// one's address one addition: the octet completed (bits 0-7), the flags, and the next
// state's row in kMachine (the state times 16, bits 16-27).
enum : std::uint32_t { kEmit = 1u << 8, kAccept = 1u << 9, kFail = 1u << 10 };
constexpr int kEmitShift = 8;
constexpr int kRowShift = 16;

// Machine: the step for state s and nibble x at [s * 16 + x].
using Machine = std::array<std::uint32_t, kInnerNodes * 16>;

constexpr Machine build_machine() {
  const Tree tree = build_tree();
  // accepting[node]: the string may end in this state, which all-ones paths of at most
  // 7 bits from the root reach (the root itself: no padding).
  std::array<bool, kInnerNodes> accepting{};
  for (int depth = 0, node = 0; depth <= 7; ++depth) {
    accepting[static_cast<std::size_t>(node)] = true;
    node = tree.child[static_cast<std::size_t>(node)][1];
  }
  Machine m{};
  for (int state = 0; state < kInnerNodes; ++state) {
    for (int nibble = 0; nibble < 16; ++nibble) {
      std::uint32_t step = 0;
      int node = state;
      for (int i = 3; i >= 0; --i) {
        const int next = tree.child[static_cast<std::size_t>(node)][(nibble >> i) & 1];
        if (next >= 0) {
          node = next;
          continue;
        }
        if (~next == kEos) step |= kFail;
        step |= kEmit | static_cast<std::uint32_t>(~next & 0xff);
        node = 0;
      }
      if (accepting[static_cast<std::size_t>(node)]) step |= kAccept;
      step |= static_cast<std::uint32_t>(node * 16) << kRowShift;
      m[static_cast<std::size_t>(state * 16 + nibble)] = step;
    }
  }
  return m;
}

static_assert(build_tree().nodes == kInnerNodes, "Appendix B is a complete prefix code over 257 symbols");

constexpr Machine kMachine = build_machine();

}  // namespace

bool huffman_decode(const std::uint8_t* in, std::size_t n, char* out, std::size_t& decoded) noexcept {
  char* const start = out;
  std::uint32_t row = 0;        // the root's
  std::uint32_t last = kAccept;  // an empty string is a valid one
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t high = kMachine[row + (in[i] >> 4)];
    *out = static_cast<char>(high & 0xff);
    out += (high & kEmit) >> kEmitShift;
    const std::uint32_t low = kMachine[(high >> kRowShift) + (in[i] & 0xfu)];
    *out = static_cast<char>(low & 0xff);
    out += (low & kEmit) >> kEmitShift;
    if (((high | low) & kFail) != 0) return false;
    row = low >> kRowShift;
    last = low;
  }
  decoded = static_cast<std::size_t>(out - start);
  return (last & kAccept) != 0;
}

}  // namespace httpkit::detail
