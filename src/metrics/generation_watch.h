// What the front door measures of one generation request (/v1/completions,
// /v1/chat/completions) from the bytes it relays: when the first and last
// token reached the client, how many tokens each choice carried, why each
// choice finished. SGLang has no per-request source for these, and vLLM's
// dashboards read them (request_time_per_output_token, prefill and decode
// times, finished_reason); docs/metrics.md says how they differ from vLLM's.
//
// The watch only reads: it never changes or delays a byte. Streamed bodies are
// split into SSE frames and each `data:` JSON is scanned once; a plain body is
// kept (up to kMaxBodyBytes) and scanned at the end.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/container/small_vector.hpp>

namespace shim::metrics {

// vLLM's FinishReason values as its metrics label them (vLLM @9aaf83ef
// vllm/v1/engine/__init__.py FINISH_REASON_STRINGS).
enum class FinishReason : uint8_t { kStop, kLength, kAbort, kError, kRepetition };
inline constexpr std::array<std::string_view, 5> kFinishReasonNames = {"stop", "length", "abort", "error",
                                                                       "repetition"};

// One finished generation request as the front door saw it.
struct GenerationRecord {
  bool streamed = false;
  double e2e_seconds = 0;  // request head in → last byte out
  // Streamed only: first token frame since the request arrived, and first to
  // last token frame.
  std::optional<double> first_token_seconds;
  std::optional<double> decode_seconds;
  // From the response's usage object when there is one; otherwise (streamed)
  // the number of frames that carried a token.
  std::optional<uint64_t> prompt_tokens;
  std::optional<uint64_t> generation_tokens;
  std::optional<uint64_t> max_choice_generation_tokens;            // the longest choice (n > 1)
  boost::container::small_vector<FinishReason, 2> finish_reasons;  // one per choice
};

class GenerationWatch {
 public:
  using Clock = std::chrono::steady_clock;

  explicit GenerationWatch(Clock::time_point arrival) : arrival_(arrival) {}

  // SGLang's response head. Only a 2xx response is a generation to count.
  void OnResponseHead(int status, bool event_stream);
  // Decoded body bytes, in order, as they go to the client.
  void OnBody(std::string_view bytes, Clock::time_point now);
  // The exchange ended: `body_complete` when the whole response went out,
  // `client_gone` when the client left first. False when there is nothing to
  // record (no response from SGLang, or not a 2xx).
  bool Finish(bool body_complete, bool client_gone, Clock::time_point now, GenerationRecord* out);

  // A plain body larger than this is not scanned (its latency still counts).
  static constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;
  // Choice indexes at or above this are ignored (n is small in practice).
  static constexpr size_t kMaxChoices = 256;

 private:
  struct Choice {
    uint64_t tokens = 0;
    std::optional<FinishReason> reason;
  };

  void TakeFrame(std::string_view frame, Clock::time_point now);
  void TakeDocument(std::string_view json, bool streamed, Clock::time_point now);
  Choice* ChoiceAt(uint64_t index);

  Clock::time_point arrival_;
  bool counted_ = false;  // a 2xx head arrived
  bool event_stream_ = false;
  bool overflow_ = false;       // plain body too large, or a frame too large to hold
  bool saw_error_ = false;      // an error frame in the stream
  bool line_has_text_ = false;  // streamed: the current line is not blank
  std::string pending_;         // streamed: the frame so far; plain: the body so far
  std::optional<Clock::time_point> first_token_;
  Clock::time_point last_token_{};
  std::optional<uint64_t> usage_prompt_;
  std::optional<uint64_t> usage_completion_;
  boost::container::small_vector<Choice, 2> choices_;
};

// "stop", "tool_calls", ... as SGLang reports a choice's finish_reason (the
// JSON string's contents) → vLLM's engine-level reason.
FinishReason FinishReasonFromOpenAi(std::string_view reason);

}  // namespace shim::metrics
