# Sources of core/src/runtime: fibers, schedulers, timers, parking, sync primitives.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/blocking_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stack_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync.cpp
  ${CMAKE_CURRENT_LIST_DIR}/timer_heap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/waiter.cpp)
