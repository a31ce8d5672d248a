// Handlers for the JSON-configured features: speculative decoding and KV transfer.
#include <nlohmann/json.hpp>

#include "cli/json_arg.h"
#include "common/strings.h"
#include "pd/pd_plan.h"
#include "translate/flag_handlers.h"

namespace shim {
namespace {

using Action = FlagOutcome::Action;
using nlohmann::json;

void Claim(TranslateContext* ctx, FlagOutcome* outcome) {
  if (!ctx->speculative.outcome_index) ctx->speculative.outcome_index = ctx->current_outcome;
  SetOutcome(outcome, Action::kTranslated, {});
}

bool ReadCount(const json& value, const char* what, long long* out, std::string* err) {
  if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 64) {
    *err = std::string("argument --speculative-config: ") + what + " must be an integer between 1 and 64";
    return false;
  }
  *out = value.get<long long>();
  return true;
}

// vLLM method names (vllm/config/speculative.py) -> SGLang --speculative-algorithm builtins.
bool MapMethod(const std::string& method, std::string* algorithm) {
  if (method == "eagle")
    *algorithm = "EAGLE";
  else if (method == "eagle3")
    *algorithm = "EAGLE3";
  else if (method == "ngram" || method == "ngram_gpu")
    *algorithm = "NGRAM";
  else if (method == "draft_model")
    *algorithm = "STANDALONE";
  else if (method == "dflash")
    *algorithm = "DFLASH";
  else if (method == "mtp" || EndsWith(method, "_mtp"))
    *algorithm = "NEXTN";
  else
    return false;
  return true;
}

}  // namespace

bool HandleSpeculativeConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: no speculative decoding");
    return true;
  }
  json config = ParseJsonArg(FirstValue(flag));
  if (config.is_discarded() || !config.is_object()) {
    *err = "argument --speculative-config: expected a JSON object";
    return false;
  }
  auto& spec = ctx->speculative;
  if (config.contains("method") && !config["method"].is_null()) {
    if (!config["method"].is_string()) {
      *err = "argument --speculative-config: \"method\" must be a string";
      return false;
    }
    spec.method = config["method"].get<std::string>();
  }
  if (config.contains("model") && !config["model"].is_null()) {
    if (!config["model"].is_string()) {
      *err = "argument --speculative-config: \"model\" must be a string";
      return false;
    }
    spec.model = config["model"].get<std::string>();
  }
  long long count = 0;
  if (config.contains("num_speculative_tokens")) {
    if (!ReadCount(config["num_speculative_tokens"], "num_speculative_tokens", &count, err)) return false;
    spec.num_tokens = count;
  }
  Claim(ctx, outcome);
  return true;
}

bool HandleSpecMethod(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None");
    return true;
  }
  ctx->speculative.method = FirstValue(flag);
  Claim(ctx, outcome);
  return true;
}

bool HandleSpecModel(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None");
    return true;
  }
  ctx->speculative.model = FirstValue(flag);
  Claim(ctx, outcome);
  return true;
}

bool HandleSpecTokens(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  std::optional<long long> count = ParseInt(TrimSpaces(FirstValue(flag)));
  if (!count || *count < 1 || *count > 64) {
    *err = "argument " + flag.spelling + ": must be an integer between 1 and 64, got '" + FirstValue(flag) + "'";
    return false;
  }
  ctx->speculative.num_tokens = *count;
  Claim(ctx, outcome);
  return true;
}

