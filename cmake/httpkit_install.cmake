# Installs a relocatable CMake package: find_package(httpkit CONFIG) -> httpkit::httpkit.
include(CMakePackageConfigHelpers)

install(TARGETS httpkit httpkit_core httpkit_mux
  EXPORT httpkitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY core/include/httpkit mux/include/httpkit
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

set(httpkit_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/httpkit)
install(EXPORT httpkitTargets NAMESPACE httpkit:: DESTINATION ${httpkit_cmake_dir})
configure_package_config_file(cmake/httpkitConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/httpkitConfig.cmake
  INSTALL_DESTINATION ${httpkit_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/httpkitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/httpkitConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/httpkitConfigVersion.cmake
  DESTINATION ${httpkit_cmake_dir})
