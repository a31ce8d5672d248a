// The one declarative vLLM -> SGLang table: one row per vLLM flag (254 current + 80 legacy),
// carrying both how vLLM parses the flag (spec) and what it becomes in SGLang. The help
// text, the README table and the translator are all generated from these rows.
#pragma once
#include <string>
#include <vector>

#include "cli/vllm_arg_parser.h"
#include "cli/vllm_flag_spec.h"
#include "translate/translation.h"

namespace shim {

enum class Rule {
  kDrop,       // not given to SGLang; `reason` says why
  kSame,       // same flag and value(s) in SGLang
  kRename,     // value(s) unchanged, SGLang flag `sglang`
  kSwitch,     // --X -> bare `sglang`; --no-X -> nothing (SGLang's default is off)
  kNegSwitch,  // --no-X -> bare `sglang`; --X -> nothing (SGLang's default is on)
  kCustom,     // `handler` decides; `sglang` lists every flag it may emit
};

struct TranslateContext;
// Fills *outcome (action, sglang words, reason) for one parsed flag. Returns false with a
// one-line *err for a value SGLang cannot be given.
using FlagHandler = bool (*)(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);

struct FlagRow {
  VllmFlagSpec spec;
  Rule rule;
  const char* sglang;   // space-separated SGLang flags this row can emit, "" when none
  FlagHandler handler;  // kCustom only
  const char* reason;   // one sentence: what it becomes, or why it is dropped
};

const std::vector<FlagRow>& FlagTable();
const std::vector<VllmFlagSpec>& FlagSpecs();  // the spec column, in table order
const FlagRow* FindFlagRow(const std::string& canonical_flag);
const char* RuleName(Rule rule);

}  // namespace shim
