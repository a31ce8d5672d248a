// vLLM tool-call and reasoning parser names -> SGLang's names for the same output format.
// vLLM's registries: vllm/tool_parsers/__init__.py, vllm/reasoning/__init__.py (vLLM 9aaf83ef);
// SGLang's: the --tool-call-parser / --reasoning-parser choices in sglang-flags.json.
#pragma once
#include <string>

#include "translate/sglang_release.h"

namespace shim {

enum class ParserKind { kToolCall, kReasoning };

// Returns the name `release` gives the parser for vLLM's `vllm_name`: the first of its
// SGLang names (newest spelling first, then older spellings of the same output format) that
// the release has; a name that is already one of its choices is kept. Otherwise false with
// one line in *err naming the flag, the value, the release and the names it has.
bool MapParserName(ParserKind kind, const std::string& vllm_name, const SglangRelease& release,
                   std::string* sglang_name, std::string* err);

}  // namespace shim
