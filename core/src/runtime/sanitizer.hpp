// Fiber-switch annotations for AddressSanitizer and ThreadSanitizer, so that sanitizer
// builds understand stack switching (DESIGN.md section 3). No-ops in other builds.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define HTTPKIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HTTPKIT_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define HTTPKIT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HTTPKIT_TSAN 1
#endif
#endif

#ifdef HTTPKIT_ASAN
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, std::size_t size);
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old, std::size_t* size_old);
}
#endif
#ifdef HTTPKIT_TSAN
extern "C" {
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
}
#endif

namespace httpkit::rt::san {

// StackInfo is what ASan needs to know about the stack we switch to.
struct StackInfo {
  const void* bottom = nullptr;
  std::size_t size = 0;
  void* tsan_fiber = nullptr;
};

// Call right before a switch. fake_save is nullptr when the current fiber will never
// run again (ASan then frees its fake stack).
inline void start_switch([[maybe_unused]] void** fake_save, [[maybe_unused]] const StackInfo& to) {
#ifdef HTTPKIT_ASAN
  __sanitizer_start_switch_fiber(fake_save, to.bottom, to.size);
#endif
#ifdef HTTPKIT_TSAN
  __tsan_switch_to_fiber(to.tsan_fiber, 0);
#endif
}

// A finishing fiber leaves through Boost.Context's own (instrumented) code after our
// entry function returns, so TSan must keep attributing events to it until the switch
// is over: ASan is told before the switch, TSan by the scheduler after it
// (tsan_switch_back).
inline void start_final_switch([[maybe_unused]] const StackInfo& to) {
#ifdef HTTPKIT_ASAN
  __sanitizer_start_switch_fiber(nullptr, to.bottom, to.size);
#endif
}
inline void tsan_switch_back([[maybe_unused]] const StackInfo& to) {
#ifdef HTTPKIT_TSAN
  __tsan_switch_to_fiber(to.tsan_fiber, 0);
#endif
}

// Call right after a switch returns to this context; records where we came from.
inline void finish_switch([[maybe_unused]] void* fake_save, [[maybe_unused]] StackInfo* from) {
#ifdef HTTPKIT_ASAN
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_save, &bottom, &size);
  if (from) {
    from->bottom = bottom;
    from->size = size;
  }
#endif
}

inline void* tsan_current() {
#ifdef HTTPKIT_TSAN
  return __tsan_get_current_fiber();
#else
  return nullptr;
#endif
}
inline void* tsan_create() {
#ifdef HTTPKIT_TSAN
  return __tsan_create_fiber(0);
#else
  return nullptr;
#endif
}
inline void tsan_destroy([[maybe_unused]] void* f) {
#ifdef HTTPKIT_TSAN
  __tsan_destroy_fiber(f);
#endif
}

}  // namespace httpkit::rt::san
