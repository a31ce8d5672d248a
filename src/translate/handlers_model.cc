// Handlers for the model, loading and memory rows of the table.
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/human_readable_int.h"
#include "cli/json_arg.h"
#include "common/strings.h"
#include "translate/flag_handlers.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

using Action = FlagOutcome::Action;
using nlohmann::json;

// A value SGLang lists among the flag's choices passes unchanged; anything else is an error
// naming what SGLang has, because loading the model some other way would be wrong.
bool PassChoice(const char* vllm_flag, const char* sglang_flag, const std::string& value, TranslateContext* ctx,
                FlagOutcome* outcome, std::string* err) {
  if (ctx->sglang->AllowsChoice(sglang_flag, value)) {
    SetOutcome(outcome, std::string(vllm_flag) == sglang_flag ? Action::kPassed : Action::kTranslated,
               {sglang_flag, value});
    return true;
  }
  *err = std::string("argument ") + vllm_flag + ": " + SglangName(*ctx->sglang) + " does not support '" + value +
         "' (SGLang choices: " + ctx->sglang->ChoicesText(sglang_flag) + ")";
  return false;
}

bool DropNone(const ParsedFlag& flag, FlagOutcome* outcome) {
  if (!IsNoneValue(FirstValue(flag))) return false;
  SetOutcome(outcome, Action::kDropped, {}, "set to None: SGLang's default applies");
  return true;
}

void DropWithWarning(TranslateContext* ctx, const ParsedFlag& flag, FlagOutcome* outcome, const std::string& why) {
  SetOutcome(outcome, Action::kDropped, {}, why);
  ctx->out->warnings.push_back(outcome->flag + " " + FirstValue(flag) + " dropped: " + why);
}

}  // namespace

bool HandleConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  // vLLM expands only the exact word "--config"; an abbreviation reaches argparse, is
  // stored, and the file is silently never read. Say so instead.
  *err = "argument --config: write the option as --config <file.yaml> (abbreviations are not expanded)";
  return false;
}

bool HandleModel(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (ctx->parsed->model_tag && ctx->out->frontend.model == *ctx->parsed->model_tag &&
      FirstValue(flag) != *ctx->parsed->model_tag) {
    SetOutcome(outcome, Action::kDropped, {}, "the positional model wins over --model");
    return true;
  }
  SetOutcome(outcome, Action::kTranslated, {}, "emitted as --model-path " + ctx->out->frontend.model);
  return true;
}

bool HandleRunner(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (FirstValue(flag) == "pooling") {
    ctx->out->frontend.pooling = true;
    SetOutcome(outcome, Action::kTranslated, {"--is-embedding"});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "SGLang serves generative models by default");
  }
  return true;
}

bool HandleConvert(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  if (value == "embed" || value == "classify") {
    ctx->out->frontend.pooling = true;
    ctx->out->frontend.pooling_task = value;
    SetOutcome(outcome, Action::kTranslated, {"--is-embedding"});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "no conversion: SGLang's default");
  }
  return true;
}

bool HandleTokenizerMode(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  if (value == "auto" || value == "hf") {
    SetOutcome(outcome, value == "auto" ? Action::kPassed : Action::kTranslated, {"--tokenizer-mode", "auto"});
  } else if (value == "slow") {
    SetOutcome(outcome, Action::kPassed, {"--tokenizer-mode", "slow"});
  } else {
    DropWithWarning(ctx, flag, outcome, "SGLang only has tokenizer modes auto and slow; using auto");
  }
  return true;
}

bool HandleMaxModelLen(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& raw = FirstValue(flag);
  long long value = 0;
  bool is_auto = IsNoneValue(raw);
  std::string why;
  if (!is_auto && !ParseHumanReadableIntOrAuto(raw, &value, &is_auto, &why)) {
    *err = "argument --max-model-len: " + why;
    return false;
  }
  if (is_auto) {
    SetOutcome(outcome, Action::kDropped, {}, "auto: SGLang takes the context length from the model config");
    return true;
  }
  if (value <= 0) {
    *err = "argument --max-model-len: must be positive, -1 or auto, got '" + raw + "'";
    return false;
  }
  ctx->out->frontend.max_model_len = value;
  SetOutcome(outcome, Action::kTranslated, {"--context-length", std::to_string(value)});
  return true;
}

