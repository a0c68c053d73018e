// Conn: frames out and events in for one conformance case (RFC 9113 section 4.1 layout).
#include <nghttp2/nghttp2.h>

#include <cstdio>
#include <stdexcept>

#include "conformance/h2conform.hpp"

namespace h2conform {
namespace {

constexpr std::uint32_t kDefaultWindow = 65535;  // RFC 9113 section 6.9.2
constexpr std::uint32_t kDefaultFrameSize = 16384;

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

std::string frame_bytes(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string_view payload) {
  std::string f;
  const auto len = static_cast<std::uint32_t>(payload.size());
  f.push_back(static_cast<char>((len >> 16) & 0xff));
  f.push_back(static_cast<char>((len >> 8) & 0xff));
  f.push_back(static_cast<char>(len & 0xff));
  f.push_back(static_cast<char>(type));
  f.push_back(static_cast<char>(flags));
  put_u32(f, stream);  // the reserved bit goes out as the caller set it
  f.append(payload);
  return f;
}

}  // namespace

Conn::Conn(const Config& config) : config_(config) {
  std::optional<httpkit::testing::TlsClientOptions> tls;
  if (config.tls) tls = httpkit::testing::TlsClientOptions{};  // ALPN h2, SNI localhost, no verification
  sock_ = std::make_unique<httpkit::testing::Socket>(config.port, tls, config.timeout);
  if (config.tls) {
    if (!sock_->handshake_error().empty()) throw std::runtime_error("TLS handshake: " + sock_->handshake_error());
    if (sock_->alpn() != "h2") throw std::runtime_error("ALPN did not choose h2");
  }
  window_[0] = kDefaultWindow;
  if (nghttp2_hd_deflate_new(&deflater_, 4096) != 0) throw std::runtime_error("nghttp2_hd_deflate_new");
}

Conn::~Conn() { nghttp2_hd_deflate_del(deflater_); }

void Conn::send(std::string_view raw) {
  try {
    sock_->send(raw);
  } catch (const std::exception&) {
    // The server closed; the verify_* call that follows reports it.
  }
}

void Conn::write_raw_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream, std::string_view payload) {
  send(frame_bytes(type, flags, stream, payload));
}

void Conn::write_data(std::uint32_t stream, bool end_stream, std::string_view data) {
  write_raw_frame(kData, end_stream ? kEndStream : 0, stream, data);
}

void Conn::write_data_padded(std::uint32_t stream, bool end_stream, std::string_view data, std::string_view pad) {
  std::string payload(1, static_cast<char>(pad.size()));
  payload.append(data).append(pad);
  write_raw_frame(kData, static_cast<std::uint8_t>((end_stream ? kEndStream : 0) | kPadded), stream, payload);
}

void Conn::write_headers(const HeadersParam& p) {
  std::uint8_t flags = 0;
  std::string payload;
  if (p.end_stream) flags |= kEndStream;
  if (p.end_headers) flags |= kEndHeaders;
  if (p.padding) {
    flags |= kPadded;
    payload.push_back(static_cast<char>(p.padding->size()));
  }
  if (p.priority) {
    flags |= kPriorityFlag;
    put_u32(payload, p.priority->dependency | (p.priority->exclusive ? 0x80000000u : 0));
    payload.push_back(static_cast<char>(p.priority->weight));
  }
  payload.append(p.block);
  if (p.padding) payload.append(*p.padding);
  write_raw_frame(kHeaders, flags, p.stream, payload);
}

void Conn::write_priority(std::uint32_t stream, PriorityParam p) {
  std::string payload;
  put_u32(payload, p.dependency | (p.exclusive ? 0x80000000u : 0));
  payload.push_back(static_cast<char>(p.weight));
  write_raw_frame(kPriority, 0, stream, payload);
}

void Conn::write_rst_stream(std::uint32_t stream, std::uint32_t code) {
  std::string payload;
  put_u32(payload, code);
  write_raw_frame(kRstStream, 0, stream, payload);
}

void Conn::write_settings(std::initializer_list<Setting> settings) {
  std::string payload;
  for (const Setting& s : settings) {
    put_u16(payload, s.id);
    put_u32(payload, s.value);
  }
  write_raw_frame(kSettings, 0, 0, payload);
}

void Conn::write_settings_ack() { write_raw_frame(kSettings, kAck, 0, ""); }

void Conn::write_push_promise(std::uint32_t stream, std::uint32_t promised, std::string_view block, bool end_headers) {
  std::string payload;
  put_u32(payload, promised);
  payload.append(block);
  write_raw_frame(kPushPromise, end_headers ? kEndHeaders : 0, stream, payload);
}

void Conn::write_ping(bool ack, std::string_view data8) { write_raw_frame(kPing, ack ? kAck : 0, 0, data8); }

void Conn::write_goaway(std::uint32_t last_stream, std::uint32_t code, std::string_view debug) {
  std::string payload;
  put_u32(payload, last_stream);
  put_u32(payload, code);
  payload.append(debug);
  write_raw_frame(kGoaway, 0, 0, payload);
}

void Conn::write_window_update(std::uint32_t stream, std::uint32_t increment) {
  std::string payload;
  put_u32(payload, increment);
  write_raw_frame(kWindowUpdate, 0, stream, payload);
}

