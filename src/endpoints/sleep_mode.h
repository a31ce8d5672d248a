// vLLM's sleep mode (POST /sleep, POST /wake_up, GET /is_sleeping; dev mode
// only; vllm/entrypoints/serve/dev/... and vllm/v1/executor: sleeping tags)
// mapped onto SGLang's /release_memory_occupation and
// /resume_memory_occupation (python/sglang/srt/entrypoints/http_server.py),
// which take {"tags": [...] | null} with tags weights, kv_cache, cuda_graph.
//
// vLLM level 1 offloads weights and discards the KV cache; level 2 discards
// both. SGLang releases everything either way (its weights are restored from
// the checkpoint or its CPU backup on resume), so both levels release all tags
// and the level only shows in vllm:engine_sleep_state. Like vLLM's executor,
// the engine counts as sleeping until every released tag is woken again.
// Pure state: no I/O; the handlers call SGLang and then report the outcome.
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "endpoints/endpoint_reply.h"

namespace shim::endpoints {

enum class PauseMode { kAbort, kWait, kKeep };

struct SleepCommand {
  int level = 1;
  PauseMode mode = PauseMode::kAbort;
};

// The last `mode` parameter of a query (abort|wait|keep), as vLLM's /sleep and /pause read it;
// *mode keeps its value when there is none. False with *reject (400) on another value.
bool ParsePauseModeParam(std::string_view query, PauseMode* mode, EndpointReply* reject);

// Parses /sleep's query string: level (default "1", an integer; any level
// other than 1 behaves as 2, as in vLLM) and mode (abort|wait|keep, default
// abort). Returns false with *reject (400) on a malformed value.
bool ParseSleepQuery(std::string_view query, SleepCommand* out, EndpointReply* reject);

// Parses /wake_up's repeated `tags` parameters. Empty result: wake everything.
// Tags vLLM knows: "weights", "kv_cache"; anything else is a 400.
bool ParseWakeTags(std::string_view query, std::vector<std::string>* tags, EndpointReply* reject);

// All values of one query parameter, percent-decoded ('+' is a space).
std::vector<std::string> QueryValues(std::string_view query, std::string_view name);

class SleepState {
 public:
  bool sleeping() const { return !asleep_tags_.empty(); }
  int level() const { return level_; }
  const std::set<std::string>& asleep_tags() const { return asleep_tags_; }

  // What to send SGLang for a sleep. Empty when nothing needs releasing (the
  // engine already sleeps: only the level is updated).
  std::string ReleaseBody() const;
  // What to send SGLang for a wake-up with these vLLM tags (empty = all).
  // Empty string when nothing asleep is named.
  std::string ResumeBody(const std::vector<std::string>& tags) const;

  void OnSlept(int level);
  void OnWoken(const std::vector<std::string>& tags);

  // {"is_sleeping": bool}
  std::string IsSleepingJson() const;

  // vllm:engine_sleep_state samples (vllm/v1/metrics/loggers.py): label
  // sleep_state = awake | weights_offloaded | discard_all, each 0 or 1.
  std::vector<std::pair<std::string, double>> GaugeSamples() const;

 private:
  std::set<std::string> asleep_tags_;  // vLLM tags still asleep
  int level_ = 0;
};

// SGLang tags for a set of vLLM tags: the CUDA-graph buffers come back with
// the KV cache, since decoding needs both.
std::vector<std::string> SglangTagsFor(const std::vector<std::string>& vllm_tags);

// 503 for generation requests while the engine sleeps: SGLang would fail or
// hang on released memory, so the client gets a clear answer instead.
EndpointReply EngineSleepingReply();

// Paths that run the model (answered by EngineSleepingReply while sleeping).
bool IsGenerationPath(std::string_view path);

}  // namespace shim::endpoints
