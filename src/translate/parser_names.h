// vLLM tool-call and reasoning parser names -> SGLang's names for the same output format.
// vLLM's registries: vllm/tool_parsers/__init__.py, vllm/reasoning/__init__.py (vLLM 9aaf83ef);
// SGLang's: the --tool-call-parser / --reasoning-parser choices in sglang-flags.json.
#pragma once
#include <string>

namespace shim {

enum class ParserKind { kToolCall, kReasoning };

// Returns the SGLang name for a vLLM parser name. A name that is already an SGLang
// choice is kept. Otherwise false with one line in *err naming the flag, the value and
// the SGLang names available.
bool MapParserName(ParserKind kind, const std::string& vllm_name, std::string* sglang_name, std::string* err);

}  // namespace shim
