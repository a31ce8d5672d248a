#include <map>

#include "translate/flag_table.h"

namespace shim {

const std::vector<VllmFlagSpec>& FlagSpecs() {
  static const std::vector<VllmFlagSpec> kSpecs = [] {
    std::vector<VllmFlagSpec> specs;
    for (const FlagRow& row : FlagTable()) specs.push_back(row.spec);
    return specs;
  }();
  return kSpecs;
}

const FlagRow* FindFlagRow(const std::string& canonical_flag) {
  static const std::map<std::string, const FlagRow*> kIndex = [] {
    std::map<std::string, const FlagRow*> index;
    for (const FlagRow& row : FlagTable()) index.emplace(row.spec.flag, &row);
    return index;
  }();
  auto it = kIndex.find(canonical_flag);
  return it == kIndex.end() ? nullptr : it->second;
}

const char* RuleName(Rule rule) {
  switch (rule) {
    case Rule::kDrop:
      return "drop";
    case Rule::kSame:
      return "same";
    case Rule::kRename:
      return "rename";
    case Rule::kSwitch:
      return "switch";
    case Rule::kNegSwitch:
      return "negated-switch";
    case Rule::kCustom:
      return "custom";
  }
  return "?";
}

const char* ActionName(FlagOutcome::Action action) {
  switch (action) {
    case FlagOutcome::Action::kTranslated:
      return "translated";
    case FlagOutcome::Action::kDropped:
      return "dropped";
    case FlagOutcome::Action::kPassed:
      return "passed";
  }
  return "?";
}

}  // namespace shim