bool FinishSpeculative(TranslateContext* ctx, std::string* err) {
  auto& spec = ctx->speculative;
  if (!spec.outcome_index) return true;
  std::string algorithm;
  if (spec.method) {
    if (!MapMethod(*spec.method, &algorithm)) {
      *err = "argument --speculative-config: SGLang has no speculative method equivalent to '" + *spec.method +
             "' (SGLang: EAGLE, EAGLE3, NEXTN, NGRAM, STANDALONE, DFLASH)";
      return false;
    }
  } else if (spec.model) {
    // vLLM infers the method from the draft model's name.
    std::string lower = ToLower(*spec.model);
    algorithm = lower.find("eagle3") != std::string::npos  ? "EAGLE3"
                : lower.find("eagle") != std::string::npos ? "EAGLE"
                                                           : "STANDALONE";
  } else {
    *err = "argument --speculative-config: needs a \"method\" or a draft \"model\"";
    return false;
  }
  std::vector<std::string> words{"--speculative-algorithm", algorithm};
  if (spec.model && algorithm != "NGRAM") words.insert(words.end(), {"--speculative-draft-model-path", *spec.model});
  if (algorithm != "NGRAM" && algorithm != "NEXTN" && algorithm != "DFLASH" && !spec.model) {
    *err = "argument --speculative-config: method '" + spec.method.value_or("") + "' needs a draft \"model\"";
    return false;
  }
  if (spec.num_tokens) {
    long long k = *spec.num_tokens;
    if (algorithm == "NGRAM") {
      words.insert(words.end(), {"--speculative-num-draft-tokens", std::to_string(k)});
    } else {
      // vLLM drafts a chain of k tokens: k steps, one candidate per step, k+1 verified tokens.
      words.insert(words.end(), {"--speculative-num-steps", std::to_string(k), "--speculative-eagle-topk", "1",
                                 "--speculative-num-draft-tokens", std::to_string(k + 1)});
    }
  }
  FlagOutcome& outcome = ctx->out->flags[*spec.outcome_index];
  outcome.sglang = std::move(words);
  return true;
}

bool HandleKvTransferConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err) {
  if (IsNoneValue(FirstValue(flag))) {
    SetOutcome(outcome, Action::kDropped, {}, "set to None: no KV transfer");
    return true;
  }
  json config = ParseJsonArg(FirstValue(flag));
  if (config.is_discarded() || !config.is_object()) {
    *err = "argument --kv-transfer-config: expected a JSON object";
    return false;
  }
  std::string connector;
  if (config.contains("kv_connector") && config["kv_connector"].is_string()) {
    connector = config["kv_connector"].get<std::string>();
  }
  // A connector that moves KV from a prefill instance to a decode instance: SGLang's PD.
  pd::PdPlan plan;
  std::string why_not;
  const Settings& settings = *ctx->settings;
  if (!pd::PdPlanFromKvTransferConfig(config, settings.pd_role, settings.pd_transfer_backend, &plan, &why_not)) {
    *err = why_not;
    return false;
  }
  if (plan.mode != pd::PdMode::kNone) {
    const std::string port = std::to_string(settings.pd_bootstrap_port);
    SetOutcome(outcome, Action::kTranslated,
               {"--disaggregation-mode", std::string(pd::PdModeName(plan.mode)), "--disaggregation-transfer-backend",
                plan.transfer_backend, "--disaggregation-bootstrap-port", port},
               connector + " as the " + std::string(pd::PdModeName(plan.mode)) + " side: SGLang " +
                   std::string(pd::PdModeName(plan.mode)) + " server, " + plan.transfer_backend +
                   " transfer, bootstrap port " + port + "; the front door bridges the router's legs");
    ctx->out->frontend.pd_mode = plan.mode;
    ctx->out->frontend.pd_bootstrap_port = settings.pd_bootstrap_port;
    return true;
  }
  if (ToLower(connector).find("lmcache") != std::string::npos) {
    SetOutcome(outcome, Action::kTranslated, {"--enable-lmcache"},
               "LMCache connector (" + connector + ") becomes --enable-lmcache");
    return true;
  }
  std::string why = "connector '" + connector + "' has no SGLang equivalent (SGLang's disaggregation flags differ)";
  SetOutcome(outcome, Action::kDropped, {}, why);
  ctx->out->warnings.push_back("--kv-transfer-config dropped: " + why);
  return true;
}

}  // namespace shim
