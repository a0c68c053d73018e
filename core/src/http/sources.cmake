# Sources of core/src/http: the HTTP types (Header, URL, Request, Body, status, sniff,
# dates) and Go's reply helpers.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/body.cpp
  ${CMAKE_CURRENT_LIST_DIR}/canonical_key.cpp
  ${CMAKE_CURRENT_LIST_DIR}/common_keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/handler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/header.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_date.cpp
  ${CMAKE_CURRENT_LIST_DIR}/path_clean.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/response_controller.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sniff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/status.cpp
  ${CMAKE_CURRENT_LIST_DIR}/url.cpp
  ${CMAKE_CURRENT_LIST_DIR}/url_escape.cpp
  ${CMAKE_CURRENT_LIST_DIR}/values.cpp
)
