// vLLM's kv_transfer_params, the dict production-stack's router carries from the prefill
// answer into the decode leg (production-stack @a6c01db0
// src/vllm_router/services/request_service/request.py, route_orchestrated_disaggregated_request:
// the prefill leg sends {do_remote_decode: true, ...}, the decode leg gets the answer's dict
// verbatim with remote_host overwritten by the prefill URL's host). Here the dict carries what an
// SGLang decode server needs to find its prefill: the bootstrap host, port and room.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace shim::pd {

// Where a decode server fetches a request's KV: the prefill's bootstrap listener and the room.
struct BootstrapTarget {
  std::string host;
  int port = 0;
  uint64_t room = 0;
};

// True when a request's kv_transfer_params ask for a remote decode: the router's orchestrated
// prefill leg.
bool AsksForRemoteDecode(const nlohmann::json& request);

// The prefill answer's kv_transfer_params: vLLM's members (do_remote_prefill, remote_host,
// remote_port, remote_engine_id, remote_block_ids) naming the bootstrap listener, plus
// bootstrap_room. remote_engine_id is the room in decimal, so a copy that keeps only vLLM's
// members still pairs the legs.
nlohmann::ordered_json PrefillKvTransferParams(const BootstrapTarget& target);

// A decode leg's kv_transfer_params → the target. False with *err when they do not name one
// (a client error: the caller answers 400).
bool BootstrapTargetFromKvTransferParams(const nlohmann::json& params, BootstrapTarget* out, std::string* err);

}  // namespace shim::pd
