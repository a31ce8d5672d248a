// SGLang's launch_server flags (names, aliases, arity, choices), embedded from
// data/reference/sglang-flags.json by tools/gen_sglang_flags.py.
#pragma once
#include <string>
#include <vector>

namespace shim {

struct SglangFlag {
  const char* flag;
  const char* aliases;  // space-separated
  const char* nargs;    // "" = one value, "0" = none, "+", "*", "?"
  bool takes_value;
  const char* choices;  // "|"-separated, "" when free
  bool deprecated;
  const char* action;  // argparse action class ("store", "store_true", "BooleanOptionalAction", ...)
  const char* type;    // "str", "int", "float", "json", ... or "" for flags without a value
  const char* dest;    // argparse destination attribute
};

const std::vector<SglangFlag>& SglangFlags();

// The flag whose name or alias is exactly `name` (no prefix matching), or nullptr.
const SglangFlag* FindSglangFlag(const std::string& name);
std::vector<std::string> SglangChoices(const SglangFlag& flag);
bool SglangAllowsChoice(const std::string& flag, const std::string& value);

}  // namespace shim
