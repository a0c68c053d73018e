// detect_content_type: a port of Go's sniff.go (https://mimesniff.spec.whatwg.org/),
// with the same signature list in the same order.
#include "httpkit/sniff.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace httpkit {

namespace {

using Bytes = std::span<const unsigned char>;

constexpr std::string_view kHtml = "text/html; charset=utf-8";

bool is_ws(unsigned char b) noexcept { return b == '\t' || b == '\n' || b == '\x0c' || b == '\r' || b == ' '; }
bool is_tag_terminator(unsigned char b) noexcept { return b == ' ' || b == '>'; }

bool has_prefix(Bytes data, std::string_view sig) noexcept {
  return data.size() >= sig.size() && std::memcmp(data.data(), sig.data(), sig.size()) == 0;
}

// html_match: case-insensitive for letters, then a space or '>' (Go's htmlSig).
bool html_match(Bytes data, std::string_view sig) noexcept {
  if (data.size() < sig.size() + 1) return false;
  for (std::size_t i = 0; i < sig.size(); ++i) {
    auto b = static_cast<unsigned char>(sig[i]);
    unsigned char db = data[i];
    if (b >= 'A' && b <= 'Z') db &= 0xDF;
    if (b != db) return false;
  }
  return is_tag_terminator(data[sig.size()]);
}

bool masked_match(Bytes data, std::string_view mask, std::string_view pat) noexcept {
  if (data.size() < pat.size()) return false;
  for (std::size_t i = 0; i < pat.size(); ++i) {
    if ((data[i] & static_cast<unsigned char>(mask[i])) != static_cast<unsigned char>(pat[i])) return false;
  }
  return true;
}

// mp4_match is Go's mp4Sig: an ftyp box whose brands include "mp4".
bool mp4_match(Bytes data) noexcept {
  if (data.size() < 12) return false;
  std::uint32_t box = std::uint32_t{data[0]} << 24 | std::uint32_t{data[1]} << 16 | std::uint32_t{data[2]} << 8 | data[3];
  if (data.size() < box || box % 4 != 0) return false;
  if (std::memcmp(data.data() + 4, "ftyp", 4) != 0) return false;
  for (std::size_t st = 8; st < box; st += 4) {
    if (st == 12) continue;  // the minor version, not a brand
    if (std::memcmp(data.data() + st, "mp4", 3) == 0) return true;
  }
  return false;
}

bool text_match(Bytes data) noexcept {
  for (unsigned char b : data) {
    if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F)) return false;
  }
  return true;
}

using namespace std::string_view_literals;

constexpr std::array kHtmlSigs = {"<!DOCTYPE HTML"sv, "<HTML"sv, "<HEAD"sv, "<SCRIPT"sv, "<IFRAME"sv, "<H1"sv,
                                  "<DIV"sv,           "<FONT"sv, "<TABLE"sv, "<A"sv,      "<STYLE"sv,  "<TITLE"sv,
                                  "<B"sv,             "<BODY"sv, "<BR"sv,    "<P"sv,      "<!--"sv};

struct Masked {
  std::string_view mask, pat, type;
};
struct Exact {
  std::string_view sig, type;
};

// The signatures between the text-ish ones and mp4, in Go's order.
constexpr std::array kUnicodeSigs = {
    Masked{"\xFF\xFF\x00\x00"sv, "\xFE\xFF\x00\x00"sv, "text/plain; charset=utf-16be"},
    Masked{"\xFF\xFF\x00\x00"sv, "\xFF\xFE\x00\x00"sv, "text/plain; charset=utf-16le"},
    Masked{"\xFF\xFF\xFF\x00"sv, "\xEF\xBB\xBF\x00"sv, "text/plain; charset=utf-8"},
};
constexpr std::array kImageSigs = {
    Exact{"\x00\x00\x01\x00"sv, "image/x-icon"}, Exact{"\x00\x00\x02\x00"sv, "image/x-icon"},
    Exact{"BM"sv, "image/bmp"}, Exact{"GIF87a"sv, "image/gif"}, Exact{"GIF89a"sv, "image/gif"}};
constexpr Masked kWebp{"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF"sv, "RIFF\x00\x00\x00\x00WEBPVP"sv,
                       "image/webp"};
