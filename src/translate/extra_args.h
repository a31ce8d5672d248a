// VLLM_SGLANG_EXTRA_ARGS: SGLang flags an operator adds by hand. A flag given there replaces
// the translated one (and its values) instead of appearing twice.
#pragma once
#include <string>
#include <vector>

namespace shim {

// One SGLang flag and its values, as SGLang's argparse would group them.
struct SglangArgGroup {
  std::string key;                 // canonical SGLang flag ("--tp-size" for "--tp-size"/"--tensor-parallel-size"), "" for a stray word
  std::vector<std::string> words;  // the flag word(s) and values exactly as given
};

// Groups argv using the embedded SGLang flag table for arity.
std::vector<SglangArgGroup> GroupSglangArgs(const std::vector<std::string>& argv);

// translated + extra, where every extra flag replaces the translated group with the same
// key. Flags unknown to the embedded SGLang table are kept, with a warning.
std::vector<std::string> MergeExtraArgs(const std::vector<std::string>& translated, const std::vector<std::string>& extra,
                                        std::vector<std::string>* warnings);

}  // namespace shim
