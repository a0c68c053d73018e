# vcpkg port of httpkit. Used as an overlay port from this repository
# (vcpkg install httpkit --overlay-ports=ports), so the source is the checkout itself;
# a registry copy replaces the next line with vcpkg_from_github(... REF v${VERSION} SHA512 ...).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# The core links OpenSSL and nghttp2 unconditionally today; the features name the
# dependencies so that a core with optional TLS/HTTP/2 can drop them without breaking
# manifests that already list them (docs/decisions/0043-vcpkg-port.md).
foreach(required tls http2)
  if(NOT required IN_LIST FEATURES)
    message(FATAL_ERROR "httpkit: the '${required}' feature cannot be disabled yet (the core requires it)")
  endif()
endforeach()

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    cli HTTPKIT_BUILD_CLI)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DHTTPKIT_BUILD_TESTS=OFF
    -DHTTPKIT_BUILD_EXAMPLES=OFF
    -DHTTPKIT_BUILD_BENCH=OFF)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/httpkit)
vcpkg_fixup_pkgconfig()

if("cli" IN_LIST FEATURES)
  vcpkg_copy_tools(TOOL_NAMES httpkit AUTO_CLEAN)
endif()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
