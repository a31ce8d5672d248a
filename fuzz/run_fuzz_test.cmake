# The ctest of one libFuzzer target (fuzz/CMakeLists.txt): replay the seed corpus, then fuzz
# for a fixed number of runs from a fixed seed, so that the test does the same work, and
# passes or fails the same way, on every machine and every time.
#
#   cmake -DFUZZER=<binary> -DCORPUS=<seed dir> -DWORK_DIR=<scratch dir> -DARTIFACTS=<dir>
#         -DRUNS=<n> -P run_fuzz_test.cmake
#
# New inputs go to WORK_DIR, emptied first (the committed corpus is only read, and inputs
# left by an earlier run would change what this one does); a crashing input to ARTIFACTS.
foreach(var FUZZER CORPUS WORK_DIR ARTIFACTS RUNS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz_test.cmake: ${var} is not set")
  endif()
endforeach()

if(NOT EXISTS "${FUZZER}")
  message(FATAL_ERROR "${FUZZER} is not built (cmake --build <build dir> --target fuzzers)")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}" "${ARTIFACTS}")

# Two more things make libFuzzer's choices differ from run to run; both are turned off:
# - by default it rereads WORK_DIR every second (-reload=0 stops that);
# - address space layout randomisation: the values of pointer comparisons it learns from
#   (-use_cmp) and its stack-depth feature depend on where things are mapped. `setarch -R`
#   runs the fuzzer without it, where the kernel and sandbox allow (Docker's default seccomp
#   profile does not); elsewhere the run is the same length but may try other inputs.
set(no_aslr "")
find_program(SETARCH setarch)
if(SETARCH)
  execute_process(COMMAND uname -m OUTPUT_VARIABLE arch OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND "${SETARCH}" "${arch}" -R true RESULT_VARIABLE setarch_status OUTPUT_QUIET ERROR_QUIET)
  if(setarch_status EQUAL 0)
    set(no_aslr "${SETARCH}" "${arch}" -R)
  endif()
endif()
if(NOT no_aslr)
  message(STATUS "setarch -R is not available here: this run may differ slightly from others with the same seed")
endif()

execute_process(
  COMMAND ${no_aslr} "${FUZZER}" "${WORK_DIR}" "${CORPUS}" -seed=1 -runs=${RUNS} -reload=0 -timeout=5
          -rss_limit_mb=2048 -artifact_prefix=${ARTIFACTS}/ -print_final_stats=1
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${status}); the input is in ${ARTIFACTS}/. Reproduce with:\n"
                      "  ${FUZZER} ${ARTIFACTS}/<file>\n"
                      "Once fixed, keep it as a regression input: copy it into ${CORPUS}/.")
endif()
