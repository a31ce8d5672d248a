// Streaming load: `concurrency` SSE chat streams held open at once (each
// restarted on its connection when it ends), recording time to first token and
// every chunk's latency from the engine's stamp (fake_sent_ns), while side
// probes hit /health (and anything else) and the proxy's RSS is sampled.
#pragma once
#include <nlohmann/json.hpp>

#include "loadgen/options.h"

namespace shim::loadgen {

// Returns {"mode":"stream", "window_s", "streams", "streams_started",
//  "streams_completed", "stream_errors", "non_200", "max_streaming",
//  "ttft_us": {...}, "chunk_us": {...}, "chunks", "unstamped_chunks",
//  "probes": {...}, "rss": {...}, "processes": {...}}.
// Returns false with *err only when the run cannot start.
bool RunStreamLoad(const LoadOptions& options, nlohmann::json* result, std::string* err);

}  // namespace shim::loadgen
