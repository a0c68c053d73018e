// compress: gzip responses (RFC 9110 section 8.4.1 Content-Encoding, 12.5.3
// Accept-Encoding, 12.5.5 Vary), streaming and flushable.
#include "httpkit/middleware/compress.hpp"

#include <charconv>
#include <stdexcept>

#include "compress_writer.hpp"
#include "httpkit/sniff.hpp"
#include "httpkit/status.hpp"

namespace httpkit::middleware {
namespace {

// kDeflateChunk: output produced per deflate() call before it is written on.
constexpr std::size_t kDeflateChunk = 16 << 10;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

// q_is_zero reads the parameters of one Accept-Encoding member: ";q=0", ";q=0.000".
bool q_is_zero(std::string_view params) {
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] | 0x20) != 'q' || p[1] != '=') continue;
    p.remove_prefix(2);
    return p.find_first_not_of("0.") == std::string_view::npos;
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) noexcept {
  bool star = false;
  bool gzip = false;
  bool gzip_refused = false;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    std::string_view member = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const std::size_t semi = member.find(';');
    const std::string_view coding = trim(member.substr(0, semi));
    const bool zero = semi != std::string_view::npos && q_is_zero(member.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      (zero ? gzip_refused : gzip) = true;
    } else if (coding == "*" && !zero) {
      star = true;
    }
  }
  return gzip || (star && !gzip_refused);
}

namespace detail {

GzipWriter::~GzipWriter() {
  if (z_) deflateEnd(z_.get());
}

void GzipWriter::write_status() {
  if (status_sent_) return;
  status_sent_ = true;
  w_.write_header(code_ == 0 ? kStatusOK : code_);
}

void GzipWriter::write_header(int code) {
  if ((code < 200 && code != kStatusSwitchingProtocols) || code_ != 0) {
    w_.write_header(code);  // informational, or superfluous: the server's rules apply
    return;
  }
  code_ = code;
  if (!compressible()) {
    mode_ = Mode::plain;
    write_status();
  }
}

// compressible: could this response be gzipped for some client? Then it varies by
// Accept-Encoding, whatever this client sent.
bool GzipWriter::compressible() const {
  const Header& h = w_.header();
  if (head_ || !body_allowed_for_status(code_ == 0 ? kStatusOK : code_) || h.has("Content-Encoding")) return false;
  const std::string_view type = h.get("Content-Type");
  for (const std::string& skip : o_.skip_types) {
    if (type.starts_with(skip)) return false;
  }
  return true;
}

IoResult GzipWriter::write(std::span<const std::byte> data) {
  if (code_ == 0) write_header(kStatusOK);
  switch (mode_) {
    case Mode::plain: return w_.write(data);
    case Mode::gzip: return deflate_out(data, Z_NO_FLUSH);
    case Mode::undecided: break;
  }
  held_.append(reinterpret_cast<const char*>(data.data()), data.size());
  if (held_.size() >= o_.min_size) decide(/*final=*/false);
  return {data.size(), {}};
}

// decide picks gzip or plain once the body is big enough, flushed, or complete. The
// Content-Type is sniffed from the plain bytes first: sniffing gzip would say so.
void GzipWriter::decide(bool final) {
  Header& h = w_.header();
  if (!h.has("Content-Type") && !held_.empty()) h.set("Content-Type", detect_content_type(held_));
  const bool may = compressible();
  if (may) h.add("Vary", "Accept-Encoding");
  if (may && accepts_ && !(final && held_.size() < o_.min_size)) {
    z_ = std::make_unique<z_stream>();
    // windowBits 15 + 16: gzip framing (RFC 1952); memLevel 8 is zlib's default.
    if (deflateInit2(z_.get(), o_.level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      z_.reset();
      throw std::runtime_error("httpkit: compress: deflateInit2 failed");
    }
    mode_ = Mode::gzip;
    h.set("Content-Encoding", "gzip");
    h.del("Content-Length");
    write_status();
    deflate_out(std::as_bytes(std::span(held_.data(), held_.size())), Z_NO_FLUSH);
  } else {
    mode_ = Mode::plain;
    write_status();
    if (!held_.empty()) w_.write(held_);
  }
  held_.clear();
}

IoResult GzipWriter::deflate_out(std::span<const std::byte> data, int flush_mode) {
  z_->next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(data.data()));
  z_->avail_in = static_cast<uInt>(data.size());
  out_.resize(kDeflateChunk);
  for (;;) {
    z_->next_out = reinterpret_cast<Bytef*>(out_.data());
    z_->avail_out = static_cast<uInt>(out_.size());
    const int rc = deflate(z_.get(), flush_mode);
    const std::size_t produced = out_.size() - z_->avail_out;
    if (produced > 0) {
      if (IoResult r = w_.write(std::string_view(out_.data(), produced)); r.err) return {0, r.err};
    }
    if (rc == Z_STREAM_END || (z_->avail_out != 0 && z_->avail_in == 0)) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return {0, std::make_error_code(std::errc::io_error)};
  }
  return {data.size(), {}};
}

std::error_code GzipWriter::flush() {
  if (code_ == 0) write_header(kStatusOK);
  if (mode_ == Mode::undecided) decide(/*final=*/false);  // a flush decides now, whatever the size
  if (mode_ == Mode::gzip) {
    if (IoResult r = deflate_out({}, Z_SYNC_FLUSH); r.err) return r.err;
  }
  return ResponseController(w_).flush();
}

void GzipWriter::close() {
  if (code_ == 0 && held_.empty()) return;  // nothing written: the server answers
  if (mode_ == Mode::undecided) decide(/*final=*/true);
  if (mode_ == Mode::gzip) deflate_out({}, Z_FINISH);
}

}  // namespace detail

Middleware compress(CompressOptions options) {
  auto o = std::make_shared<const CompressOptions>(std::move(options));
  return [o](Handler next) -> Handler {
    return [o, next = std::move(next)](ResponseWriter& w, Request& r) {
      detail::GzipWriter gw(w, *o, r.method() == "HEAD", accepts_gzip(r.header().get("Accept-Encoding")));
      next(gw, r);
      gw.close();
    };
  };
}

}  // namespace httpkit::middleware
