#include "metrics/generation_watch.h"

#include <charconv>
#include <cstring>

namespace shim::metrics {
namespace {

using Clock = GenerationWatch::Clock;
constexpr size_t kNpos = std::string_view::npos;

double SecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::max(0.0, std::chrono::duration<double>(to - from).count());
}

// A walk over SGLang's own JSON that finds values without validating them:
// the watch only reads what is relayed anyway, and must cost little per
// token. Malformed input ends a walk early (kNpos); every loop advances.
bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsJsonSpace(s[i])) ++i;
  return i;
}

// `i` at an opening quote: just past the closing one. memchr finds each
// candidate quote (long contents are the common case); a quote preceded by an
// odd run of backslashes is escaped.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size();) {
    const void* found = std::memchr(s.data() + i, '"', s.size() - i);
    if (found == nullptr) return kNpos;
    const size_t quote = static_cast<size_t>(static_cast<const char*>(found) - s.data());
    size_t backslashes = 0;
    while (quote - backslashes > i && s[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    i = quote + 1;
  }
  return kNpos;
}

// Just past the value that starts at `i`.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return kNpos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] != '{' && s[i] != '[') {
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !IsJsonSpace(s[i])) ++i;
    return i;
  }
  size_t depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      i = SkipString(s, i);
      if (i == kNpos) return kNpos;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
    ++i;
  }
  return kNpos;
}

// Calls each(key, value) for the members of the object `s` (keys as written,
// without quotes; values as text).
template <typename Each>
void ForEachMember(std::string_view s, Each each) {
  if (s.empty() || s[0] != '{') return;
  size_t i = SkipSpace(s, 1);
  while (i < s.size() && s[i] == '"') {
    const size_t key_end = SkipString(s, i);
    if (key_end == kNpos) return;
    const std::string_view key = s.substr(i + 1, key_end - i - 2);
    i = SkipSpace(s, key_end);
    if (i >= s.size() || s[i] != ':') return;
    const size_t value_begin = SkipSpace(s, i + 1);
    const size_t value_end = SkipValue(s, value_begin);
    if (value_end == kNpos) return;
    each(key, s.substr(value_begin, value_end - value_begin));
    i = SkipSpace(s, value_end);
    if (i >= s.size() || s[i] != ',') return;
    i = SkipSpace(s, i + 1);
  }
}

// Calls each(element) for the elements of the array `s`.
template <typename Each>
void ForEachElement(std::string_view s, Each each) {
  if (s.empty() || s[0] != '[') return;
  size_t i = SkipSpace(s, 1);
  while (i < s.size() && s[i] != ']') {
    const size_t end = SkipValue(s, i);
    if (end == kNpos || end == i) return;
    each(s.substr(i, end - i));
    i = SkipSpace(s, end);
    if (i >= s.size() || s[i] != ',') return;
    i = SkipSpace(s, i + 1);
  }
}

std::optional<uint64_t> ParseCount(std::string_view number) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return std::nullopt;
  return value;
}

// At least one token's worth of output: a non-empty string, or a non-empty
// array (tool calls).
bool CarriesOutput(std::string_view value) {
  if (value.size() > 2 && value.front() == '"') return true;
  return value.size() > 2 && value.front() == '[' && SkipSpace(value, 1) < value.size() - 1;
}

}  // namespace

FinishReason FinishReasonFromOpenAi(std::string_view reason) {
  // vLLM's engine reports "stop" for what its API calls tool_calls (a stop
  // after a parsed tool call); SGLang's "abort" is vLLM's too.
  if (reason == "length") return FinishReason::kLength;
  if (reason == "abort") return FinishReason::kAbort;
  if (reason == "error") return FinishReason::kError;
  if (reason == "repetition") return FinishReason::kRepetition;
  return FinishReason::kStop;
}

void GenerationWatch::OnResponseHead(int status, bool event_stream) {
  counted_ = status >= 200 && status < 300;
  event_stream_ = event_stream;
}

GenerationWatch::Choice* GenerationWatch::ChoiceAt(uint64_t index) {
  if (index >= kMaxChoices) return nullptr;
  if (choices_.size() <= index) choices_.resize(static_cast<size_t>(index) + 1);
  return &choices_[static_cast<size_t>(index)];
}

void GenerationWatch::OnBody(std::string_view bytes, Clock::time_point now) {
  if (!counted_ || bytes.empty()) return;
  if (!event_stream_) {
    if (overflow_) return;
    if (pending_.size() + bytes.size() > kMaxBodyBytes) {
      overflow_ = true;
      pending_.clear();
      pending_.shrink_to_fit();
      return;
    }
    pending_.append(bytes);
    return;
  }
  // Frames end with a blank line (LF or CRLF line ends, split anywhere).
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    std::string_view piece = bytes.substr(0, newline == std::string_view::npos ? bytes.size() : newline + 1);
    bytes.remove_prefix(piece.size());
    if (piece.find_first_not_of("\r\n") != std::string_view::npos) line_has_text_ = true;
    if (!overflow_ && pending_.size() + piece.size() > kMaxBodyBytes) {
      overflow_ = true;  // a frame this long is not scanned; the next one is
      pending_.clear();
    }
    if (!overflow_) pending_.append(piece);
    if (piece.back() != '\n') return;  // the line goes on in the next read
    const bool blank = !line_has_text_;
    line_has_text_ = false;
    if (!blank) continue;
    if (!overflow_) TakeFrame(pending_, now);
    overflow_ = false;
    pending_.clear();
  }
}

