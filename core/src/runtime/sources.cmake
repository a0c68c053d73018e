# Sources of core/src/runtime: fibers, schedulers, timers, parking, sync primitives.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/blocking_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fiber_labels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stack_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync.cpp
  ${CMAKE_CURRENT_LIST_DIR}/timer_heap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/waiter.cpp)

# Under ThreadSanitizer, the file that switches stacks records no function entries and
# exits: Boost.Context's switch runs instrumented header code half on one fiber and half
# on the other, which would unbalance TSan's shadow call stacks by a frame per switch
# until TSan aborts. Memory accesses stay instrumented, so races are still found.
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp
    PROPERTIES COMPILE_OPTIONS "--param=tsan-instrument-func-entry-exit=0")
elseif(CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp
    PROPERTIES COMPILE_OPTIONS "SHELL:-mllvm -tsan-instrument-func-entry-exit=false")
endif()
