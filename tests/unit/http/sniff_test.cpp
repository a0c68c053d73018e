// detect_content_type: Go 1.23's sniff_test.go table plus the signatures it skips.
#include <catch2/catch.hpp>

#include <string>

#include "httpkit/sniff.hpp"

namespace {
struct SniffCase {
  std::string_view desc;
  std::string_view data;
  std::string_view content_type;
};
const SniffCase kGoCases[] = {
    {"Empty", std::string_view("", 0), "text/plain; charset=utf-8"},
    {"Binary", std::string_view("\001\002\003", 3), "application/octet-stream"},
    {"HTML document #1", std::string_view("<HtMl><bOdY>blah blah blah</body></html>", 40), "text/html; charset=utf-8"},
    {"HTML document #2", std::string_view("<HTML></HTML>", 13), "text/html; charset=utf-8"},
    {"HTML document #3 (leading whitespace)", std::string_view("   <!DOCTYPE HTML>...", 21), "text/html; charset=utf-8"},
    {"HTML document #4 (leading CRLF)", std::string_view("\015\012<html>...", 11), "text/html; charset=utf-8"},
    {"Plain text", std::string_view("This is not HTML. It has \342\230\203 though.", 36), "text/plain; charset=utf-8"},
    {"XML", std::string_view("\012<\?xml!", 7), "text/xml; charset=utf-8"},
    {"Windows icon", std::string_view("\000\000\001\000", 4), "image/x-icon"},
    {"Windows cursor", std::string_view("\000\000\002\000", 4), "image/x-icon"},
    {"BMP image", std::string_view("BM...", 5), "image/bmp"},
    {"GIF 87a", std::string_view("GIF87a", 6), "image/gif"},
    {"GIF 89a", std::string_view("GIF89a...", 9), "image/gif"},
    {"WEBP image", std::string_view("RIFF\000\000\000\000WEBPVP", 14), "image/webp"},
    {"PNG image", std::string_view("\211PNG\015\012\032\012", 8), "image/png"},
    {"JPEG image", std::string_view("\377\330\377", 3), "image/jpeg"},
    {"MIDI audio", std::string_view("MThd\000\000\000\006\000\001", 10), "audio/midi"},
    {"MP3 audio/MPEG audio", std::string_view("ID3\003\000\000\000\000\017", 9), "audio/mpeg"},
    {"WAV audio #1", std::string_view("RIFFb\270\000\000WAVEfmt \022\000\000\000\006", 21), "audio/wave"},
    {"WAV audio #2", std::string_view("RIFF,\000\000\000WAVEfmt \022\000\000\000\006", 21), "audio/wave"},
    {"AIFF audio #1", std::string_view("FORM\000\000\000\000AIFFCOMM\000\000\000\022\000\001\000\000WU\000\020@\015\3634", 32), "audio/aiff"},
    {"OGG audio", std::string_view("OggS\000\002\000\000\000\000\000\000\000\000~F\000\000\000\000\000\000\037\366\264\374\001\036\001vor", 32), "application/ogg"},
    {"Must not match OGG", std::string_view("owow\000", 5), "application/octet-stream"},
    {"Must not match OGG", std::string_view("oooS\000", 5), "application/octet-stream"},
    {"Must not match OGG", std::string_view("oggS\000", 5), "application/octet-stream"},
    {"MP4 video", std::string_view("\000\000\000\030ftypmp42\000\000\000\000mp42isom<\006t\277mdat", 32), "video/mp4"},
    {"AVI video #1", std::string_view("RIFF,O\012\000AVI LIST\303\200", 18), "video/avi"},
    {"AVI video #2", std::string_view("RIFF,\012\000\000AVI LIST\303\200", 18), "video/avi"},
    {"TTF sample  I", std::string_view("\000\001\000\000\000\027\001\000\000\004\001`O", 13), "font/ttf"},
    {"TTF sample II", std::string_view("\000\001\000\000\000\016\000\200\000\003\000`F", 13), "font/ttf"},
    {"OTTO sample  I", std::string_view("OTTO\000\016\000\200\000\003\000`BASE", 16), "font/otf"},
    {"woff sample  I", std::string_view("wOFF\000\001\000\000\000\0000T\000\015\000\000", 16), "font/woff"},
    {"woff2 sample", std::string_view("wOF2\000\001\000\000\000", 9), "font/woff2"},
    {"wasm sample", std::string_view("\000asm\001\000", 6), "application/wasm"},
    {"RAR v1.5-v4.0", std::string_view("Rar!\032\007\000", 7), "application/x-rar-compressed"},
    {"RAR v5+", std::string_view("Rar!\032\007\001\000", 8), "application/x-rar-compressed"},
    {"Incorrect RAR v1.5-v4.0", std::string_view("Rar \032\007\000", 7), "application/octet-stream"},
    {"Incorrect RAR v5+", std::string_view("Rar \032\007\001\000", 8), "application/octet-stream"},
    // Not in Go's table, but in its signature list:
    {"PDF", "%PDF-1.7", "application/pdf"},
    {"PostScript", "%!PS-Adobe-3.0", "application/postscript"},
    {"UTF-16BE BOM", std::string_view("\376\377\000\101", 4), "text/plain; charset=utf-16be"},
    {"UTF-16LE BOM", std::string_view("\377\376\101\000", 4), "text/plain; charset=utf-16le"},
    {"UTF-8 BOM", "\357\273\277hello", "text/plain; charset=utf-8"},
    {"WebM", "\032\105\337\243rest", "video/webm"},
    {"gzip", "\037\213\010\000", "application/x-gzip"},
    {"zip", "PK\003\004rest", "application/zip"},
    {"font collection", "ttcf", "font/collection"},
    {"HTML comment", "  <!-- x -->", "text/html; charset=utf-8"},
    {"HTML tag needs a terminator", "<htmlx>", "text/plain; charset=utf-8"},
    {"HTML tag at end of data", "<html", "text/plain; charset=utf-8"},
    {"<BR> is HTML", "<br>", "text/html; charset=utf-8"},
    {"XML needs no terminator", "<?xml", "text/xml; charset=utf-8"},
    {"leading whitespace does not hide binary", std::string_view("  \001", 3), "application/octet-stream"},
    {"ESC (0x1b) is text", "\033[1m", "text/plain; charset=utf-8"},
    {"MP4 box size beyond data", std::string_view("\000\000\003\000ftypmp42\000\000\000\000", 16), "application/octet-stream"},
};
}  // namespace

TEST_CASE("detect_content_type matches Go's DetectContentType", "[sniff]") {
  for (const SniffCase& c : kGoCases) {
    INFO(c.desc);
    CHECK(httpkit::detect_content_type(c.data) == c.content_type);
  }
}

TEST_CASE("detect_content_type looks at 512 bytes only", "[sniff]") {
  std::string data(512, 'a');
  data += '\001';  // binary past the window: ignored
  CHECK(httpkit::detect_content_type(data) == "text/plain; charset=utf-8");
  data[511] = '\001';
  CHECK(httpkit::detect_content_type(data) == "application/octet-stream");
  // An EOT font has "LP" at offset 34.
  std::string eot(36, '\0');
  eot[34] = 'L';
  eot[35] = 'P';
  CHECK(httpkit::detect_content_type(eot) == "application/vnd.ms-fontobject");
}
