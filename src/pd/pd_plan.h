// Which half of an SGLang prefill/decode pair an engine is, read from vLLM's
// --kv-transfer-config. vLLM moves KV between instances with a connector (vLLM @9aaf83ef
// vllm/distributed/kv_transfer/kv_connector/factory.py) and names the side with kv_role:
// kv_producer is the prefill, kv_consumer the decode, kv_both either (NixlConnector
// deployments set kv_both on both sides, so the role must then come from a setting). SGLang
// moves KV itself, with --disaggregation-mode prefill|decode and a transfer backend
// (python/sglang/srt/server_args.py: mooncake by default, nixl, mori, ...).
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pd/pd_mode.h"

namespace shim::pd {

struct PdPlan {
  PdMode mode = PdMode::kNone;
  std::string connector;         // vLLM's, for the explanation
  std::string transfer_backend;  // SGLang's --disaggregation-transfer-backend
};

// True for a connector that moves KV from a prefill instance to a decode instance, as opposed to
// one that offloads or shares it (SharedStorage, Offloading, DecodeBench; LMCache with kv_both).
bool IsPdConnector(const nlohmann::json& config);

// The plan for `config` (a parsed --kv-transfer-config object). `role_setting`: "", "prefill" or
// "decode" (VLLM_SGLANG_PD_ROLE), needed when kv_role is kv_both and refused when it contradicts
// kv_role. `backend_setting`: "" or SGLang's backend name (VLLM_SGLANG_PD_TRANSFER_BACKEND).
// A config without a PD connector gives mode kNone. False with *err: a PD connector whose role
// cannot be told, or a setting that contradicts the config.
bool PdPlanFromKvTransferConfig(const nlohmann::json& config, std::string_view role_setting,
                                std::string_view backend_setting, PdPlan* out, std::string* err);

}  // namespace shim::pd
