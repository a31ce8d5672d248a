// Deterministic "model": the answer is a fixed word sequence derived from a hash
// of the prompt, so tests can predict it and benchmarks pay almost nothing for it.
// Token counting: one token per whitespace-separated word (prompt and answer alike).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shim::fake_sglang {

// Tokens as the client sees them: the first is a bare word, the next ones start with a space,
// so concatenating them gives the answer text.
struct Generation {
  std::vector<std::string> tokens;
  std::string finish_reason;                // "stop" or "length"
  std::optional<std::string> matched_stop;  // the stop string that ended the answer
  std::string Text() const;
};

struct GenerationParams {
  std::string_view prompt;        // the full prompt text (chat: the messages' contents)
  int choice_index = 0;           // n > 1 gives each choice its own sequence
  std::string adapter;            // LoRA adapter name, "" for the base model
  std::optional<int> max_tokens;  // nullopt: stop at the natural end ("EOS")
  bool ignore_eos = false;        // SGLang extra: generate exactly max_tokens
  std::vector<std::string> stop;  // stop strings; the answer ends before the first match
  int audio_items = 0;            // audio inputs: the answer names them first ("[audio:N]")
};

// Number of tokens the stand-in counts for a text (whitespace-separated words, at least 1
// for non-empty text).
int CountTokens(std::string_view text);

uint64_t HashText(std::string_view text);

// The answer for a prompt: 8..16 words unless max_tokens cuts it ("length") or a stop string
// ends it ("stop"). With an adapter, the first token is "[lora:<name>]" so tests can see it ran.
Generation Generate(const GenerationParams& params);

// A fixed log-probability for the i-th token (negative, deterministic), and the
// alternative tokens offered as top_logprobs.
double TokenLogprob(size_t index);
std::vector<std::pair<std::string, double>> TopLogprobs(const std::string& token, size_t index, int count);

// Fake token ids for /tokenize and /detokenize: each word maps to a stable id.
std::vector<int64_t> TokenizeIds(std::string_view text);
std::string DetokenizeIds(const std::vector<int64_t>& ids);

}  // namespace shim::fake_sglang
