// Counts heap allocations in the benchmark binary (alloc_counter.cpp replaces the
// global operator new), so a benchmark can prove a lookup allocates nothing.
#pragma once

#include <cstddef>

namespace httpkit::bench {

// allocations returns the number of operator new calls so far in this process.
std::size_t allocations() noexcept;

}  // namespace httpkit::bench
