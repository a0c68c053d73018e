// ResponseController walks unwrap() to the first writer with a capability.
#include <catch2/catch.hpp>

#include "httpkit/response_controller.hpp"
#include "httpkit/test/response_recorder.hpp"

using namespace httpkit;

namespace {

// Wrapper is a middleware writer that has no capabilities of its own.
struct Wrapper final : ResponseWriter {
  explicit Wrapper(ResponseWriter& w) : w(w) {}
  Header& header() override { return w.header(); }
  void write_header(int c) override { w.write_header(c); }
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> d) override { return w.write(d); }
  ResponseWriter* unwrap() override { return &w; }
  ResponseWriter& w;
};

// Hidden does not unwrap: capabilities behind it are out of reach.
struct Hidden final : ResponseWriter {
  explicit Hidden(ResponseWriter& w) : w(w) {}
  Header& header() override { return w.header(); }
  void write_header(int c) override { w.write_header(c); }
  using ResponseWriter::write;
  IoResult write(std::span<const std::byte> d) override { return w.write(d); }
  ResponseWriter& w;
};

}  // namespace

TEST_CASE("ResponseController finds Flusher through two wrappers", "[response_controller]") {
  test::ResponseRecorder rec;
  Wrapper inner(rec);
  Wrapper outer(inner);
  ResponseController rc(outer);
  CHECK_FALSE(rc.flush());
  CHECK(rec.flushed());
}

TEST_CASE("ResponseController reports not_supported for missing capabilities", "[response_controller]") {
  test::ResponseRecorder rec;
  Wrapper w(rec);
  ResponseController rc(w);
  CHECK(rc.hijack().error() == errc::not_supported);
  CHECK(rc.set_read_deadline(Clock::now()) == errc::not_supported);
  CHECK(rc.set_write_deadline(TimePoint{}) == errc::not_supported);
  CHECK(rc.enable_full_duplex() == errc::not_supported);
  Hidden hidden(rec);
  CHECK(ResponseController(hidden).flush() == errc::not_supported);
  CHECK_FALSE(rec.flushed());
}