constexpr std::array kImageSigs2 = {Exact{"\x89PNG\x0D\x0A\x1A\x0A"sv, "image/png"}, Exact{"\xFF\xD8\xFF"sv, "image/jpeg"}};
constexpr std::array kAudioVideoSigs = {
    Masked{"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"sv, "FORM\x00\x00\x00\x00\x41IFF"sv, "audio/aiff"},
    Masked{"\xFF\xFF\xFF"sv, "ID3"sv, "audio/mpeg"},
    Masked{"\xFF\xFF\xFF\xFF\xFF"sv, "OggS\x00"sv, "application/ogg"},
    Masked{"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"sv, "MThd\x00\x00\x00\x06"sv, "audio/midi"},
    Masked{"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"sv, "RIFF\x00\x00\x00\x00\x41VI "sv, "video/avi"},
    Masked{"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"sv, "RIFF\x00\x00\x00\x00WAVE"sv, "audio/wave"},
};
// After mp4: webm, the embedded-OpenType check, fonts, archives and wasm.
constexpr std::array kFontArchiveSigs = {
    Exact{"\x00\x01\x00\x00"sv, "font/ttf"}, Exact{"OTTO"sv, "font/otf"}, Exact{"ttcf"sv, "font/collection"},
    Exact{"wOFF"sv, "font/woff"}, Exact{"wOF2"sv, "font/woff2"}, Exact{"\x1F\x8B\x08"sv, "application/x-gzip"},
    Exact{"PK\x03\x04"sv, "application/zip"}, Exact{"Rar!\x1A\x07\x00"sv, "application/x-rar-compressed"},
    Exact{"Rar!\x1A\x07\x01\x00"sv, "application/x-rar-compressed"}, Exact{"\x00\x61\x73\x6D"sv, "application/wasm"}};

// kEotOffset: an EOT font has the magic "LP" at byte 34 (Go's maskedSig with 34 zero bytes).
constexpr std::size_t kEotOffset = 34;

std::string_view match_markup(Bytes data, Bytes trimmed) noexcept {
  for (std::string_view sig : kHtmlSigs) {
    if (html_match(trimmed, sig)) return kHtml;
  }
  if (masked_match(trimmed, "\xFF\xFF\xFF\xFF\xFF"sv, "<?xml"sv)) return "text/xml; charset=utf-8";
  if (has_prefix(data, "%PDF-")) return "application/pdf";
  if (has_prefix(data, "%!PS-Adobe-")) return "application/postscript";
  return {};
}

std::string_view match_binary(Bytes data) noexcept {
  for (const Masked& m : kUnicodeSigs) if (masked_match(data, m.mask, m.pat)) return m.type;
  for (const Exact& e : kImageSigs) if (has_prefix(data, e.sig)) return e.type;
  if (masked_match(data, kWebp.mask, kWebp.pat)) return kWebp.type;
  for (const Exact& e : kImageSigs2) if (has_prefix(data, e.sig)) return e.type;
  for (const Masked& m : kAudioVideoSigs) if (masked_match(data, m.mask, m.pat)) return m.type;
  if (mp4_match(data)) return "video/mp4";
  if (has_prefix(data, "\x1A\x45\xDF\xA3"sv)) return "video/webm";
  if (data.size() >= kEotOffset + 2 && data[kEotOffset] == 'L' && data[kEotOffset + 1] == 'P') {
    return "application/vnd.ms-fontobject";
  }
  for (const Exact& e : kFontArchiveSigs) if (has_prefix(data, e.sig)) return e.type;
  return {};
}

}  // namespace

std::string_view detect_content_type(std::span<const std::byte> raw) noexcept {
  Bytes data(reinterpret_cast<const unsigned char*>(raw.data()), raw.size() < kSniffLen ? raw.size() : kSniffLen);
  std::size_t first_non_ws = 0;
  while (first_non_ws < data.size() && is_ws(data[first_non_ws])) ++first_non_ws;
  Bytes trimmed = data.subspan(first_non_ws);
  if (auto t = match_markup(data, trimmed); !t.empty()) return t;
  if (auto t = match_binary(data); !t.empty()) return t;
  if (text_match(trimmed)) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace httpkit
