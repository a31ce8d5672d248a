// SGLang argv helpers: grouping words the way SGLang's argparse reads them, writing values
// that begin with '-', and VLLM_SGLANG_EXTRA_ARGS (SGLang flags an operator adds by hand;
// a flag given there replaces the translated one and its values instead of appearing twice).
#pragma once
#include <string>
#include <vector>

namespace shim {

// One SGLang flag and its values, as SGLang's argparse would group them.
struct SglangArgGroup {
  std::string key;  // canonical SGLang flag ("--tp-size" for "--tp-size"/"--tensor-parallel-size"), "" for a stray word
  std::vector<std::string> words;  // the flag word(s) and values exactly as given ("--flag=value" is one word)
};

// Groups argv using the embedded SGLang flag table for arity. "--flag=value" is one group
// whose key is "--flag".
std::vector<SglangArgGroup> GroupSglangArgs(const std::vector<std::string>& argv);

// Appends `flag` and its values to *out as SGLang's argparse will read them back. argparse
// takes a separate word that begins with '-' for an option ("--api-key -abc" fails with
// "expected one argument"), so a single such value is attached: "--api-key=-abc". Several
// values cannot be attached; returns false (appending nothing) when one of several values
// begins with '-', unless it is a plain negative number ("-1", "-0.5"), which every argparse
// version reads as a value.
bool AppendSglangFlag(const std::string& flag, const std::vector<std::string>& values, std::vector<std::string>* out);

// AppendSglangFlag applied to the words one translated flag became ("--flag v ... --flag2 v"):
// each known SGLang flag takes its values by SGLang's arity, up to the next known flag name
// for "+"/"*" flags. Words already in "--flag=value" form are kept. On false, *flag names
// the SGLang flag whose values cannot be written and *words is unchanged.
bool AttachDashValues(std::vector<std::string>* words, std::string* flag);

// translated + extra, where every extra flag replaces the translated group with the same
// key. Flags unknown to the embedded SGLang table are kept, with a warning.
std::vector<std::string> MergeExtraArgs(const std::vector<std::string>& translated,
                                        const std::vector<std::string>& extra, std::vector<std::string>* warnings);

}  // namespace shim
