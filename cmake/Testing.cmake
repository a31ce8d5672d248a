# shim_unit_tests(<name> LIBS <libs...>): one gtest binary per component, built
# from every *_test.cc beside the component's code.
enable_testing()

function(shim_unit_tests name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  if(NOT SHIM_TESTS)
    return()
  endif()
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  if(NOT sources)
    return()
  endif()
  add_executable(${name} ${sources})
  # The code under test keeps the build's optimisation; the tests themselves compile about a
  # quarter faster unoptimised (front_door_test.cc: 20 s at -O2, 15 s at -O0), and `make test`
  # builds them twice.
  target_compile_options(${name} PRIVATE -O0)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    SHIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    SHIM_DATA_DIR="${CMAKE_SOURCE_DIR}/data/reference"
    SHIM_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 300)
endfunction()

# shim_library(<name> LIBS <libs...>): a static library from every *.cc in the
# folder that is not a test, a benchmark or a fuzz target.
function(shim_library name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  list(FILTER sources EXCLUDE REGEX "(_test|_bench|_fuzz|/main)\\.cc$")
  add_library(${name} STATIC ${sources})
  target_link_libraries(${name} PUBLIC shim_deps ${ARG_LIBS})
endfunction()

# shim_benchmarks(<name> LIBS <libs...>): one Google Benchmark binary per
# component from every *_bench.cc beside the code. Not run by `make test`;
# bench/run runs them.
function(shim_benchmarks name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  if(NOT SHIM_BENCH)
    return()
  endif()
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_bench.cc")
  if(NOT sources)
    return()
  endif()
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark benchmark::benchmark_main)
endfunction()
