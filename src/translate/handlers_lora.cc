// Handlers for the LoRA rows (vLLM LoRAConfig and --lora-modules, cli_args.py LoRAParserAction).
#include <nlohmann/json.hpp>

#include "cli/json_arg.h"
#include "common/strings.h"
#include "translate/flag_handlers.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

using Action = FlagOutcome::Action;
using nlohmann::json;

// vLLM's LoRAConfig defaults: max_lora_rank 16; target modules: every supported module.
constexpr const char* kDefaultMaxLoraRank = "16";
constexpr const char* kAllTargetModules = "all";

bool ParseLoraModule(const std::string& item, LoraModule* out, std::string* err) {
  if (StartsWith(TrimSpaces(item), "{")) {
    json parsed = ParseJsonArg(item);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("name") || !parsed.contains("path") ||
        !parsed["name"].is_string() || !parsed["path"].is_string()) {
      *err = "argument --lora-modules: invalid JSON adapter '" + item + "' (needs string \"name\" and \"path\")";
      return false;
    }
    out->name = parsed["name"].get<std::string>();
    out->path = parsed["path"].get<std::string>();
    if (parsed.contains("base_model_name") && parsed["base_model_name"].is_string()) {
      out->base_model_name = parsed["base_model_name"].get<std::string>();
    }
  } else {
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      *err = "argument --lora-modules: invalid format '" + item + "' (expected name=path or a JSON object)";
      return false;
    }
    out->name = item.substr(0, eq);
    out->path = item.substr(eq + 1);
  }
  if (out->name.empty() || out->path.empty()) {
    *err = "argument --lora-modules: empty adapter name or path in '" + item + "'";
    return false;
  }
  return true;
}

}  // namespace

bool HandleEnableLora(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (flag.negated) {
    SetOutcome(outcome, Action::kDropped, {}, "LoRA is off by default in SGLang");
    return true;
  }
  ctx->out->frontend.enable_lora = true;
  std::vector<std::string> words{"--enable-lora"};
  if (!ctx->Given("--lora-modules")) {
    // SGLang can only load adapters at run time when it knows the largest rank and the
    // modules up front; with no start-up adapters to infer them from, use vLLM's defaults.
    if (!ctx->Given("--max-lora-rank")) words.insert(words.end(), {"--max-lora-rank", kDefaultMaxLoraRank});
    if (!ctx->Given("--lora-target-modules")) words.insert(words.end(), {"--lora-target-modules", kAllTargetModules});
  }
  SetOutcome(outcome, words.size() == 1 ? Action::kPassed : Action::kTranslated, std::move(words));
  return true;
}

bool HandleLoraModules(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  std::vector<std::string> words{"--lora-paths"};
  std::vector<LoraModule> modules;
  for (const std::string& item : flag.values) {
    LoraModule module;
    if (!ParseLoraModule(item, &module, err)) return false;
    words.push_back(module.name + "=" + module.path);
    modules.push_back(std::move(module));
  }
  ctx->out->frontend.lora_modules = std::move(modules);
  SetOutcome(outcome, Action::kTranslated, std::move(words));
  return true;
}

bool HandleLoraTargetModules(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  for (const std::string& module : flag.values) {
    if (!ctx->sglang->AllowsChoice("--lora-target-modules", module)) {
      *err = "argument --lora-target-modules: " + SglangName(*ctx->sglang) + " does not support module '" + module +
             "' (SGLang modules: " + ctx->sglang->ChoicesText("--lora-target-modules") + ")";
      return false;
    }
  }
  std::vector<std::string> words{"--lora-target-modules"};
  words.insert(words.end(), flag.values.begin(), flag.values.end());
  SetOutcome(outcome, Action::kPassed, std::move(words));
  return true;
}

}  // namespace shim
