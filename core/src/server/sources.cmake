# Sources of core/src/server: the Server, HTTP/1.1 connections, and test::Server.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/body_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/date_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handoff_h2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http1_conn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/response.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_server.cpp)