bool HandleQuantization(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (DropNone(flag, outcome)) return true;
  return PassChoice("--quantization", "--quantization", FirstValue(flag), ctx, outcome, err);
}

bool HandleLoadFormat(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (DropNone(flag, outcome)) return true;
  return PassChoice("--load-format", "--load-format", FirstValue(flag), ctx, outcome, err);
}

bool HandleKvCacheDtype(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  // SGLang has no plain "fp8": vLLM's fp8 (and its fp8 layouts) store E4M3.
  std::string mapped;
  if (value == "fp8" || value == "fp8_e4m3" || value == "fp8_ds_mla" || value == "fp8_inc" ||
      value == "fp8_per_token_head") {
    mapped = "fp8_e4m3";
  } else if (ctx->sglang->AllowsChoice("--kv-cache-dtype", value)) {
    mapped = value;
  }
  if (mapped.empty()) {
    DropWithWarning(ctx, flag, outcome,
                    SglangName(*ctx->sglang) + " has no such KV cache type; it stores the KV cache in the model dtype");
    return true;
  }
  SetOutcome(outcome, mapped == value ? Action::kPassed : Action::kTranslated, {"--kv-cache-dtype", mapped});
  return true;
}

bool HandleModelImpl(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  if (value == "auto" || value == "transformers") {
    SetOutcome(outcome, Action::kPassed, {"--model-impl", value});
  } else {
    DropWithWarning(ctx, flag, outcome, "vLLM-specific model implementation; SGLang picks its own");
  }
  return true;
}

bool HandleHfOverrides(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  bool too_deep = false;
  json parsed = ParseJsonArg(FirstValue(flag), &too_deep);
  if (too_deep) {
    *err = "argument --hf-overrides: JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  if (parsed.is_discarded() || !parsed.is_object()) {
    DropWithWarning(ctx, flag, outcome, "only a JSON object of config overrides can be given to SGLang");
    return true;
  }
  SetOutcome(outcome, Action::kTranslated, {"--json-model-override-args", DumpJsonArg(parsed)});
  return true;
}

bool HandleGenerationConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  if (value == "vllm") {
    SetOutcome(outcome, Action::kTranslated, {"--sampling-defaults", "openai"});
  } else if (value == "auto") {
    SetOutcome(outcome, Action::kTranslated, {"--sampling-defaults", "model"});
  } else {
    DropWithWarning(ctx, flag, outcome, "SGLang reads generation_config.json from the model folder only");
  }
  return true;
}

bool HandleHfToken(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (flag.values.empty() || IsNoneValue(flag.values[0])) {
    SetOutcome(outcome, Action::kDropped, {}, "bare --hf-token: the cached Hugging Face login is used, as by SGLang");
    return true;
  }
  ctx->out->sglang_env.emplace_back("HF_TOKEN", flag.values[0]);
  SetOutcome(outcome, Action::kTranslated, {}, "given to SGLang as the HF_TOKEN environment variable");
  return true;
}

bool HandleServedModelName(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  // The names themselves were collected by the translator (frontend.served_model_names).
  SetOutcome(outcome, flag.values.size() > 1 ? Action::kTranslated : Action::kPassed,
             {"--served-model-name", flag.values.front()},
             flag.values.size() > 1 ? "SGLang takes one name: the first; the front door answers to all of them" : "");
  return true;
}

bool HandleChatTemplate(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (DropNone(flag, outcome)) return true;
  ctx->out->frontend.chat_template = FirstValue(flag);
  SetOutcome(outcome, Action::kPassed, {"--chat-template", FirstValue(flag)});
  return true;
}

