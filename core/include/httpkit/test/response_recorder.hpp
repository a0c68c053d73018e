// ResponseRecorder: a ResponseWriter that records what a handler did (Go's httptest).
#pragma once

#include <string>

#include "httpkit/header.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit::test {

// ResponseRecorder records the status, the header as committed, the body and the
// trailers, applying the same rules as the server: write() commits 200 and sniffs the
// Content-Type from the first bytes; a second write_header is ignored. header() keeps
// the handler's live map; result_header() is the snapshot taken at commit.
class ResponseRecorder final : public ResponseWriter, public Flusher {
 public:
  Header& header() override { return header_; }
  void write_header(int status) override;
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> data) override;
  std::error_code flush() override;

  int code() const noexcept { return code_; }
  const std::string& body() const noexcept { return body_; }
  bool flushed() const noexcept { return flushed_; }
  bool wrote_header() const noexcept { return wrote_header_; }
  // result_header is the header as it was when the response was committed.
  const Header& result_header() const noexcept { return snapshot_; }
  // trailers gathers declared Trailer keys and "Trailer:"-prefixed keys set by the handler.
  Header trailers() const;

 private:
  Header header_;
  Header snapshot_;
  std::string body_;
  int code_ = 200;
  bool wrote_header_ = false;
  bool flushed_ = false;
};

}  // namespace httpkit::test
