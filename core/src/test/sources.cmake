# Sources of core/src/test: httpkit::test helpers (Go's httptest).
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/response_recorder.cpp
)
