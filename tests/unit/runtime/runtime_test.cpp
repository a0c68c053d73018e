#include <catch2/catch.hpp>

#include <atomic>
#include <string_view>
#include <thread>
#include <vector>

#include "httpkit/runtime.hpp"
#include "httpkit/wait_group.hpp"
#include "support/run_in_fiber.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::run_in_fiber;

TEST_CASE("go runs on fibers and 100,000 fibers spawn and join without leaking") {
  const auto before = runtime::stats().fibers_live;
  std::atomic<int> ran{0};
  run_in_fiber([&] {
    WaitGroup wg;
    constexpr int kFibers = 100'000;
    wg.add(kFibers);
    for (int i = 0; i < kFibers; ++i) {
      go([&] {
        REQUIRE(in_fiber());
        ran.fetch_add(1);
        wg.done();
      });
    }
    wg.wait();
  });
  REQUIRE(ran.load() == 100'000);
  // Finished fibers give their stacks back: the live count returns to where it was.
  for (int i = 0; i < 100 && runtime::stats().fibers_live != before; ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(runtime::stats().fibers_live == before);
}

TEST_CASE("a finished fiber leaves nothing behind for the fiber that reuses it") {
  // A finished fiber parks (stack and context kept) and takes over the next new
  // fiber's work at its first run: parked, it is not live; reused, it starts clean.
  const auto before = runtime::stats().fibers_live;
  auto listed = [](std::string_view site) {
    for (const auto& f : runtime::fibers()) {
      if (f.site == site) return true;
    }
    return false;
  };
  int parked_listed = 0, parked_counted = 0, reused_listed = 0, reused_labelled = 0;
  run_in_fiber([&] {
    const auto self = runtime::stats().fibers_live;  // this fiber and the ones before
    for (int round = 0; round < 3; ++round) {
      WaitGroup first;
      first.add(1);
      go([&] {
        runtime::set_fiber_site("the first fiber");
        runtime::set_fiber_labels(runtime::Labels(std::vector<runtime::Label>{{"who", "first"}}));
        first.done();
      });
      first.wait();  // same scheduler: the first fiber returned and parked before this resumed
      parked_listed += listed("the first fiber");
      // The count is process-wide: another scheduler's fibers come and go (the
      // runtime's own), so allow them a moment; a parked fiber counted would stay.
      for (int i = 0; i < 200 && runtime::stats().fibers_live != self; ++i) sleep_for(1ms);
      parked_counted += runtime::stats().fibers_live != self;
      WaitGroup second;
      second.add(1);
      go([&] {  // runs on the parked fiber
        reused_listed += listed("the first fiber");
        reused_labelled += !runtime::fiber_labels().empty();
        second.done();
      });
      second.wait();
    }
  });
  CHECK(parked_listed == 0);
  CHECK(parked_counted == 0);
  CHECK(reused_listed == 0);
  CHECK(reused_labelled == 0);
  for (int i = 0; i < 100 && runtime::stats().fibers_live != before; ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(runtime::stats().fibers_live == before);
}

TEST_CASE("sleep_for parks a fiber; timers fire in deadline order") {
  std::vector<int> order;
  std::mutex mu;
  run_in_fiber([&] {
    WaitGroup wg;
    for (int delay : {30, 10, 20}) {
      wg.add();
      go([&, delay] {
        sleep_for(std::chrono::milliseconds(delay));
        std::lock_guard lock(mu);
        order.push_back(delay);
        wg.done();
      });
    }
    wg.wait();
  });
  REQUIRE(order == std::vector<int>{10, 20, 30});
}

TEST_CASE("a sleeping fiber does not block its scheduler thread") {
  run_in_fiber([] {
    std::atomic<bool> other_ran{false};
    go([&] { other_ran = true; });
    const auto start = Clock::now();
    sleep_for(20ms);
    REQUIRE(other_ran.load());
    REQUIRE(Clock::now() - start >= 20ms);
  });
}

TEST_CASE("yield lets other fibers on the same scheduler run") {
  run_in_fiber([] {
    int steps = 0;
    go([&] { steps += 1; });
    REQUIRE(steps == 0);  // spawned, not yet run
    yield();
    REQUIRE(steps == 1);
  });
}

TEST_CASE("run_blocking runs on another thread, returns the result and rethrows") {
  run_in_fiber([] {
    const auto fiber_thread = std::this_thread::get_id();
    auto [value, thread] = run_blocking([] {
      std::this_thread::sleep_for(5ms);  // a real blocking call
      return std::pair{42, std::this_thread::get_id()};
    });
    REQUIRE(value == 42);
    REQUIRE(thread != fiber_thread);
    REQUIRE_THROWS_AS(run_blocking([]() -> int { throw std::runtime_error("boom"); }), std::runtime_error);
  });
}

TEST_CASE("set_threads is refused once the runtime runs") {
  run_in_fiber([] {});
  REQUIRE_FALSE(runtime::set_threads(3));
  REQUIRE(runtime::threads() >= 1);
}
