// The request SGLang's prefill or decode server gets: the client's body with SGLang's
// bootstrap_host, bootstrap_port and bootstrap_room set (SGLang @8905cbd4
// python/sglang/srt/managers/io_struct.py, GenerateReqInput; the OpenAI routes pass them
// through), and vLLM's kv_transfer_params, which SGLang does not know, removed. Bootstrap fields
// the client sent are replaced: only the shim chooses where an engine fetches KV from.
#pragma once
#include <string>
#include <string_view>

#include "pd/kv_transfer_params.h"
#include "rewrite/json_scanner.h"

namespace shim::pd {

// `body` is a JSON object and `scan` its scan. Every other byte is kept.
std::string WithBootstrapFields(std::string_view body, const JsonObjectScan& scan, const BootstrapTarget& target);

}  // namespace shim::pd
