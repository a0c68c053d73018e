// StreamTable against std::map: the same answers after every insert and erase, for the
// ids clients send (odd, rising, closed out of order) and for ids that share slots.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "http2/stream_table.hpp"

using httpkit::detail::Stream;
using httpkit::detail::StreamTable;

namespace {

Stream* fake_stream(std::int32_t id) { return reinterpret_cast<Stream*>(static_cast<std::uintptr_t>(id) * 16); }

// check_same: every id the model holds is found, with its stream, and some it does not
// hold are not.
void check_same(const StreamTable& table, const std::map<std::int32_t, Stream*>& model, std::int32_t max_id) {
  for (const auto& [id, s] : model) REQUIRE(table.find(id) == s);
  for (std::int32_t id = 1; id <= max_id; id += 2) {
    if (!model.contains(id)) REQUIRE(table.find(id) == nullptr);
  }
}

}  // namespace

TEST_CASE("a stream table finds what a map finds, for rising odd ids closed out of order", "[http2]") {
  std::mt19937 rng(20261123);
  StreamTable table;
  std::map<std::int32_t, Stream*> model;
  std::int32_t next_id = 1;
  for (int step = 0; step < 20000; ++step) {
    // Open more while few are open, up to a few hundred (tables grow), then close.
    const bool open = model.empty() || (model.size() < 300 && rng() % 3 != 0);
    if (open) {
      table.insert(next_id, fake_stream(next_id));
      model.emplace(next_id, fake_stream(next_id));
      next_id += 2;
    } else {
      auto it = model.begin();
      std::advance(it, rng() % model.size());
      REQUIRE(table.erase(it->first) == it->second);
      model.erase(it);
    }
    if (step % 97 == 0) check_same(table, model, next_id);
  }
  check_same(table, model, next_id);
}

TEST_CASE("a stream table keeps ids that share a home slot apart", "[http2]") {
  // Ids 128 apart share a home slot in a 64-slot table: runs form, wrap around the
  // end, and erasing from the middle of a run must move the rest back.
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    StreamTable table;
    std::map<std::int32_t, Stream*> model;
    std::vector<std::int32_t> ids;
    const std::int32_t base = 2 * static_cast<std::int32_t>(rng() % 64) + 1;  // odd, any home slot
    for (int i = 0; i < 20; ++i) ids.push_back(base + 128 * i);
    for (int i = 0; i < 8; ++i) ids.push_back(base + 2 * (i + 1));  // neighbours the run spills over
    std::shuffle(ids.begin(), ids.end(), rng);
    for (std::int32_t id : ids) {
      table.insert(id, fake_stream(id));
      model.emplace(id, fake_stream(id));
    }
    std::shuffle(ids.begin(), ids.end(), rng);
    for (std::int32_t id : ids) {
      REQUIRE(table.erase(id) == model.at(id));
      model.erase(id);
      for (const auto& [held, s] : model) REQUIRE(table.find(held) == s);
      REQUIRE(table.find(id) == nullptr);
    }
  }
}

TEST_CASE("erasing an id the table does not hold changes nothing", "[http2]") {
  StreamTable table;
  CHECK(table.erase(1) == nullptr);  // empty: no slots yet
  table.insert(1, fake_stream(1));
  table.insert(129, fake_stream(129));     // shares slot 0 with 1
  CHECK(table.erase(257) == nullptr);      // shares it too, never inserted
  CHECK(table.erase(3) == nullptr);
  CHECK(table.find(1) == fake_stream(1));
  CHECK(table.find(129) == fake_stream(129));
}
