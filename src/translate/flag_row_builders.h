// The words a row of the translation table (flag_table.cc) is written in:
// what happens to the flag (Drop, Same, Rename, Switch, NegSwitch, Custom), how
// vLLM's argparse declares it (StoreTrue, BoolOptional, Value, OneOrMore,
// OptionalValue, Appended, or Legacy for flags vLLM removed), and one sentence
// for `translate` and the README. For example:
//   Rename(Value("--seed", kInt), "--random-seed", "becomes --random-seed"),
#pragma once
#include "cli/vllm_flag_spec.h"
#include "translate/flag_table.h"

namespace shim::flag_rows {

using enum ValueType;

// ---- how vLLM declares the flag ----
inline VllmFlagSpec Declared(const char* flag, ArgKind kind, ValueType type) {
  return {flag, "", kind, type, "", false};
}
inline VllmFlagSpec StoreTrue(const char* flag) { return Declared(flag, ArgKind::kStoreTrue, kBool); }
inline VllmFlagSpec BoolOptional(const char* flag) { return Declared(flag, ArgKind::kBooleanOptional, kBool); }
inline VllmFlagSpec Value(const char* flag, ValueType type) { return Declared(flag, ArgKind::kValue, type); }
inline VllmFlagSpec OneOrMore(const char* flag, ValueType type) { return Declared(flag, ArgKind::kOneOrMore, type); }
inline VllmFlagSpec OptionalValue(const char* flag, ValueType type) {
  return Declared(flag, ArgKind::kOptionalValue, type);
}
inline VllmFlagSpec Appended(const char* flag, ValueType type) { return Declared(flag, ArgKind::kAppend, type); }
// A flag current vLLM no longer has: accepted with a warning; its type was not recorded.
inline VllmFlagSpec Legacy(ArgKind kind, const char* flag) { return {flag, "", kind, kNone, "", true}; }

// ---- what it becomes in SGLang ----
inline FlagRow Drop(VllmFlagSpec spec, const char* reason) { return {spec, Rule::kDrop, "", nullptr, reason}; }
inline FlagRow Same(VllmFlagSpec spec, const char* reason) { return {spec, Rule::kSame, spec.flag, nullptr, reason}; }
inline FlagRow Rename(VllmFlagSpec spec, const char* sglang, const char* reason) {
  return {spec, Rule::kRename, sglang, nullptr, reason};
}
inline FlagRow Switch(VllmFlagSpec spec, const char* sglang, const char* reason) {
  return {spec, Rule::kSwitch, sglang, nullptr, reason};
}
inline FlagRow NegSwitch(VllmFlagSpec spec, const char* sglang, const char* reason) {
  return {spec, Rule::kNegSwitch, sglang, nullptr, reason};
}
// `sglang` lists every SGLang flag the handler may emit ("" when none).
inline FlagRow Custom(VllmFlagSpec spec, const char* sglang, FlagHandler handler, const char* reason) {
  return {spec, Rule::kCustom, sglang, handler, reason};
}

}  // namespace shim::flag_rows
