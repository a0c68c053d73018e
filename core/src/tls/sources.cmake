# Sources of core/src/tls: OpenSSL over our Conn, certificates, server contexts.
target_sources(httpkit_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cert_reloader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/certificate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/socket_bio.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tls_conn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tls_context.cpp)
