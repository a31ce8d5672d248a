#include "cli/vllm_flag_spec.h"

#include "common/strings.h"

namespace shim {

const char* ArgKindName(ArgKind kind) {
  switch (kind) {
    case ArgKind::kStoreTrue:
      return "store_true";
    case ArgKind::kBooleanOptional:
      return "boolean_optional";
    case ArgKind::kValue:
      return "value";
    case ArgKind::kOneOrMore:
      return "nargs+";
    case ArgKind::kOptionalValue:
      return "nargs?";
    case ArgKind::kAppend:
      return "append";
  }
  return "?";
}

const char* ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kNone:
      return "null";
    case ValueType::kBool:
      return "bool";
    case ValueType::kStr:
      return "str";
    case ValueType::kInt:
      return "int";
    case ValueType::kFloat:
      return "float";
    case ValueType::kJson:
      return "json";
    case ValueType::kJsonOrStr:
      return "json_or_str";
    case ValueType::kHumanInt:
      return "human_readable_int";
    case ValueType::kHumanIntOrAuto:
      return "human_readable_int_or_auto";
  }
  return "?";
}

bool TakesValue(ArgKind kind) { return kind != ArgKind::kStoreTrue && kind != ArgKind::kBooleanOptional; }

std::vector<std::string> SpecAliases(const VllmFlagSpec& spec) {
  std::vector<std::string> out;
  for (const std::string& word : SplitString(spec.aliases, ' ')) {
    if (!word.empty()) out.push_back(word);
  }
  return out;
}

std::vector<std::string> SpecChoices(const VllmFlagSpec& spec) {
  if (spec.choices[0] == '\0') return {};
  return SplitString(spec.choices, '|');
}

std::string NegatedName(const VllmFlagSpec& spec) {
  if (spec.kind != ArgKind::kBooleanOptional) return "";
  return "--no-" + std::string(spec.flag + 2);
}

}  // namespace shim
