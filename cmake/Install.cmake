# `cmake --install <build>` lays out one self-contained tree, the one the engine
# images copy whole (docker/Dockerfile, docker/Dockerfile.rocm):
#
#   <prefix>/bin/vllm-sglang-shim          the binary
#   <prefix>/bin/vllm -> vllm-sglang-shim  argv[0] "vllm" selects the vLLM personality
#   <prefix>/lib/                          shared libraries the binary needs that a
#                                          stock SGLang image lacks (e.g. yaml-cpp)
#   <prefix>/lib/python/vllm/              shadow package: `python -m vllm...` runs the binary
#   <prefix>/share/doc/vllm-sglang-shim/   LICENSE, README, CHANGELOG, docs, deploy examples
#
# The stand-in engine (fake-sglang), tests and benchmarks are never installed.
# tests/deploy/test_install.py checks this layout.

if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX "/opt/vllm-sglang-shim" CACHE PATH "Install prefix" FORCE)
endif()

set(SHIM_INSTALL_BINDIR "bin")
set(SHIM_INSTALL_LIBDIR "lib")
# The shadow package finds the binary by walking up from itself to <prefix>/bin.
set(SHIM_INSTALL_PYTHONDIR "lib/python")
set(SHIM_INSTALL_DOCDIR "share/doc/vllm-sglang-shim")

if(TARGET vllm-sglang-shim)
  # The installed binary looks for bundled libraries beside the tree first, so the
  # tree runs wherever it is copied (the build tree keeps its own RPATH).
  set_target_properties(vllm-sglang-shim PROPERTIES INSTALL_RPATH "\$ORIGIN/../${SHIM_INSTALL_LIBDIR}")
  install(TARGETS vllm-sglang-shim
          RUNTIME_DEPENDENCY_SET shim_runtime_deps
          RUNTIME DESTINATION ${SHIM_INSTALL_BINDIR})
  # Bundle only what the C/C++ runtime of the target OS does not provide; the image
  # build stage uses the same OS as the SGLang base image, so libc and libstdc++ match.
  install(RUNTIME_DEPENDENCY_SET shim_runtime_deps
          DESTINATION ${SHIM_INSTALL_LIBDIR}
          PRE_EXCLUDE_REGEXES
            "^linux-vdso" "^ld-linux" "^libc\\.so" "^libm\\.so" "^libdl\\.so"
            "^libpthread\\.so" "^librt\\.so" "^libresolv\\.so" "^libstdc\\+\\+\\.so"
            "^libgcc_s\\.so" "^libasan" "^libubsan" "^liblsan" "^libtsan")
  # A relative link, so the tree can be moved or copied into an image unchanged.
  install(CODE "
    set(_shim_bin \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${SHIM_INSTALL_BINDIR}\")
    file(REMOVE \"\${_shim_bin}/vllm\")
    file(CREATE_LINK vllm-sglang-shim \"\${_shim_bin}/vllm\" SYMBOLIC RESULT _shim_link_result)
    if(NOT _shim_link_result EQUAL 0)
      message(FATAL_ERROR \"cannot create \${_shim_bin}/vllm: \${_shim_link_result}\")
    endif()
    message(STATUS \"Installing: \${_shim_bin}/vllm -> vllm-sglang-shim\")
  ")
else()
  message(WARNING "Install.cmake: target vllm-sglang-shim is not defined; `cmake --install` installs no binary")
endif()

install(DIRECTORY "${CMAKE_SOURCE_DIR}/python/vllm"
        DESTINATION ${SHIM_INSTALL_PYTHONDIR}
        FILES_MATCHING PATTERN "*.py"
        PATTERN "__pycache__" EXCLUDE)

install(FILES
          "${CMAKE_SOURCE_DIR}/LICENSE"
          "${CMAKE_SOURCE_DIR}/README.md"
          "${CMAKE_SOURCE_DIR}/CHANGELOG.md"
          "${CMAKE_SOURCE_DIR}/VERSION"
        DESTINATION ${SHIM_INSTALL_DOCDIR})
install(DIRECTORY "${CMAKE_SOURCE_DIR}/docs/"
        DESTINATION ${SHIM_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")
install(DIRECTORY "${CMAKE_SOURCE_DIR}/deploy/"
        DESTINATION ${SHIM_INSTALL_DOCDIR}/deploy)
