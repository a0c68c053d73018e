// StackPool: guard-paged fiber stacks, reused instead of mapped per fiber.
#pragma once

#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace httpkit::rt {

// kFiberStackSize is each fiber's usable stack. Memory is committed only as pages are
// touched, so idle capacity is cheap; sanitizer builds need far more (ASan's redzones).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr std::size_t kFiberStackSize = 1024 * 1024;
#else
inline constexpr std::size_t kFiberStackSize = 256 * 1024;
#endif
// kMaxPooledStacks bounds what one scheduler keeps for reuse after a burst.
inline constexpr std::size_t kMaxPooledStacks = 1024;

// StackPool is owned by one scheduler thread; not thread-safe. Each stack is an mmap
// with a PROT_NONE guard page below it, so an overflow faults instead of corrupting.
class StackPool {
 public:
  StackPool() = default;
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;
  ~StackPool();

  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& sc) noexcept;
  std::size_t pooled() const noexcept { return free_.size(); }
  // set_parked tells how many stacks parked fibers keep (Scheduler::park_finished):
  // they count against the same kMaxPooledStacks.
  void set_parked(std::size_t n) noexcept { parked_ = n; }

 private:
  std::vector<boost::context::stack_context> free_;
  std::size_t parked_ = 0;
};

// PooledStackAllocator adapts a StackPool to Boost.Context's StackAllocator concept.
class PooledStackAllocator {
 public:
  explicit PooledStackAllocator(StackPool& pool) noexcept : pool_(&pool) {}
  boost::context::stack_context allocate() { return pool_->allocate(); }
  void deallocate(boost::context::stack_context& sc) noexcept { pool_->deallocate(sc); }

 private:
  StackPool* pool_;
};

}  // namespace httpkit::rt
