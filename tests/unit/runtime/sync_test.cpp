#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "httpkit/channel.hpp"
#include "httpkit/event.hpp"
#include "httpkit/mutex.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/wait_group.hpp"
#include "support/run_in_fiber.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::run_in_fiber;

TEST_CASE("Event wakes a parked fiber from another thread") {
  Event ev;
  std::atomic<bool> woke{false};
  std::thread setter;
  run_in_fiber([&] {
    setter = std::thread([&] {
      std::this_thread::sleep_for(10ms);
      ev.set();
    });
    ev.wait();
    woke = true;
  });
  setter.join();
  REQUIRE(woke);
  REQUIRE(ev.is_set());
}

TEST_CASE("Event::wait_until times out when nobody sets it") {
  run_in_fiber([] {
    Event ev;
    const auto start = Clock::now();
    REQUIRE_FALSE(ev.wait_for(15ms));
    REQUIRE(Clock::now() - start >= 15ms);
  });
}

TEST_CASE("Mutex excludes fibers that park while holding it") {
  Mutex mu;
  int in_section = 0, max_in_section = 0, total = 0;
  run_in_fiber([&] {
    WaitGroup wg;
    for (int i = 0; i < 50; ++i) {
      wg.add();
      go([&] {
        std::lock_guard lock(mu);
        max_in_section = std::max(max_in_section, ++in_section);
        sleep_for(100us);  // parks while holding the lock
        ++total;
        --in_section;
        wg.done();
      });
    }
    wg.wait();
  });
  REQUIRE(max_in_section == 1);
  REQUIRE(total == 50);
}

TEST_CASE("Mutex is shared between fibers and plain threads") {
  Mutex mu;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::lock_guard lock(mu);
        ++counter;
      }
    });
  }
  run_in_fiber([&] {
    for (int i = 0; i < 2000; ++i) {
      std::lock_guard lock(mu);
      ++counter;
      if (i % 100 == 0) yield();
    }
  });
  for (auto& t : threads) t.join();
  REQUIRE(counter == 6000);
}

TEST_CASE("Channel delivers in order, blocks when full and drains after close") {
  Channel<int> ch(2);
  std::vector<int> got;
  run_in_fiber([&] {
    WaitGroup wg;
    wg.add();
    go([&] {
      for (int i = 0; i < 10; ++i) REQUIRE_FALSE(ch.send(i));  // blocks while full
      ch.close();
      wg.done();
    });
    while (auto v = ch.recv()) got.push_back(*v);
    wg.wait();
  });
  REQUIRE(got == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  REQUIRE(ch.send(1) == errc::closed);
  REQUIRE(ch.try_send(1) == errc::closed);
  REQUIRE_FALSE(ch.recv().has_value());
}

TEST_CASE("Channel close wakes blocked receivers and senders") {
  Channel<int> ch(1);
  std::atomic<int> woken{0};
  run_in_fiber([&] {
    WaitGroup wg;
    for (int i = 0; i < 3; ++i) {
      wg.add();
      go([&] {
        if (!ch.recv()) woken++;
        wg.done();
      });
    }
    yield();
    ch.close();
    wg.wait();
  });
  REQUIRE(woken == 3);
  Channel<int> full(1);
  REQUIRE_FALSE(full.try_send(1));
  REQUIRE(full.try_send(2) == errc::timeout);
  std::error_code send_err;
  run_in_fiber([&] {
    go([&] { full.close(); });
    send_err = full.send(3);  // blocked on a full channel until close
  });
  REQUIRE(send_err == errc::closed);
}

TEST_CASE("Channel recv_until gives up at the deadline") {
  run_in_fiber([] {
    Channel<int> ch(1);
    REQUIRE_FALSE(ch.recv_until(Clock::now() + 5ms).has_value());
    REQUIRE_FALSE(ch.closed());
  });
}

TEST_CASE("WaitGroup rejects a negative counter") {
  WaitGroup wg;
  REQUIRE_THROWS_AS(wg.done(), std::logic_error);
}