void Conn::write_continuation(std::uint32_t stream, bool end_headers, std::string_view block) {
  write_raw_frame(kContinuation, end_headers ? kEndHeaders : 0, stream, block);
}

std::string Conn::encode_headers(const Fields& fields) {
  std::vector<nghttp2_nv> nva;
  nva.reserve(fields.size());
  for (const auto& [name, value] : fields) {
    // The casts only meet nghttp2's C signature; the deflater reads the bytes.
    nva.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                   reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                   NGHTTP2_NV_FLAG_NONE});
  }
  std::string out(nghttp2_hd_deflate_bound(deflater_, nva.data(), nva.size()), '\0');
  const auto n = nghttp2_hd_deflate_hd(deflater_, reinterpret_cast<std::uint8_t*>(out.data()), out.size(), nva.data(),
                                       nva.size());
  if (n < 0) throw std::runtime_error("nghttp2_hd_deflate_hd failed");
  out.resize(static_cast<std::size_t>(n));
  return out;
}

void Conn::set_max_dynamic_table_size(std::uint32_t size) { nghttp2_hd_deflate_change_table_size(deflater_, size); }

void Conn::handshake() {
  send(httpkit::testing::kPreface);
  write_settings({{kInitialWindowSize, kDefaultWindow}});
  bool local = false, remote = false;
  const auto deadline = std::chrono::steady_clock::now() + config_.timeout;
  while (!(local && remote)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("handshake: timeout");
    Event ev = read_one(left);
    if (ev.kind != EventKind::frame) throw std::runtime_error("handshake: " + ev.describe());
    if (ev.frame.type != kSettings) continue;
    if (ev.frame.has(kAck)) {
      local = true;
      continue;
    }
    remote = true;
    const std::string& p = ev.frame.payload;
    for (std::size_t i = 0; i + 6 <= p.size(); i += 6) {
      const auto id = static_cast<std::uint16_t>((static_cast<std::uint8_t>(p[i]) << 8) | static_cast<std::uint8_t>(p[i + 1]));
      settings_[id] = ev.frame.u32_at(i + 2);
    }
    write_settings_ack();
  }
}

Event Conn::read_one(std::chrono::milliseconds timeout) {
  Event ev;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (in_.size() >= 9) {
      const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<std::uint8_t>(in_[i])); };
      const std::uint32_t len = (b(0) << 16) | (b(1) << 8) | b(2);
      if (in_.size() >= 9 + len) {
        ev.kind = EventKind::frame;
        ev.frame.length = len;
        ev.frame.type = static_cast<std::uint8_t>(b(3));
        ev.frame.flags = static_cast<std::uint8_t>(b(4));
        ev.frame.stream = ((b(5) << 24) | (b(6) << 16) | (b(7) << 8) | b(8)) & 0x7fffffffu;
        ev.frame.payload = in_.substr(9, len);
        in_.erase(0, 9 + len);
        return ev;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ev.kind = EventKind::timeout;
      return ev;
    }
    char buf[16384];
    const long n = sock_->recv(buf, sizeof buf, left);
    if (n == 0) {
      // As h2spec on Linux (Go's framer): a reset connection, or an end in the middle of
      // a frame, is an error, not a close; only a clean end passes the close rules.
      ev.kind = sock_->peer_reset() || !in_.empty() ? EventKind::error : EventKind::closed;
      ev.message = sock_->peer_reset() ? "connection reset by peer" : "unexpected EOF in a frame";
      return ev;
    }
    if (n < 0) {
      ev.kind = EventKind::timeout;
      return ev;
    }
    in_.append(buf, static_cast<std::size_t>(n));
  }
}

Event Conn::wait_event() {
  Event ev = read_one(config_.timeout);
  if (ev.kind != EventKind::frame) {
    closed = true;
    return ev;
  }
  if (ev.frame.type == kData) count_received(ev.frame);
  return ev;
}

// count_received keeps the server's windows open as h2spec does: once a window falls to
// 0 or below, it is raised back to 65535 (RFC 9113 section 6.9).
void Conn::count_received(const Frame& f) {
  if (!auto_window_update) return;
  for (std::uint32_t id : {f.stream, 0u}) {
    auto [it, fresh] = window_.try_emplace(id, kDefaultWindow);
    it->second -= f.length;
    if (it->second <= 0) {
      const auto incr = static_cast<std::uint32_t>(kDefaultWindow - it->second);
      write_window_update(id, incr);
      it->second += incr;
    }
  }
}

std::pair<Event, bool> Conn::wait_event_by_type(std::uint8_t type) {
  Event last;
  bool seen = false;
  while (!closed) {
    Event ev = wait_event();
    if (ev.is(type)) return {ev, true};
    if (ev.kind == EventKind::timeout && seen) break;
    last = ev;
    seen = true;
  }
  return {last, false};
}

std::uint32_t Conn::max_frame_size() const { return setting(kMaxFrameSize).value_or(kDefaultFrameSize); }

std::optional<std::uint32_t> Conn::setting(std::uint16_t id) const {
  auto it = settings_.find(id);
  if (it == settings_.end()) return std::nullopt;
  return it->second;
}

}  // namespace h2conform
