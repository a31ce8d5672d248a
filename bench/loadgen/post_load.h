// Non-streaming load: `concurrency` keep-alive connections, each sending the
// same POST back to back (closed loop), every latency recorded exactly.
#pragma once
#include <nlohmann/json.hpp>

#include "loadgen/options.h"

namespace shim::loadgen {

// Runs warm-up + window (+ at most grace_s for in-flight requests) and returns
// {"mode":"post", "window_s", "requests", "rps", "latency_us": {...},
//  "non_200", "io_errors", "connects", "statuses", "processes"}.
// Returns false with *err only when the run cannot start (bad endpoint).
bool RunPostLoad(const LoadOptions& options, nlohmann::json* result, std::string* err);

}  // namespace shim::loadgen
