# bin/fake-sglang as a link to SHIM_FAKE_SGLANG_BIN, a stand-in built elsewhere
# (see SHIM_FAKE_SGLANG_BIN in CMakeLists.txt). Checked at build time, since the
# other build may finish after this one is configured.
if(CMAKE_SCRIPT_MODE_FILE)
  if(NOT EXISTS "${ENGINE}")
    message(WARNING "fake-sglang: ${ENGINE} is not built yet; the black-box tests need it "
                    "(build the preset that makes it first, e.g. `make build` for the asan preset)")
  endif()
  file(MAKE_DIRECTORY "${BIN_DIR}")
  file(CREATE_LINK "${ENGINE}" "${BIN_DIR}/fake-sglang" SYMBOLIC)
  return()
endif()

add_custom_target(fake_sglang_link ALL
  COMMAND ${CMAKE_COMMAND} -DENGINE=${SHIM_FAKE_SGLANG_BIN} -DBIN_DIR=${CMAKE_RUNTIME_OUTPUT_DIRECTORY}
          -P ${CMAKE_CURRENT_LIST_FILE}
  COMMENT "bin/fake-sglang -> ${SHIM_FAKE_SGLANG_BIN}"
  VERBATIM)
