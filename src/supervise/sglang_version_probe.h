// Learning the installed SGLang's version without importing SGLang (which takes seconds and
// may touch the GPU): the launcher's Python reads the `sglang` package's metadata.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace shim {

// The Python interpreter the launcher runs: its first word when that is a python
// ("python3", "/opt/venv/bin/python3.11"), or the interpreter on the first line of an
// `sglang` console script found on PATH. "" when the launcher is neither.
std::string LauncherPython(const std::vector<std::string>& launcher);

// Runs `python` with `environment` ("NAME=value") to print importlib.metadata's version of
// the `sglang` distribution. True with *version set; false with a short *why (no such
// package, the interpreter did not start, no answer within `timeout` and was killed).
bool ProbeSglangVersion(const std::string& python, const std::vector<std::string>& environment,
                        std::chrono::milliseconds timeout, std::string* version, std::string* why);

}  // namespace shim
