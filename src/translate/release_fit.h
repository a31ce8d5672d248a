// Fitting a translation to the SGLang release that will run it. SGLang exits at start on a
// flag it does not know, so each emitted flag (and each value of a flag with choices) is
// checked against the release's list. A missing flag whose loss only costs speed or
// observability is dropped with a warning; one that would change what the model answers is
// refused. Every such flag has a row in release_gaps.cc saying which and why.
#pragma once
#include <string>
#include <vector>

#include "translate/sglang_release.h"

namespace shim {

// What to do when a release lacks an SGLang flag the shim emits.
struct ReleaseGap {
  const char* sglang_flag;
  bool may_drop;    // true: dropping loses only speed or observability
  const char* why;  // what the flag does, for the warning or the refusal
};

// The gap row for `sglang_flag`, or nullptr when none was written (then the flag is refused).
const ReleaseGap* FindReleaseGap(const std::string& sglang_flag);

// Result of fitting the words one source (a vLLM flag, an added flag) became.
struct FitResult {
  std::vector<std::string> kept;     // the words the release accepts
  std::vector<std::string> dropped;  // one line per dropped SGLang flag: what the release lacks, why it may go
};

// Fits `words` (SGLang argv words from `source`, e.g. "--otlp-traces-endpoint") to `release`.
// False with one line in *err (naming `source`, the SGLang flag and the release) when a
// missing flag or choice would change results; `secret` hides values from the message.
bool FitWordsToRelease(const SglangRelease& release, const std::string& source, bool secret,
                       const std::vector<std::string>& words, FitResult* out, std::string* err);

// VLLM_SGLANG_EXTRA_ARGS against the release: an unknown flag is an error when the release is
// known exactly (SGLang would exit at start), else one warning each (it may be newer).
bool CheckExtraArgsForRelease(const ReleaseChoice& choice, const std::vector<std::string>& extra,
                              std::vector<std::string>* warnings, std::string* err);

}  // namespace shim
