# Installs a relocatable CMake package: find_package(httpkit CONFIG) -> httpkit::httpkit.
include(CMakePackageConfigHelpers)

set(httpkit_installed_libs httpkit httpkit_core httpkit_mux)
foreach(lib httpkit_middleware httpkit_app)
  if(TARGET ${lib})
    list(APPEND httpkit_installed_libs ${lib})
  endif()
endforeach()
install(TARGETS ${httpkit_installed_libs}
  EXPORT httpkitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(layer core mux middleware app)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${layer}/include/httpkit)
    install(DIRECTORY ${layer}/include/httpkit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
  endif()
endforeach()

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

# The licence travels with the headers and libraries (vcpkg installs it as copyright).
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/httpkit)

# The CLI, the app template it embeds (also installed, for reading and for vcpkg's
# share/ layout), and a pkg-config file for builds that do not use CMake.
if(TARGET httpkit_cli)
  install(TARGETS httpkit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(DIRECTORY app_template/ DESTINATION ${CMAKE_INSTALL_DATADIR}/httpkit/app_template)
endif()

# Static libraries in link order: the ones that use others first.
set(HTTPKIT_PC_LIBS "")
foreach(lib httpkit_app httpkit_middleware httpkit_mux httpkit_core)
  if(TARGET ${lib})
    string(APPEND HTTPKIT_PC_LIBS " -l${lib}")
  endif()
endforeach()
configure_file(cmake/httpkit.pc.in ${CMAKE_CURRENT_BINARY_DIR}/httpkit.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/httpkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
