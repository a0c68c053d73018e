// ResponseRecorder: Go's httptest.ResponseRecorder.
#include "httpkit/test/response_recorder.hpp"

#include <stdexcept>
#include <string>

#include "httpkit/sniff.hpp"

namespace httpkit::test {

namespace {
constexpr std::string_view kTrailerPrefix = "Trailer:";  // Go's http.TrailerPrefix
}

// write_header commits the status and snapshots the header, as Go's WriteHeader. Go
// panics on codes outside 100..999; a recorder used in a test throws instead.
void ResponseRecorder::write_header(int status) {
  if (status < 100 || status > 999) throw std::invalid_argument("invalid WriteHeader code " + std::to_string(status));
  if (wrote_header_) return;
  code_ = status;
  wrote_header_ = true;
  snapshot_ = header_;
}

IoResult ResponseRecorder::write(std::span<const std::byte> data) {
  if (!wrote_header_) {
    // Go's writeHeader(b, str): sniff the first bytes when no Content-Type was set and
    // the response has no Transfer-Encoding.
    if (!header_.has("Content-Type") && !header_.has("Transfer-Encoding")) {
      header_.set("Content-Type", detect_content_type(data));
    }
    write_header(200);
  }
  body_.append(reinterpret_cast<const char*>(data.data()), data.size());
  return {data.size(), {}};
}

std::error_code ResponseRecorder::flush() {
  if (!wrote_header_) write_header(200);
  flushed_ = true;
  return {};
}

// trailers is Go's Result().Trailer: keys declared in the committed Trailer header,
// taken from the live header, plus any "Trailer:"-prefixed key with the prefix cut.
Header ResponseRecorder::trailers() const {
  Header out;
  for (std::string_view declared : snapshot_.values("Trailer")) {
    while (!declared.empty()) {
      std::size_t comma = declared.find(',');
      std::string_view key = declared.substr(0, comma);
      while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
      while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
      for (std::string_view v : header_.values(key)) out.add(key, v);
      declared = comma == std::string_view::npos ? std::string_view{} : declared.substr(comma + 1);
    }
  }
  for (const auto& f : header_) {
    if (f.name.size() > kTrailerPrefix.size() && equal_fold(f.name.substr(0, kTrailerPrefix.size()), kTrailerPrefix)) {
      out.add(f.name.substr(kTrailerPrefix.size()), f.value);
    }
  }
  return out;
}

}  // namespace httpkit::test
