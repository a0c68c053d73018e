// Helpers for protocol tests written once and run in every mode (Go's testMode).
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "httpkit/test/server.hpp"
#include "support/mode_client.hpp"

// HTTPKIT_EACH_MODE declares `mode` and runs the rest of the test case once per mode:
// HTTP/1.1 over TCP, HTTP/2 over TCP (h2c) and HTTP/2 over TLS (ALPN h2).
#define HTTPKIT_EACH_MODE(mode)                                                                          \
  const ::httpkit::test::Mode mode =                                                                     \
      GENERATE(::httpkit::test::Mode::http1, ::httpkit::test::Mode::h2c, ::httpkit::test::Mode::h2); \
  INFO("mode " << ::httpkit::test::to_string(mode))

namespace httpkit::testing {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace httpkit::testing
