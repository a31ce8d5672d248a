// Which half of an SGLang prefill/decode pair an engine is (pd_plan.h decides it).
#pragma once
#include <string_view>

namespace shim::pd {

enum class PdMode { kNone, kPrefill, kDecode };

// SGLang's spelling for --disaggregation-mode: "null", "prefill", "decode".
std::string_view PdModeName(PdMode mode);

// SGLang's default --disaggregation-bootstrap-port (python/sglang/srt/server_args.py).
inline constexpr int kDefaultBootstrapPort = 8998;

}  // namespace shim::pd
