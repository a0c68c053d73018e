# Sources of core/src/http1: the sans-I/O HTTP/1.1 parser and serializer.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/chunked_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/field_line.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request_head.cpp
  ${CMAKE_CURRENT_LIST_DIR}/serializer.cpp
)
