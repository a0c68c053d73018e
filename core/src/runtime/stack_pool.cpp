#include "runtime/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

namespace httpkit::rt {
namespace {

std::size_t page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

void unmap(boost::context::stack_context& sc) noexcept {
  const std::size_t total = sc.size + page_size();
  char* base = static_cast<char*>(sc.sp) - total;
  ::munmap(base, total);
}

}  // namespace

StackPool::~StackPool() {
  for (auto& sc : free_) unmap(sc);
}

boost::context::stack_context StackPool::allocate() {
  if (!free_.empty()) {
    auto sc = free_.back();
    free_.pop_back();
    return sc;
  }
  const std::size_t guard = page_size();
  const std::size_t total = kFiberStackSize + guard;
  void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc();
  ::mprotect(base, guard, PROT_NONE);  // stacks grow down: the guard is at the low end
  boost::context::stack_context sc;
  sc.size = kFiberStackSize;
  sc.sp = static_cast<char*>(base) + total;
  return sc;
}

void StackPool::deallocate(boost::context::stack_context& sc) noexcept {
  if (free_.size() + parked_ < kMaxPooledStacks) {
    free_.push_back(sc);
    return;
  }
  unmap(sc);
}

}  // namespace httpkit::rt
