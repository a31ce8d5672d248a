// vLLM's `human_readable_int` (vllm/utils/argparse_utils.py): "1k" = 1000, "1K" = 1024,
// "25.6k" = 25600, "2M" = 2097152, "80g" = 80e9. Decimals are allowed only with the decimal
// (lower-case) suffixes. Used by --max-num-batched-tokens, --kv-cache-memory-bytes,
// --safetensors-prefetch-block-size and, with "auto"/-1, by --max-model-len.
#pragma once
#include <string>
#include <string_view>

namespace shim {

// Parses text as vLLM does. Returns false with *err (the argparse-style reason, without the
// flag name) on anything else or on overflow.
bool ParseHumanReadableInt(std::string_view text, long long* out, std::string* err);

// The --max-model-len variant: "auto" (any case) and "-1" mean "derive from the model"
// and set *is_auto.
bool ParseHumanReadableIntOrAuto(std::string_view text, long long* out, bool* is_auto, std::string* err);

}  // namespace shim
