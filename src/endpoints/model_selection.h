// Which model a generation request runs, decided as vLLM decides it
// (OpenAIServing._check_model / models.model_name): `model` absent, empty or
// any served name → the base model, answered under the name sent (the first
// served name when none was sent: serving_engine.py _get_model_name); a
// loaded adapter's name → that adapter, answered under its name; anything else
// → 404 NotFoundError.
//
// SGLang does not check `model`, echoes it in its answer, and selects a LoRA
// adapter only from `"lora_path": "<name>"` or a "base:adapter" model
// (SGLang @8905cbd4 python/sglang/srt/entrypoints/openai/serving_base.py; docs/endpoints.md).
// So the body is edited by splicing bytes: `model` becomes the name vLLM would
// answer with, `lora_path` names the adapter (or is removed for the base), and
// only when that name contains ':' (which SGLang would split) is a neutral
// name sent and the answer renamed back (RenameModelIn*).
#pragma once
#include <string>
#include <string_view>

#include "endpoints/endpoint_reply.h"
#include "endpoints/model_registry.h"
#include "rewrite/json_scanner.h"

namespace shim::endpoints {

struct ModelSelection {
  bool adapter = false;
  std::string answer_model;    // the `model` vLLM would put in its answer
  bool rename_answer = false;  // SGLang will answer with another name: rename it back
  bool body_edited = false;    // the request body was changed (model or lora_path)
};

// The colon-free name sent to SGLang when the real one contains ':'.
inline constexpr std::string_view kNeutralModelName = "vllm-sglang-shim-model";

// Edits *body in place. Bodies that are not a JSON object, or whose `model` is
// not a string, are left for SGLang's own validation (returns true, no edit
// besides none). Returns false with *reject for an unknown model. `scan`, when
// not null, is a scan of *body already made (the rewrite's): it saves a pass.
bool SelectModel(const ModelRegistry& registry, std::string* body, const JsonObjectScan* scan, ModelSelection* out,
                 EndpointReply* reject);

// Sets the root object's `model` member of a JSON response to `name`. Leaves
// bodies without a string `model` alone.
void RenameModelInJson(std::string* body, const std::string& name);

// Same for one SSE frame ("data: {...}\n\n"); other frames ([DONE], comments,
// non-JSON data) are left alone. Stateless, so streams are not buffered.
void RenameModelInSseFrame(std::string* frame, const std::string& name);

}  // namespace shim::endpoints
