# Every dependency is a Debian 12 / Ubuntu 22.04 package (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)

add_library(shim_deps INTERFACE)
target_link_libraries(shim_deps INTERFACE Boost::boost nlohmann_json::nlohmann_json Threads::Threads)
target_include_directories(shim_deps INTERFACE "${CMAKE_SOURCE_DIR}/src" "${CMAKE_BINARY_DIR}/generated")

if(SHIM_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SHIM_BENCH)
  find_package(benchmark REQUIRED)
endif()
