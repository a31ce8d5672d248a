#include "translate/parser_names.h"

#include <map>
#include <vector>

#include "common/strings.h"

namespace shim {
namespace {

using Names = std::vector<std::string>;

// Names whose spelling differs between vLLM 9aaf83ef's registries (vllm/tool_parsers/__init__.py,
// vllm/reasoning/__init__.py) and the choices SGLang's server_args.py gives --tool-call-parser
// and --reasoning-parser (data/reference/sglang-flags-by-version.json), newest SGLang spelling
// first. Names spelled the same on both sides (kimi_k2, glm45, mistral, qwen3, ...) need no
// row: they are SGLang choices already, in the releases that have them.
const std::map<std::string, Names>& ToolCallRenames() {
  static const std::map<std::string, Names> kRenames = {
      // SGLang's hermes parser arrived in 2026-03; before it, qwen25 parsed the same
      // <tool_call>{json}</tool_call> format (python/sglang/srt/function_call/qwen25_detector.py).
      {"hermes", {"hermes", "qwen25"}}, {"llama3_json", {"llama3"}},       {"llama4_pythonic", {"pythonic"}},
      {"deepseek_v3", {"deepseekv3"}},  {"deepseek_v31", {"deepseekv31"}}, {"deepseek_v32", {"deepseekv32"}},
      {"deepseek_v4", {"deepseekv4"}},  {"openai", {"gpt-oss"}},           {"minimax_m2", {"minimax-m2"}},
      {"hunyuan_a13b", {"hunyuan"}},    {"apertus", {"apertus2509"}},      {"qwen3_xml", {"qwen3_coder"}},
  };
  return kRenames;
}

const std::map<std::string, Names>& ReasoningRenames() {
  static const std::map<std::string, Names> kRenames = {
      {"deepseek_r1", {"deepseek-r1"}},
      {"deepseek_v3", {"deepseek-v3"}},
      {"deepseek_v4", {"deepseek-v4"}},
      {"openai_gptoss", {"gpt-oss"}},
      {"minimax_m2", {"minimax"}},
      {"minimax_m2_append_think", {"minimax-append-think"}},
      {"hunyuan_a13b", {"hunyuan"}},
      // Named nano_v3 until SGLang renamed it in 2026-04.
      {"nemotron_v3", {"nemotron_3", "nano_v3"}},
  };
  return kRenames;
}

}  // namespace

bool MapParserName(ParserKind kind, const std::string& vllm_name, const SglangRelease& release,
                   std::string* sglang_name, std::string* err) {
  const char* flag = kind == ParserKind::kToolCall ? "--tool-call-parser" : "--reasoning-parser";
  const auto& renames = kind == ParserKind::kToolCall ? ToolCallRenames() : ReasoningRenames();
  Names candidates{vllm_name};
  if (auto it = renames.find(vllm_name); it != renames.end()) candidates = it->second;
  for (const std::string& candidate : candidates) {
    if (release.AllowsChoice(flag, candidate)) {
      *sglang_name = candidate;
      return true;
    }
  }
  *err = std::string("argument ") + flag + ": " + SglangName(release) + " has no parser equivalent to vLLM's '" +
         vllm_name + "' (SGLang parsers: " + release.ChoicesText(flag) + ")";
  return false;
}

}  // namespace shim
