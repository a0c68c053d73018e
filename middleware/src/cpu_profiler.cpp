// The sampling CPU profiler: setitimer(ITIMER_PROF) sends SIGPROF every 1/hz second of
// process CPU time to the thread that is running; the handler records the interrupted
// PC, a frame-pointer walk bounded by the running fiber's stack, and its labels, into a
// preallocated buffer (Go's runtime/cpuprof.go does the same with its profBuf).
#include <signal.h>
#include <sys/time.h>
#include <ucontext.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "httpkit/middleware/pprof.hpp"
#include "profiler.hpp"

namespace httpkit::pprof::detail {
namespace {

// Slot is written only by the signal handler that reserved it, then marked ready.
struct Slot {
  std::uintptr_t pcs[kMaxFrames];
  int depth;
  const runtime::detail::LabelNode* labels;  // retained by sample_context
  std::atomic<bool> ready;
};

// kMaxSlots bounds the buffer (about 50 MB); ticks beyond it are counted as lost.
constexpr std::size_t kMaxSlots = 100'000;

std::atomic<bool> busy{false};        // a profile is being taken
std::atomic<bool> active{false};      // the handler records
std::atomic<std::size_t> next_slot{0};
std::atomic<std::uint64_t> lost{0};
Slot* slots = nullptr;                // valid while active, kept until the next profile
std::size_t capacity = 0;
std::unique_ptr<Slot[]> slot_storage;

struct Regs {
  std::uintptr_t pc, fp, sp;
};

Regs registers(void* uctx) noexcept {
  const auto* uc = static_cast<const ucontext_t*>(uctx);
#if defined(__x86_64__)
  return {static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]),
          static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RBP]),
          static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RSP])};
#elif defined(__aarch64__)
  return {uc->uc_mcontext.pc, uc->uc_mcontext.regs[29], uc->uc_mcontext.sp};
#else
  (void)uc;
  return {0, 0, 0};
#endif
}

// walk_frames follows the frame-pointer chain [fp] -> caller fp, [fp+8] -> return
// address, only while fp stays inside [max(sp, lo), hi) and grows: it never reads
// outside the running stack, whatever the registers hold (code built without frame
// pointers yields short stacks, never a crash).
__attribute__((no_sanitize("address", "undefined"))) int walk_frames(Slot& s, int depth, std::uintptr_t fp,
                                                                        std::uintptr_t sp, std::uintptr_t lo,
                                                                        std::uintptr_t hi) noexcept {
  if (sp > lo) lo = sp;
  while (depth < kMaxFrames && fp >= lo && fp + 2 * sizeof(std::uintptr_t) <= hi && fp % sizeof(std::uintptr_t) == 0) {
    const auto* frame = reinterpret_cast<const std::uintptr_t*>(fp);
    const std::uintptr_t ret = frame[1];
    if (ret == 0) break;
    s.pcs[depth++] = ret;
    if (frame[0] <= fp) break;
    fp = frame[0];
  }
  return depth;
}

__attribute__((no_sanitize("address", "undefined"))) void on_sigprof(int, siginfo_t*, void* uctx) {
  const int saved_errno = errno;
  if (active.load(std::memory_order_acquire)) {
    const std::size_t i = next_slot.fetch_add(1, std::memory_order_relaxed);
    if (i < capacity) {
      Slot& s = slots[i];
      const Regs r = registers(uctx);
      const runtime::SampleContext ctx = runtime::sample_context();
      s.pcs[0] = r.pc;
      s.depth = ctx.stack_lo ? walk_frames(s, 1, r.fp, r.sp, ctx.stack_lo, ctx.stack_hi) : 1;
      s.labels = ctx.labels;
      s.ready.store(true, std::memory_order_release);
    } else {
      lost.fetch_add(1, std::memory_order_relaxed);
    }
  }
  errno = saved_errno;
}

// install_handler installs the SIGPROF handler once; it stays, inert between profiles,
// so that a tick still pending when a profile stops can never meet SIG_DFL (which
// would end the process).
void install_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_sigprof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGPROF, &sa, nullptr);
  });
}

void set_timer(int hz) {
  itimerval t{};
  if (hz > 0) {
    t.it_interval.tv_usec = 1'000'000 / hz;
    t.it_value = t.it_interval;
  }
  ::setitimer(ITIMER_PROF, &t, nullptr);
}

void start(Duration d, int hz) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(d).count() + 1;
  capacity = std::min<std::size_t>(kMaxSlots, static_cast<std::size_t>(seconds * hz) *
                                                  (static_cast<std::size_t>(runtime::threads()) + 2));
  slot_storage = std::make_unique<Slot[]>(capacity);  // the previous buffer is long unused
  slots = slot_storage.get();
  next_slot.store(0);
  lost.store(0);
  install_handler();
  active.store(true, std::memory_order_release);
  set_timer(hz);
}

RawProfile stop(Duration d, int hz) {
  set_timer(0);
  active.store(false, std::memory_order_release);
  // A handler that saw active just before may still be writing its slot; it needs
  // microseconds. Slots not marked ready are skipped.
  httpkit::sleep_for(std::chrono::milliseconds(10));
  RawProfile p;
  p.duration = d;
  p.hz = hz;
  p.lost = lost.load();
  const std::size_t n = std::min(next_slot.load(), capacity);
  for (std::size_t i = 0; i < n; ++i) {
    Slot& s = slots[i];
    if (!s.ready.load(std::memory_order_acquire)) continue;
    RawSample& out = p.samples.emplace_back();
    out.pcs.assign(s.pcs, s.pcs + s.depth);
    out.labels = runtime::Labels::adopt(s.labels);
  }
  return p;
}

}  // namespace

Result<RawProfile> collect_cpu(Duration d, int hz) {
  if (hz <= 0 || hz > 1000) return std::make_error_code(std::errc::invalid_argument);
  if (busy.exchange(true)) return std::make_error_code(std::errc::device_or_resource_busy);
  const auto wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  start(d, hz);
  sleep_for(d);
  RawProfile p = stop(d, hz);
  p.start_unix_nanos = wall.count();
  busy.store(false);
  return p;
}

}  // namespace httpkit::pprof::detail

namespace httpkit::pprof {

Result<std::string> profile_cpu(Duration d, int hz) {
  Result<detail::RawProfile> raw = detail::collect_cpu(d, hz);
  if (!raw) return raw.error();
  // Symbolizing reads every mapped object's symbol table: not on a scheduler thread.
  return run_blocking([&] { return detail::gzip(detail::encode_profile(*raw)); });
}

}  // namespace httpkit::pprof
