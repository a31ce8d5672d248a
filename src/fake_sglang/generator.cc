#include "fake_sglang/generator.h"

#include <array>

namespace shim::fake_sglang {
namespace {

constexpr std::array<std::string_view, 64> kWords = {
    "the",    "quick",  "brown",  "fox",    "jumps",  "over",    "lazy",    "dog",     "a",      "model",  "serves",
    "tokens", "from",   "cache",  "and",    "every",  "request", "gets",    "an",      "answer", "that",   "stays",
    "the",    "same",   "for",    "one",    "prompt", "so",      "tests",   "can",     "check",  "it",     "while",
    "load",   "grows",  "under",  "steady", "rate",   "of",      "words",   "river",   "stone",  "light",  "paper",
    "green",  "cloud",  "north",  "field",  "ember",  "quiet",   "signal",  "orbit",   "meadow", "harbor", "maple",
    "copper", "violet", "summit", "canyon", "delta",  "fjord",   "glacier", "prairie", "tundra"};

uint64_t Mix(uint64_t x) {
  // splitmix64 finaliser: spreads the hash so consecutive tokens look unrelated.
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string Generation::Text() const {
  std::string text;
  for (const std::string& token : tokens) text += token;
  return text;
}

int CountTokens(std::string_view text) {
  int count = 0;
  bool in_word = false;
  for (char c : text) {
    if (IsSpace(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++count;
    }
  }
  return count;
}

uint64_t HashText(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Generation Generate(const GenerationParams& params) {
  Generation out;
  uint64_t seed = Mix(HashText(params.prompt) + static_cast<uint64_t>(params.choice_index) * 7919);
  int natural = 8 + static_cast<int>(seed % 9);
  int limit = natural;
  if (params.max_tokens) limit = params.ignore_eos ? *params.max_tokens : std::min(natural, *params.max_tokens);
  out.finish_reason =
      (params.max_tokens && limit == *params.max_tokens && (params.ignore_eos || limit < natural)) ? "length" : "stop";
  std::string text;
  for (int i = 0; i < limit; ++i) {
    std::string token = i == 0 ? "" : " ";
    if (i == 0 && !params.adapter.empty()) {
      token += "[lora:" + params.adapter + "]";
    } else if (i == (params.adapter.empty() ? 0 : 1) && params.audio_items > 0) {
      token += "[audio:" + std::to_string(params.audio_items) + "]";
    } else {
      token += kWords[Mix(seed + static_cast<uint64_t>(i)) % kWords.size()];
    }
    std::string candidate = text + token;
    for (const std::string& stop : params.stop) {
      if (stop.empty()) continue;
      size_t at = candidate.find(stop);
      if (at == std::string::npos) continue;
      // The stop string is trimmed from the answer (SGLang's default, no_stop_trim=false).
      std::string kept = candidate.substr(0, at);
      if (kept.size() > text.size()) out.tokens.push_back(kept.substr(text.size()));
      out.finish_reason = "stop";
      out.matched_stop = stop;
      return out;
    }
    text = std::move(candidate);
    out.tokens.push_back(std::move(token));
  }
  return out;
}

double TokenLogprob(size_t index) { return -0.05 * static_cast<double>(1 + index % 7); }

std::vector<std::pair<std::string, double>> TopLogprobs(const std::string& token, size_t index, int count) {
  std::vector<std::pair<std::string, double>> out;
  if (count <= 0) return out;
  out.emplace_back(token, TokenLogprob(index));
  for (int k = 1; k < count; ++k) {
    std::string alternative = " " + std::string(kWords[(index * 31 + static_cast<size_t>(k)) % kWords.size()]);
    out.emplace_back(alternative, TokenLogprob(index) - 1.5 * k);
  }
  return out;
}

std::vector<int64_t> TokenizeIds(std::string_view text) {
  std::vector<int64_t> ids;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) {
      std::string_view word = text.substr(start, i - start);
      size_t slot = kWords.size();
      for (size_t w = 0; w < kWords.size(); ++w) {
        if (kWords[w] == word) {
          slot = w;
          break;
        }
      }
      // Known words get their index; other words a stable id above the vocabulary.
      ids.push_back(slot < kWords.size() ? static_cast<int64_t>(slot)
                                         : 1000 + static_cast<int64_t>(HashText(word) % 100000));
    }
  }
  return ids;
}

std::string DetokenizeIds(const std::vector<int64_t>& ids) {
  std::string text;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) text += ' ';
    int64_t id = ids[i];
    if (id >= 0 && id < static_cast<int64_t>(kWords.size())) {
      text += kWords[static_cast<size_t>(id)];
    } else {
      text += "<" + std::to_string(id) + ">";
    }
  }
  return text;
}

}  // namespace shim::fake_sglang
