// The SGLang flags the shim adds to every command line by itself, not from any vLLM flag:
// vLLM's histogram bucket bounds and --enable-metrics. Each has a one-line reason, which
// `translate` prints beside the flags that were given. VLLM_SGLANG_EXTRA_ARGS can replace
// any of them (MergeExtraArgs).
#pragma once
#include <string>
#include <vector>

#include "translate/translation.h"

namespace shim {

// In the order the translator appends them, after every translated flag.
std::vector<AddedFlag> ShimAddedFlags();

// The shortest decimal text that reads back as exactly `value` ("0.001", "2560", "1e-05"),
// independent of the locale, so that Python's float() gets the same double.
std::string ShortestDouble(double value);

}  // namespace shim
