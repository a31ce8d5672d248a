// Which bootstrap room and listener each of the router's legs names, in both of
// production-stack's routing modes (production-stack @a6c01db0
// src/vllm_router/services/request_service/request.py):
//
// - disaggregated_prefill_orchestrated: the prefill leg carries kv_transfer_params with
//   do_remote_decode; the prefill's answer carries the target back (prefill_answer.h), and the
//   router copies it into the decode leg, with remote_host set to the prefill URL's host.
// - disaggregated_prefill: neither leg carries anything but the same X-Request-Id (the
//   client's, or a uuid4 the router makes); both sides derive the room from it, and the decode
//   side names the prefill from a setting.
#pragma once
#include <string>
#include <string_view>

#include "pd/kv_transfer_params.h"
#include "rewrite/json_scanner.h"

namespace shim::pd {

// The prefill leg's target: this pod's listener (`pod_address`, `bootstrap_port`) and a room,
// fresh for an orchestrated leg, else derived from `request_id` (fresh when that is empty).
BootstrapTarget PrefillLegTarget(std::string_view body, const JsonObjectScan& scan, std::string_view request_id,
                                 const std::string& pod_address, int bootstrap_port);

// The decode leg's target: from its kv_transfer_params when it has them, else `prefill_host`
// with `bootstrap_port` and the room derived from `request_id`. False with *err when the leg
// names no target (malformed kv_transfer_params, or neither they nor a prefill host and a
// request id): a 400 for the client.
bool DecodeLegTarget(std::string_view body, const JsonObjectScan& scan, std::string_view request_id,
                     const std::string& prefill_host, int bootstrap_port, BootstrapTarget* out, std::string* err);

}  // namespace shim::pd