bool HandleLimitMmPerPrompt(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  json parsed = ParseJsonArg(FirstValue(flag));
  if (parsed.is_discarded() || !parsed.is_object()) {
    *err = "argument --limit-mm-per-prompt: expected a JSON object such as {\"image\": 2}";
    return false;
  }
  json limits = json::object();
  for (auto it = parsed.begin(); it != parsed.end(); ++it) {
    // Newer vLLM accepts {"image": {"count": 2, "width": ...}}: SGLang only has the count.
    const json& value = it->is_object() && it->contains("count") ? (*it)["count"] : *it;
    if (!value.is_number_integer() || value.get<long long>() < 0) {
      *err = "argument --limit-mm-per-prompt: the limit for '" + it.key() + "' is not a non-negative integer";
      return false;
    }
    limits[it.key()] = value;
  }
  SetOutcome(outcome, Action::kTranslated, {"--limit-mm-data-per-request", DumpJsonArg(limits)});
  return true;
}

bool HandleAttentionBackend(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"FLASH_ATTN", "fa3"},
      {"FLASHINFER", "flashinfer"},
      {"TRITON_ATTN", "triton"},
      {"FLASHMLA", "flashmla"},
      {"CUTLASS_MLA", "cutlass_mla"},
      {"TORCH_SDPA", "torch_native"},
      {"FLEX_ATTENTION", "flex_attention"},
  };
  std::string value = FirstValue(flag);
  std::string upper;
  for (char c : value) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (const auto& [vllm, sglang] : kNames) {
    if (upper == vllm) {
      SetOutcome(outcome, Action::kTranslated, {"--attention-backend", sglang});
      return true;
    }
  }
  if (DropNone(flag, outcome)) return true;
  DropWithWarning(ctx, flag, outcome, "no matching SGLang attention backend; SGLang chooses one");
  return true;
}

bool HandleCpuOffloadGb(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (DropNone(flag, outcome)) return true;
  std::optional<double> gib = ParseDouble(TrimSpaces(FirstValue(flag)));
  if (!gib || *gib < 0 || *gib > 1e6) {
    *err = "argument --cpu-offload-gb: expected a non-negative number of GiB, got '" + FirstValue(flag) + "'";
    return false;
  }
  // Offloading a little more than asked keeps the GPU side within what the user budgeted.
  long long whole = static_cast<long long>(std::ceil(*gib));
  SetOutcome(outcome, Action::kPassed, {"--cpu-offload-gb", std::to_string(whole)});
  return true;
}

bool HandleDevice(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  if (value == "cuda" || value == "cpu" || value == "xpu" || value == "hpu" || value == "npu") {
    SetOutcome(outcome, Action::kPassed, {"--device", value});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "SGLang detects the device itself");
  }
  return true;
}

bool HandleTask(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  const std::string& value = FirstValue(flag);
  if (value == "embed" || value == "embedding" || value == "classify" || value == "score" || value == "reward") {
    ctx->out->frontend.pooling = true;
    // vLLM's legacy names: score is a cross-encoder (classify); reward is neither.
    if (value == "embed" || value == "embedding") ctx->out->frontend.pooling_task = "embed";
    if (value == "classify" || value == "score") ctx->out->frontend.pooling_task = "classify";
    SetOutcome(outcome, Action::kTranslated, {"--is-embedding"});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "generation is SGLang's default");
  }
  return true;
}

bool HandleGuidedDecodingBackend(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome,
                                 std::string* err) {
  const std::string& value = FirstValue(flag);
  if (ctx->sglang->AllowsChoice("--grammar-backend", value) && value != "none") {
    SetOutcome(outcome, Action::kTranslated, {"--grammar-backend", value});
  } else {
    SetOutcome(outcome, Action::kDropped, {}, "SGLang chooses its grammar backend");
  }
  return true;
}

}  // namespace shim