void GenerationWatch::TakeFrame(std::string_view frame, Clock::time_point now) {
  // Only `data:` lines matter; a frame with several has them joined by "\n".
  std::string joined;
  std::string_view data;
  int data_lines = 0;
  while (!frame.empty()) {
    size_t end = frame.find('\n');
    std::string_view line = frame.substr(0, end);
    frame.remove_prefix(end == std::string_view::npos ? frame.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "data:") continue;
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (++data_lines == 1) {
      data = line;
    } else {
      if (data_lines == 2) joined.assign(data);
      joined.append("\n").append(line);
    }
  }
  if (data_lines > 1) data = joined;
  if (data_lines == 0 || data == "[DONE]") return;
  TakeDocument(data, true, now);
}

void GenerationWatch::TakeDocument(std::string_view json, bool streamed, Clock::time_point now) {
  std::string_view choices, usage;
  bool error = false;
  ForEachMember(json, [&](std::string_view key, std::string_view value) {
    if (key == "choices") {
      choices = value;
    } else if (key == "usage") {
      usage = value;
    } else if (key == "error") {
      error = !value.empty() && value.front() == '{';  // SGLang's {"error": {...}}
    } else if (key == "object") {
      error = error || value == "\"error\"";  // older SGLang's flat error object
    }
  });
  if (streamed && error) {
    saw_error_ = true;
    return;
  }
  ForEachMember(usage, [&](std::string_view key, std::string_view value) {
    if (key == "prompt_tokens") {
      if (auto n = ParseCount(value)) usage_prompt_ = n;
    } else if (key == "completion_tokens") {
      if (auto n = ParseCount(value)) usage_completion_ = n;
    }
  });
  bool token_frame = false;
  uint64_t position = 0;
  ForEachElement(choices, [&](std::string_view element) {
    std::optional<uint64_t> index;
    std::string_view reason;
    bool carries = false;
    ForEachMember(element, [&](std::string_view key, std::string_view value) {
      if (key == "index") {
        index = ParseCount(value);
      } else if (key == "finish_reason") {
        reason = value;
      } else if (key == "text") {  // /v1/completions
        carries = CarriesOutput(value);
      } else if (key == "delta") {  // /v1/chat/completions
        ForEachMember(value, [&](std::string_view field, std::string_view output) {
          if (field == "content" || field == "reasoning_content" || field == "reasoning" || field == "tool_calls") {
            carries = carries || CarriesOutput(output);
          }
        });
      }
    });
    Choice* slot = ChoiceAt(index.value_or(position++));
    if (slot == nullptr) return;
    if (reason.size() >= 2 && reason.front() == '"') {
      slot->reason = FinishReasonFromOpenAi(reason.substr(1, reason.size() - 2));
    }
    if (streamed && carries) {
      ++slot->tokens;
      token_frame = true;
    }
  });
  if (token_frame) {
    if (!first_token_) first_token_ = now;
    last_token_ = now;
  }
}

bool GenerationWatch::Finish(bool body_complete, bool client_gone, Clock::time_point now, GenerationRecord* out) {
  if (!counted_) return false;
  *out = GenerationRecord();
  out->streamed = event_stream_;
  out->e2e_seconds = SecondsBetween(arrival_, now);
  if (!event_stream_ && body_complete && !overflow_ && !pending_.empty()) TakeDocument(pending_, false, now);
  if (first_token_) {
    out->first_token_seconds = SecondsBetween(arrival_, *first_token_);
    out->decode_seconds = SecondsBetween(*first_token_, last_token_);
  }
  out->prompt_tokens = usage_prompt_;
  // Usage counts every choice's tokens; per choice only the frames tell.
  uint64_t frames = 0, longest = 0;
  for (const Choice& choice : choices_) {
    frames += choice.tokens;
    longest = std::max(longest, choice.tokens);
  }
  if (usage_completion_) {
    out->generation_tokens = usage_completion_;
    if (choices_.size() <= 1) longest = *usage_completion_;
  } else if (event_stream_) {
    out->generation_tokens = frames;
  }
  if (usage_completion_ || event_stream_) out->max_choice_generation_tokens = longest;

  // A choice SGLang did not finish ended because the client left, or because
  // the stream broke or reported an error.
  const FinishReason unfinished = client_gone                      ? FinishReason::kAbort
                                  : (!body_complete || saw_error_) ? FinishReason::kError
                                                                   : FinishReason::kAbort;
  if (choices_.empty()) {
    if (client_gone || !body_complete || saw_error_) out->finish_reasons.push_back(unfinished);
    return true;
  }
  for (const Choice& choice : choices_) out->finish_reasons.push_back(choice.reason.value_or(unfinished));
  return true;
}

}  // namespace shim::metrics
