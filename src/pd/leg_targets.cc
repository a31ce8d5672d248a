#include "pd/leg_targets.h"

#include "pd/bootstrap_room.h"

namespace shim::pd {
namespace {

constexpr size_t kMaxDepth = 16;

// The last kv_transfer_params member, parsed (Python's json keeps the last of duplicate keys);
// discarded when absent or null.
nlohmann::json KvTransferParams(std::string_view body, const JsonObjectScan& scan) {
  nlohmann::json params(nlohmann::json::value_t::discarded);
  for (const JsonMember& member : scan.members) {
    if (member.key != "kv_transfer_params") continue;
    nlohmann::json value;
    params = member.kind != JsonKind::kNull && ParseJsonValue(member.Value(body), kMaxDepth, &value)
                 ? std::move(value)
                 : nlohmann::json(nlohmann::json::value_t::discarded);
  }
  return params;
}

}  // namespace

BootstrapTarget PrefillLegTarget(std::string_view body, const JsonObjectScan& scan, std::string_view request_id,
                                 const std::string& pod_address, int bootstrap_port) {
  BootstrapTarget target{pod_address, bootstrap_port, 0};
  nlohmann::json request = nlohmann::json::object();
  nlohmann::json params = KvTransferParams(body, scan);
  if (!params.is_discarded()) request["kv_transfer_params"] = std::move(params);
  const bool orchestrated = AsksForRemoteDecode(request);
  target.room = orchestrated || request_id.empty() ? NewBootstrapRoom() : BootstrapRoomFromRequestId(request_id);
  return target;
}

bool DecodeLegTarget(std::string_view body, const JsonObjectScan& scan, std::string_view request_id,
                     const std::string& prefill_host, int bootstrap_port, BootstrapTarget* out, std::string* err) {
  nlohmann::json params = KvTransferParams(body, scan);
  if (!params.is_discarded()) return BootstrapTargetFromKvTransferParams(params, out, err);
  if (prefill_host.empty()) {
    *err = "This decode engine needs the prefill's kv_transfer_params in the request (no prefill host is set)";
    return false;
  }
  if (request_id.empty()) {
    *err = "This decode engine needs kv_transfer_params or an X-Request-Id header to find the request's prefill";
    return false;
  }
  *out = BootstrapTarget{prefill_host, bootstrap_port, BootstrapRoomFromRequestId(request_id)};
  return true;
}

}  // namespace shim::pd
