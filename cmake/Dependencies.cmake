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

# The front door allocates per request (coroutine frames, head fields); glibc
# malloc spends about a tenth of its CPU there. gperftools' tcmalloc (as Envoy
# uses) is linked statically into the shim binary, so the engine image needs
# no extra package. Off under sanitizers, which bring their own allocator.
option(SHIM_TCMALLOC "Link tcmalloc_minimal (gperftools) statically into vllm-sglang-shim" ON)
set(SHIM_MALLOC_LIBS "")
if(SHIM_TCMALLOC AND NOT SHIM_SANITIZE AND NOT SHIM_FUZZ)
  find_library(SHIM_TCMALLOC_STATIC NAMES libtcmalloc_minimal.a)
  if(SHIM_TCMALLOC_STATIC)
    set(SHIM_MALLOC_LIBS "${SHIM_TCMALLOC_STATIC}")
    message(STATUS "vllm-sglang-shim allocator: ${SHIM_TCMALLOC_STATIC}")
  else()
    message(WARNING "libtcmalloc_minimal.a not found (package libgoogle-perftools-dev): glibc malloc")
  endif()
endif()
