// pprof: Go's net/http/pprof for httpkit — a sampling CPU profiler, a fiber dump, and
// profile labels (runtime/pprof.Do).
//
// The debug handlers are a ServeMux the app mounts where it wants, never on by default
// and never on a public port:
//   debug_server.handler = httpkit::pprof::debug_mux();
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "httpkit/context.hpp"
#include "httpkit/error.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/serve_mux.hpp"

namespace httpkit::pprof {

// debug_mux serves
//   GET /debug/pprof/                   an index of the profiles;
//   GET /debug/pprof/profile?seconds=N  a CPU profile of N seconds (default 30) in
//                                       pprof's gzipped protobuf format, symbolised,
//                                       with fiber labels as sample labels (tags);
//   GET /debug/pprof/fibers             every live fiber with state, age, site and
//                                       labels (Go's /debug/pprof/goroutine?debug=2).
ServeMux debug_mux();

// kDefaultProfileHz: samples per second of CPU time, Go's default (runtime/pprof).
inline constexpr int kDefaultProfileHz = 100;

// profile_cpu profiles the whole process for d (parking the calling fiber) and returns
// the profile, gzipped protobuf (profile.proto). One profile at a time: a second
// concurrent call fails with std::errc::device_or_resource_busy. The first call installs
// a SIGPROF handler that stays installed (it does nothing between profiles).
Result<std::string> profile_cpu(Duration d, int hz = kDefaultProfileHz);

// labels_of returns the labels with_labels stored in ctx (empty when none).
runtime::Labels labels_of(const Context& ctx);

// with_labels runs fn(ctx') with ctx' = ctx plus labels, and labels the calling fiber
// with the same set while fn runs (Go's pprof.Do); later keys override earlier ones.
//   httpkit::pprof::with_labels(r.context(), {{"tenant", id}}, [&](const Context& ctx) { ... });
void with_labels_impl(const Context& ctx, std::initializer_list<runtime::Label> labels,
                      const std::function<void(const Context&)>& fn);
template <class F>
void with_labels(const Context& ctx, std::initializer_list<runtime::Label> labels, F&& fn) {
  with_labels_impl(ctx, labels, std::function<void(const Context&)>(std::forward<F>(fn)));
}

}  // namespace httpkit::pprof
