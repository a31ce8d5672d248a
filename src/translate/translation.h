// The result of turning one vLLM command line into one SGLang command line.
// Produced by TranslateVllmArgs() (translator.h); consumed by the `translate`
// command, the supervisor and the front door.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pd/pd_mode.h"

namespace shim {

struct Endpoint {
  std::string host;
  int port = 0;
};

// What happened to one vLLM flag given on the command line (or in --config).
struct FlagOutcome {
  enum class Action { kTranslated, kDropped, kPassed };
  std::string flag;  // canonical vLLM spelling, e.g. "--max-model-len"
  Action action = Action::kPassed;
  std::vector<std::string> sglang;  // the SGLang argv words it became (empty when dropped)
  std::string reason;               // why, in one sentence
};

const char* ActionName(FlagOutcome::Action action);  // "translated" | "dropped" | "passed"

// An SGLang flag the shim adds by itself, whatever the vLLM command line says
// (--enable-metrics, vLLM's histogram buckets): see src/translate/added_flags.h.
struct AddedFlag {
  std::string flag;                 // the SGLang flag, e.g. "--enable-metrics"
  std::vector<std::string> sglang;  // the SGLang argv words it adds
  std::string reason;               // why, in one sentence
};

// A LoRA adapter given at start-up with --lora-modules.
struct LoraModule {
  std::string name;
  std::string path;
  std::optional<std::string> base_model_name;
};

// The vLLM options the front door itself honours (the engine never sees some of them).
struct FrontendOptions {
  Endpoint listen;                              // vLLM --host/--port (default 0.0.0.0? see vLLM: host None → all)
  Endpoint backend;                             // SGLang: 127.0.0.1:<port+1 or VLLM_SGLANG_BACKEND_PORT>
  std::string model;                            // model path / HF id as given to vLLM
  std::vector<std::string> served_model_names;  // all of them; defaults to {model}
  std::vector<std::string> api_keys;            // --api-key values, then VLLM_API_KEY
  std::vector<LoraModule> lora_modules;
  bool enable_lora = false;
  std::optional<long long> max_model_len;                // when given (auto/-1 → unset)
  std::optional<std::chrono::seconds> shutdown_timeout;  // vLLM --shutdown-timeout
  bool enable_request_id_headers = false;
  bool disable_uvicorn_access_log = false;
  std::string root_path;                        // vLLM --root-path
  std::optional<std::string> tool_call_parser;  // SGLang name after renaming
  std::optional<std::string> reasoning_parser;  // SGLang name after renaming
  std::optional<std::string> chat_template;
  // A pooling model (vLLM --runner pooling, --convert embed|classify, or a pooling --task): vLLM
  // serves the pooling routes and not the generation ones.
  bool pooling = false;
  // The pooling task when the flags name it: "embed" (--convert embed, --task embed|embedding)
  // or "classify" (--convert classify, --task classify|score). Empty when only the runner or
  // --is-embedding says pooling: vLLM then picks by architecture, which the shim cannot see.
  std::string pooling_task;
  // Disaggregated prefill (--kv-transfer-config with a prefill/decode connector): the half of
  // the SGLang pair this engine is, and its bootstrap port.
  pd::PdMode pd_mode = pd::PdMode::kNone;
  int pd_bootstrap_port = pd::kDefaultBootstrapPort;
};

struct Translation {
  std::vector<std::string> sglang_argv;  // words after the launcher command
  std::string sglang_release;            // the recorded SGLang release translated for ("v0.5.4", ...)
  std::string sglang_release_note;       // how it was chosen, one line
  FrontendOptions frontend;
  std::vector<FlagOutcome> flags;     // one per flag given, in argv order
  std::vector<AddedFlag> added;       // flags the shim adds, in argv order; not those VLLM_SGLANG_EXTRA_ARGS replaced
  std::vector<std::string> warnings;  // also logged at start-up
  // Environment for the SGLang process (e.g. HF_TOKEN from --hf-token): secrets stay off
  // its command line.
  std::vector<std::pair<std::string, std::string>> sglang_env;
};

}  // namespace shim
