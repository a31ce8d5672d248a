// What a prefill engine's front door answers the router's prefill leg with, at once.
//
// production-stack's router awaits the prefill leg's JSON before it sends the decode leg
// (production-stack @a6c01db0 src/vllm_router/services/request_service/request.py), while an
// SGLang prefill server holds its request until the decode server for the same room connects
// (SGLang @8905cbd4 python/sglang/srt/disaggregation/prefill.py). So the front door answers
// before SGLang has prefilled: a vLLM-shaped completion (chat or text, as the route) with
// finish_reason "length", as for the one token the router asked for, and the
// kv_transfer_params that lead the decode leg to this prefill. The token itself is produced
// by the decode server; this answer's text is empty and its usage counts nothing, since no
// engine has counted anything yet.
#pragma once
#include <string>
#include <string_view>

#include "pd/kv_transfer_params.h"

namespace shim::pd {

enum class LegRoute { kChatCompletions, kCompletions };

// `request_id`: the X-Request-Id (vLLM's ids are "chatcmpl-<id>" and "cmpl-<id>").
std::string PrefillLegAnswer(LegRoute route, std::string_view request_id, std::string_view model, long long created,
                             const BootstrapTarget& target);

}  // namespace shim::pd
