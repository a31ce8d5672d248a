# Style and static checks, run by `ctest --preset fuzz` (the Clang build whose
# compile_commands.json clang-tidy reads). Both fail on any finding.
find_program(CLANG_FORMAT NAMES clang-format-14 clang-format REQUIRED)
find_program(CLANG_TIDY NAMES clang-tidy-14 clang-tidy REQUIRED)
add_test(NAME clang_format
  COMMAND bash "${CMAKE_SOURCE_DIR}/scripts/lint.sh" format "${CLANG_FORMAT}"
  WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
add_test(NAME clang_tidy
  COMMAND bash "${CMAKE_SOURCE_DIR}/scripts/lint.sh" tidy "${CLANG_TIDY}" "${CMAKE_BINARY_DIR}"
  WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
set_tests_properties(clang_format clang_tidy PROPERTIES TIMEOUT 1200)
