// How vLLM's argparse reads one `vllm serve` flag. The rows themselves live in the
// translation table (translate/flag_table.cc) so that parsing and translation share one
// source of truth; this header only defines their shape.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace shim {

enum class ArgKind {
  kStoreTrue,        // bare flag, no --no- form (--headless, --grpc, --disable-log-stats, ...)
  kBooleanOptional,  // argparse.BooleanOptionalAction: --X and --no-X, never a value
  kValue,            // exactly one value
  kOneOrMore,        // nargs="+"
  kOptionalValue,    // nargs="?" (--hf-token: bare means "use the cached login")
  kAppend,           // action="append": every occurrence adds one value (--middleware)
};

enum class ValueType {
  kNone,  // JSON type null (legacy rows whose type was not recorded)
  kBool,  // flags without a value
  kStr,
  kInt,
  kFloat,
  kJson,            // one JSON document (or dotted keys, merged before parsing)
  kJsonOrStr,       // JSON when it looks like {...}, else a raw string
  kHumanInt,        // human_readable_int
  kHumanIntOrAuto,  // human_readable_int, or "auto"/-1 (--max-model-len)
};

struct VllmFlagSpec {
  const char* flag;     // canonical long name, e.g. "--max-model-len"
  const char* aliases;  // space-separated other option strings ("-tp"), "" when none
  ArgKind kind;
  ValueType type;
  const char* choices;  // "|"-separated values argparse enforces, "" when free
  bool legacy;          // removed from current vLLM; accepted with a warning

  // For table rows: Value("--tensor-parallel-size", kInt).Alias("-tp").
  VllmFlagSpec Alias(const char* names) const {
    VllmFlagSpec copy = *this;
    copy.aliases = names;
    return copy;
  }
  VllmFlagSpec OneOf(const char* values) const {
    VllmFlagSpec copy = *this;
    copy.choices = values;
    return copy;
  }
};

const char* ArgKindName(ArgKind kind);
const char* ValueTypeName(ValueType type);  // the vllm-flags.json spelling ("human_readable_int", ...)
bool TakesValue(ArgKind kind);
std::vector<std::string> SpecAliases(const VllmFlagSpec& spec);
std::vector<std::string> SpecChoices(const VllmFlagSpec& spec);
// "--no-X" for boolean-optional flags, "" otherwise.
std::string NegatedName(const VllmFlagSpec& spec);

}  // namespace shim
