#include "translate/parser_names.h"

#include <map>

#include "common/strings.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

// Names whose spelling differs between vLLM 9aaf83ef's registries (vllm/tool_parsers/__init__.py,
// vllm/reasoning/__init__.py) and the choices SGLang 8905cbd4's server_args.py gives --tool-call-parser
// and --reasoning-parser (data/reference/sglang-flags.json). Names spelled the same on both
// sides (kimi_k2, glm45, mistral, qwen3, ...) need no row: they are SGLang choices already.
const std::map<std::string, std::string>& ToolCallRenames() {
  static const std::map<std::string, std::string> kRenames = {
      {"hermes", "hermes"},  // SGLang 2026-03+; older images only have qwen25
      {"llama3_json", "llama3"},
      {"llama4_pythonic", "pythonic"},
      {"deepseek_v3", "deepseekv3"},
      {"deepseek_v31", "deepseekv31"},
      {"deepseek_v32", "deepseekv32"},
      {"deepseek_v4", "deepseekv4"},
      {"openai", "gpt-oss"},
      {"minimax_m2", "minimax-m2"},
      {"hunyuan_a13b", "hunyuan"},
      {"apertus", "apertus2509"},
      {"qwen3_xml", "qwen3_coder"},
  };
  return kRenames;
}

const std::map<std::string, std::string>& ReasoningRenames() {
  static const std::map<std::string, std::string> kRenames = {
      {"deepseek_r1", "deepseek-r1"}, {"deepseek_v3", "deepseek-v3"},
      {"deepseek_v4", "deepseek-v4"}, {"openai_gptoss", "gpt-oss"},
      {"minimax_m2", "minimax"},      {"minimax_m2_append_think", "minimax-append-think"},
      {"hunyuan_a13b", "hunyuan"},    {"nemotron_v3", "nemotron_3"},
  };
  return kRenames;
}

}  // namespace

bool MapParserName(ParserKind kind, const std::string& vllm_name, std::string* sglang_name, std::string* err) {
  const char* flag = kind == ParserKind::kToolCall ? "--tool-call-parser" : "--reasoning-parser";
  const auto& renames = kind == ParserKind::kToolCall ? ToolCallRenames() : ReasoningRenames();
  std::string candidate = vllm_name;
  if (auto it = renames.find(vllm_name); it != renames.end()) candidate = it->second;
  if (SglangAllowsChoice(flag, candidate)) {
    *sglang_name = candidate;
    return true;
  }
  const SglangFlag* sglang = FindSglangFlag(flag);
  std::string available = sglang ? JoinStrings(SglangChoices(*sglang), ", ") : "";
  *err = std::string("argument ") + flag + ": SGLang has no parser equivalent to vLLM's '" + vllm_name +
         "' (SGLang parsers: " + available + ")";
  return false;
}

}  // namespace shim
