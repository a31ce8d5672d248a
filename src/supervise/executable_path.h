// Finding a program on PATH the way execvp does, before any fork: the SGLang launcher, and
// the `sglang` console script whose interpreter tells which Python has SGLang.
#pragma once
#include <string>

namespace shim {

// `name` itself when it holds a '/', else the first executable PATH entry for it (PATH
// unset: /usr/local/bin:/usr/bin:/bin). "" when there is none, with *error ENOENT, or
// EACCES when a candidate existed but was not executable.
std::string ResolveExecutable(const std::string& name, int* error);

}  // namespace shim
