#include <catch2/catch.hpp>

#include <atomic>
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
  // Finished fibers are parked and handed the next go() (stack and context kept): the
  // next one must start clean, and a parked fiber is not a live one.
  const auto before = runtime::stats().fibers_live;
  int clean_rounds = 0, listed_rounds = 0;
  run_in_fiber([&] {
    for (int round = 0; round < 3; ++round) {
      WaitGroup first;
      first.add(1);
      go([&] {
        runtime::set_fiber_site("the first fiber");
        runtime::set_fiber_labels(runtime::Labels(std::vector<runtime::Label>{{"who", "first"}}));
        first.done();
      });
      first.wait();
      yield();  // the first fiber finishes and parks
      WaitGroup second;
      second.add(1);
      bool clean = false, listed = false;
      go([&] {
        clean = runtime::fiber_labels().empty();
        for (const auto& f : runtime::fibers()) listed |= f.site == "the first fiber";
        second.done();
      });
      second.wait();
      clean_rounds += clean;
      listed_rounds += listed;
    }
  });
  CHECK(clean_rounds == 3);
  CHECK(listed_rounds == 0);
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
