#include <catch2/catch.hpp>

#include <thread>

#include "httpkit/context.hpp"
#include "httpkit/error.hpp"
#include "httpkit/event.hpp"
#include "httpkit/runtime.hpp"
#include "support/run_in_fiber.hpp"

using namespace httpkit;
using namespace std::chrono_literals;
using httpkit::testing::run_in_fiber;

TEST_CASE("background is never done") {
  Context bg = Context::background();
  REQUIRE_FALSE(bg.done());
  REQUIRE_FALSE(bg.deadline());
  REQUIRE(bg.value(nullptr) == nullptr);
}

TEST_CASE("cancel carries its reason to children, never to parents") {
  auto [parent, cancel_parent] = with_cancel(Context::background());
  auto [child, cancel_child] = with_cancel(parent);
  auto [grandchild, cancel_grandchild] = with_cancel(child);
  cancel_child();
  REQUIRE(child.err() == errc::canceled);
  REQUIRE(grandchild.err() == errc::canceled);
  REQUIRE_FALSE(parent.done());
  cancel_parent(errc::client_disconnected);
  REQUIRE(parent.err() == errc::client_disconnected);
  REQUIRE(child.err() == errc::canceled);  // the first reason sticks
}

TEST_CASE("a child of a cancelled parent starts cancelled") {
  auto [parent, cancel] = with_cancel(Context::background());
  cancel(errc::server_closed);
  auto [child, cancel_child] = with_cancel(parent);
  REQUIRE(child.err() == errc::server_closed);
}

TEST_CASE("values are found through cancel nodes; the nearest wins") {
  static const int key = 0;
  Context a = with_value(Context::background(), &key, std::string("outer"));
  auto [b, cancel] = with_cancel(a);
  Context c = with_value(b, &key, std::string("inner"));
  REQUIRE(*b.value_as<std::string>(&key) == "outer");
  REQUIRE(*c.value_as<std::string>(&key) == "inner");
  cancel();
  REQUIRE(c.err() == errc::canceled);  // a value node reports its owner's state
}

TEST_CASE("a deadline ends the context and wakes a waiting fiber") {
  run_in_fiber([] {
    auto [ctx, cancel] = with_timeout(Context::background(), 20ms);
    REQUIRE_FALSE(ctx.done());
    const auto start = Clock::now();
    ctx.wait();
    REQUIRE(Clock::now() - start >= 19ms);
    REQUIRE(ctx.err() == errc::deadline_exceeded);
  });
}

TEST_CASE("a child deadline later than its parent's keeps the parent's") {
  auto [parent, c1] = with_timeout(Context::background(), 1s);
  auto [child, c2] = with_timeout(parent, 1h);
  REQUIRE(*child.deadline() == *parent.deadline());
}

TEST_CASE("cancellation from another thread wakes a parked fiber") {
  auto [ctx, cancel] = with_cancel(Context::background());
  std::thread canceller;
  run_in_fiber([&, ctx = ctx, cancel = cancel] {
    canceller = std::thread([cancel] {
      std::this_thread::sleep_for(10ms);
      cancel(errc::client_disconnected);
    });
    REQUIRE(ctx.wait_until(Clock::now() + 10s));
    REQUIRE(ctx.err() == errc::client_disconnected);
  });
  canceller.join();
}

TEST_CASE("after_func runs once the context ends, unless stopped") {
  auto [ctx, cancel] = with_cancel(Context::background());
  Event ran;
  bool stopped_ran = false;
  after_func(ctx, [&] { ran.set(); });
  auto h = after_func(ctx, [&] { stopped_ran = true; });
  REQUIRE(h.stop());
  cancel();
  REQUIRE(ran.wait_for(5s));
  REQUIRE_FALSE(h.stop());
  REQUIRE_FALSE(stopped_ran);
}

TEST_CASE("without_cancel keeps values but never ends") {
  static const int key = 0;
  auto [parent, cancel] = with_cancel(with_value(Context::background(), &key, 7));
  Context detached = without_cancel(parent);
  cancel();
  REQUIRE_FALSE(detached.done());
  REQUIRE(*detached.value_as<int>(&key) == 7);
}

TEST_CASE("renew_context revives an unshared cancelled context, nothing else") {
  auto [parent, cancel_parent] = with_cancel(Context::background());
  auto [ctx, cancel] = with_cancel(parent);
  cancel();
  REQUIRE(detail::renew_context(ctx, cancel));
  CHECK_FALSE(ctx.done());
  cancel_parent(errc::server_closed);  // still linked to its parent after renewal
  CHECK(ctx.err() == errc::server_closed);
  CHECK_FALSE(detail::renew_context(ctx, cancel));  // the parent has ended

  auto [p2, c2] = with_cancel(Context::background());
  auto [shared, cancel_shared] = with_cancel(p2);
  Context copy = shared;  // someone kept it: it must stay cancelled
  cancel_shared();
  CHECK_FALSE(detail::renew_context(shared, cancel_shared));
  CHECK(copy.err() == errc::canceled);
}

TEST_CASE("end_context skips only a cancellation nobody can see") {
  auto [parent, cancel_parent] = with_cancel(Context::background());
  auto [ctx, cancel] = with_cancel(parent);

  // Held by nobody else, watched by nobody: left live, and renewing it is free.
  detail::end_context(ctx, cancel, errc::canceled);
  CHECK_FALSE(ctx.done());
  REQUIRE(detail::renew_context(ctx, cancel));

  SECTION("a copy sees the cancellation") {
    Context copy = ctx;
    detail::end_context(ctx, cancel, errc::canceled);
    CHECK(copy.err() == errc::canceled);
  }
  SECTION("a child that is gone by then still marks it watched") {
    { auto child = with_cancel(ctx); }
    detail::end_context(ctx, cancel, errc::canceled);
    CHECK(ctx.err() == errc::canceled);
    REQUIRE(detail::renew_context(ctx, cancel));
    detail::end_context(ctx, cancel, errc::canceled);  // renewal forgets the watcher
    CHECK_FALSE(ctx.done());
  }
  SECTION("an after-func whose handle was dropped still runs") {
    Event ran;
    after_func(ctx, [&] { ran.set(); });
    detail::end_context(ctx, cancel, errc::canceled);
    CHECK(ctx.err() == errc::canceled);
    CHECK(ran.wait_for(5s));
  }
  SECTION("a fiber waiting through a reference is woken") {
    run_in_fiber([&] {
      const Context& ref = ctx;
      Event waiting, woken;
      go([&] {
        waiting.set();
        ref.wait();
        woken.set();
      });
      waiting.wait();  // the waiter has run on to park in ref.wait() (one scheduler)
      detail::end_context(ctx, cancel, errc::canceled);
      CHECK(woken.wait_for(5s));
      CHECK(ctx.err() == errc::canceled);
    });
  }
  SECTION("the parent's cancel still reaches a context left live") {
    cancel_parent(errc::server_closed);
    CHECK(ctx.err() == errc::server_closed);
  }
}
