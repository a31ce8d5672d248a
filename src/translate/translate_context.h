// State shared by the flag handlers while one command line is translated.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/vllm_arg_parser.h"
#include "config/settings.h"
#include "translate/flag_table.h"
#include "translate/sglang_release.h"
#include "translate/translation.h"

namespace shim {

struct TranslateContext {
  const Settings* settings = nullptr;
  const ParsedArgs* parsed = nullptr;
  Translation* out = nullptr;                            // handlers fill out->frontend and out->warnings
  const SglangRelease* sglang = &NewestSglangRelease();  // the release translated for

  // The flag as given on the command line or in --config, or nullptr.
  const ParsedFlag* Find(const char* canonical_flag) const;
  // Its single value, when given with one that is not ""/"None".
  std::optional<std::string> Value(const char* canonical_flag) const;
  bool Given(const char* canonical_flag) const { return Find(canonical_flag) != nullptr; }
  // True when a boolean-optional flag was given in its positive form.
  bool Enabled(const char* canonical_flag) const;

  // Speculative decoding is described by several vLLM flags; handlers collect them here and
  // the translator emits SGLang's flags once, on the outcome of the first of them.
  struct Speculative {
    std::optional<std::string> method;
    std::optional<std::string> model;
    std::optional<long long> num_tokens;
    std::optional<long long> ngram_max;
    std::optional<long long> ngram_min;
    std::optional<size_t> outcome_index;
  } speculative;
  size_t current_outcome = 0;  // index in out->flags of the outcome being filled
};

}  // namespace shim
