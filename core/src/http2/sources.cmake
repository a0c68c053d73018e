# Sources of core/src/http2: HTTP/2 server connections on nghttp2.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/frame_gate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/head_out.cpp
  ${CMAKE_CURRENT_LIST_DIR}/header_block.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hpack_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hpack_encoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hpack_huffman.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http2_conn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/input.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request_head.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_memory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream_response.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream_table.cpp)
