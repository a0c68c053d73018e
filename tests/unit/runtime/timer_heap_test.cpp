#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "runtime/timer_heap.hpp"

using httpkit::Clock;
using httpkit::rt::Timer;
using httpkit::rt::TimerHeap;

TEST_CASE("TimerHeap pops timers in deadline order, ties in arming order") {
  TimerHeap heap;
  std::vector<Timer> timers(200);
  std::mt19937 rng(42);
  const auto base = Clock::now();
  for (auto& t : timers) heap.arm(t, base + std::chrono::milliseconds(rng() % 50));
  // Cancel every third timer: they must never come out.
  for (std::size_t i = 0; i < timers.size(); i += 3) heap.cancel(timers[i]);
  std::vector<Timer*> out;
  while (Timer* t = heap.pop_expired(base + std::chrono::seconds(1))) out.push_back(t);
  REQUIRE(out.size() == timers.size() - (timers.size() + 2) / 3);
  for (std::size_t i = 1; i < out.size(); ++i) {
    REQUIRE((out[i - 1]->when < out[i]->when || (out[i - 1]->when == out[i]->when && out[i - 1]->seq < out[i]->seq)));
  }
  for (Timer* t : out) REQUIRE_FALSE(t->armed());
}

TEST_CASE("TimerHeap keeps unexpired timers and re-arming moves a timer") {
  TimerHeap heap;
  Timer a, b;
  const auto now = Clock::now();
  heap.arm(a, now + std::chrono::hours(1));
  heap.arm(b, now - std::chrono::seconds(1));
  heap.arm(b, now + std::chrono::hours(2));  // re-arm: moves, does not duplicate
  REQUIRE(heap.size() == 2);
  REQUIRE(heap.pop_expired(now) == nullptr);
  REQUIRE(heap.next() == a.when);
}
