# Sources of core/src/net: TCP listeners and connections on the netpoller.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/conn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/listener.cpp)
