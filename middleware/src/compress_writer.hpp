// GzipWriter: the ResponseWriter of the compress middleware.
#pragma once

#include <zlib.h>

#include <memory>
#include <string>

#include "httpkit/middleware/compress.hpp"
#include "httpkit/response_controller.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit::middleware::detail {

// GzipWriter holds the first bytes until it can decide (see compress.hpp), then either
// streams them through a deflate stream in gzip framing or passes everything through.
class GzipWriter final : public ResponseWriter, public Flusher {
 public:
  // head: the request is HEAD; accepts: its Accept-Encoding allows gzip.
  GzipWriter(ResponseWriter& w, const CompressOptions& o, bool head, bool accepts) noexcept
      : w_(w), o_(o), head_(head), accepts_(accepts) {}
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  ~GzipWriter() override;

  Header& header() override { return w_.header(); }
  void write_header(int code) override;
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override;
  ResponseWriter* unwrap() override { return &w_; }
  std::error_code flush() override;

  // close ends the response: writes what is held, or the gzip trailer.
  void close();

 private:
  enum class Mode { undecided, plain, gzip };
  void decide(bool final);
  bool compressible() const;
  IoResult deflate_out(std::span<const std::byte> data, int flush_mode);
  void write_status();

  ResponseWriter& w_;
  const CompressOptions& o_;
  bool head_;
  bool accepts_;
  Mode mode_ = Mode::undecided;
  int code_ = 0;
  bool status_sent_ = false;
  std::string held_;
  std::unique_ptr<z_stream> z_;
  std::string out_;  // deflate output buffer, reused
};

}  // namespace httpkit::middleware::detail
