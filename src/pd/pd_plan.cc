#include "pd/pd_plan.h"

#include "common/strings.h"

namespace shim::pd {
namespace {

using nlohmann::json;

std::string StringMember(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Connectors whose whole purpose is moving KV between a prefill and a decode instance.
bool IsTransferConnector(std::string_view name) {
  return name == "NixlConnector" || name == "P2pNcclConnector" || name == "MooncakeConnector" ||
         name == "MoRIIOConnector";
}

bool IsLmcacheConnector(std::string_view name) { return ToLower(name).find("lmcache") != std::string::npos; }

// The connectors MultiConnector chains (kv_connector_extra_config.connectors).
const json* ChainedConnectors(const json& config) {
  auto extra = config.find("kv_connector_extra_config");
  if (extra == config.end() || !extra->is_object()) return nullptr;
  auto list = extra->find("connectors");
  return list != extra->end() && list->is_array() ? &*list : nullptr;
}

// SGLang's backend nearest to vLLM's connector. Either way SGLang moves its own KV; the
// connector only says which fabric the deployment was set up for.
std::string BackendFor(std::string_view connector) {
  if (connector == "NixlConnector" || IsLmcacheConnector(connector)) return "nixl";  // LMCache's PD uses NIXL
  if (connector == "MoRIIOConnector") return "mori";
  return "mooncake";  // SGLang's default
}

}  // namespace

std::string_view PdModeName(PdMode mode) {
  switch (mode) {
    case PdMode::kPrefill:
      return "prefill";
    case PdMode::kDecode:
      return "decode";
    case PdMode::kNone:
      break;
  }
  return "null";
}

bool IsPdConnector(const json& config) {
  if (!config.is_object()) return false;
  const std::string name = StringMember(config, "kv_connector");
  if (IsTransferConnector(name)) return true;
  const std::string role = StringMember(config, "kv_role");
  if (IsLmcacheConnector(name)) return role == "kv_producer" || role == "kv_consumer";
  if (name == "MultiConnector") {
    if (const json* chained = ChainedConnectors(config)) {
      for (const json& inner : *chained) {
        // A chained connector inherits the outer role when it names none.
        json copy = inner;
        if (copy.is_object() && !copy.contains("kv_role") && !role.empty()) copy["kv_role"] = role;
        if (IsPdConnector(copy)) return true;
      }
    }
  }
  return false;
}

bool PdPlanFromKvTransferConfig(const json& config, std::string_view role_setting, std::string_view backend_setting,
                                PdPlan* out, std::string* err) {
  *out = PdPlan{};
  if (!role_setting.empty() && role_setting != "prefill" && role_setting != "decode") {
    *err = "VLLM_SGLANG_PD_ROLE must be prefill or decode, not '" + std::string(role_setting) + "'";
    return false;
  }
  if (!IsPdConnector(config)) {
    if (!role_setting.empty()) {
      *err = "VLLM_SGLANG_PD_ROLE=" + std::string(role_setting) +
             " needs --kv-transfer-config with a prefill/decode connector (NixlConnector, MooncakeConnector, "
             "P2pNcclConnector, or LMCacheConnectorV1 with kv_producer/kv_consumer)";
      return false;
    }
    return true;
  }
  out->connector = StringMember(config, "kv_connector");
  const std::string role = StringMember(config, "kv_role");
  PdMode from_config = role == "kv_producer"   ? PdMode::kPrefill
                       : role == "kv_consumer" ? PdMode::kDecode
                                               : PdMode::kNone;
  PdMode from_setting = role_setting == "prefill"  ? PdMode::kPrefill
                        : role_setting == "decode" ? PdMode::kDecode
                                                   : PdMode::kNone;
  if (from_config != PdMode::kNone && from_setting != PdMode::kNone && from_config != from_setting) {
    *err = "VLLM_SGLANG_PD_ROLE=" + std::string(role_setting) + " contradicts kv_role " + role +
           " in --kv-transfer-config";
    return false;
  }
  out->mode = from_config != PdMode::kNone ? from_config : from_setting;
  if (out->mode == PdMode::kNone) {
    *err = "--kv-transfer-config: " + out->connector + " with kv_role " + (role.empty() ? "unset" : role) +
           " does not say whether this engine prefills or decodes; set VLLM_SGLANG_PD_ROLE=prefill or decode";
    return false;
  }
  std::string connector = out->connector;
  if (connector == "MultiConnector") {
    // Name the chained connector that moves the KV.
    if (const json* chained = ChainedConnectors(config)) {
      for (const json& inner : *chained) {
        json copy = inner;
        if (copy.is_object() && !copy.contains("kv_role")) copy["kv_role"] = role;
        if (IsPdConnector(copy)) {
          connector = StringMember(copy, "kv_connector");
          break;
        }
      }
    }
  }
  out->transfer_backend = backend_setting.empty() ? BackendFor(connector) : std::string(backend_setting);
  return true;
}

}  // namespace shim::pd
