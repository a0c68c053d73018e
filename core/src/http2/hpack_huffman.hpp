// Huffman decoding of HPACK string literals (RFC 7541 section 5.2 and Appendix B).
//
// The canonical code of Appendix B is data (hpack_huffman.cpp); a decoding machine
// built from it at compile time reads four bits per step, so decoding costs two table
// loads per input octet whatever the code lengths.
#pragma once

#include <cstddef>
#include <cstdint>

namespace httpkit::detail {

// huffman_decoded_max: the room huffman_decode wants for n Huffman-coded octets: the
// most they decode to (the shortest code of Appendix B is 5 bits), and one octet more
// that it may write past the decoded ones (it stores every step's symbol and then
// advances by 0 or 1, which saves a branch per nibble).
constexpr std::size_t huffman_decoded_max(std::size_t n) noexcept { return n * 8 / 5 + 1; }

// huffman_decode decodes the n octets at in into out, which has room for
// huffman_decoded_max(n) octets, and sets decoded to the count. It returns false, with
// out and decoded then meaningless, when section 5.2 makes the string a decoding
// error: the EOS symbol inside it, or padding that is longer than 7 bits or is not
// the most significant bits of EOS (all ones).
bool huffman_decode(const std::uint8_t* in, std::size_t n, char* out, std::size_t& decoded) noexcept;

}  // namespace httpkit::detail
