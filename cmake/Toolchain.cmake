# Compiler settings shared by every target.
add_compile_options(-Wall -Wextra -Wno-unused-parameter)
if(SHIM_WERROR)
  add_compile_options(-Werror)
endif()

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Asio 1.74 does not detect coroutine support under Clang with libstdc++.
  add_compile_definitions(BOOST_ASIO_HAS_CO_AWAIT BOOST_ASIO_HAS_STD_COROUTINE)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-fcoroutines)
  # GCC 11 and 12 see Asio 1.74's coroutine frames freed by the frame's own
  # operator delete after the recycling allocator's ::operator new, and call
  # it a mismatch (-Wmismatched-new-delete); both sides are Asio's and agree.
  add_compile_options(-Wno-mismatched-new-delete)
endif()

# Asio without deprecated interfaces keeps us inside what Boost 1.74 and later share.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)

if(SHIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(SHIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SHIM_FUZZ needs Clang (libFuzzer)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address)
endif()
