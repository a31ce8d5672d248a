// data/reference/sglang-flags-by-version.json, embedded by CMake (src/translate/CMakeLists.txt)
// so the shim needs no data file at run time.
#pragma once

namespace shim {

const char* SglangReleasesJson();

}  // namespace shim
