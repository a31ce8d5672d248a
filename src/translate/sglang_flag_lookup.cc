#include <map>

#include "common/strings.h"
#include "translate/sglang_flags.h"

namespace shim {

const SglangFlag* FindSglangFlag(const std::string& name) {
  static const std::map<std::string, const SglangFlag*> kIndex = [] {
    std::map<std::string, const SglangFlag*> index;
    for (const SglangFlag& flag : SglangFlags()) {
      index.emplace(flag.flag, &flag);
      for (const std::string& alias : SplitString(flag.aliases, ' ')) {
        if (!alias.empty()) index.emplace(alias, &flag);
      }
    }
    return index;
  }();
  auto it = kIndex.find(name);
  return it == kIndex.end() ? nullptr : it->second;
}

std::vector<std::string> SglangChoices(const SglangFlag& flag) {
  if (flag.choices[0] == '\0') return {};
  return SplitString(flag.choices, '|');
}

bool SglangAllowsChoice(const std::string& name, const std::string& value) {
  const SglangFlag* flag = FindSglangFlag(name);
  if (!flag) return false;
  std::vector<std::string> choices = SglangChoices(*flag);
  if (choices.empty()) return true;
  for (const std::string& choice : choices) {
    if (choice == value) return true;
  }
  return false;
}

}  // namespace shim
