// run_in_fiber: runs a test body on a runtime fiber and waits for it on the test thread.
#pragma once

#include <exception>
#include <functional>

#include "httpkit/event.hpp"
#include "httpkit/runtime.hpp"

namespace httpkit::testing {

// Exceptions (including Catch2's assertion failures) are carried back to the caller.
inline void run_in_fiber(const std::function<void()>& body) {
  Event done;
  std::exception_ptr error;
  go([&] {
    try {
      body();
    } catch (...) {
      error = std::current_exception();
    }
    done.set();
  });
  done.wait();
  if (error) std::rethrow_exception(error);
}

}  // namespace httpkit::testing
