#include "translate/flag_handlers.h"
#include "translate/translate_context.h"

namespace shim {

void SetOutcome(FlagOutcome* outcome, FlagOutcome::Action action, std::vector<std::string> sglang, std::string reason) {
  outcome->action = action;
  outcome->sglang = std::move(sglang);
  if (!reason.empty()) outcome->reason = std::move(reason);
}

const std::string& FirstValue(const ParsedFlag& flag) {
  static const std::string kEmpty;
  return flag.values.empty() ? kEmpty : flag.values.front();
}

const ParsedFlag* TranslateContext::Find(const char* canonical_flag) const {
  const std::vector<FlagRow>& table = FlagTable();
  for (const ParsedFlag& flag : parsed->flags) {
    if (std::string(table[flag.spec].spec.flag) == canonical_flag) return &flag;
  }
  return nullptr;
}

std::optional<std::string> TranslateContext::Value(const char* canonical_flag) const {
  const ParsedFlag* flag = Find(canonical_flag);
  if (!flag || flag->values.size() != 1 || IsNoneValue(flag->values[0])) return std::nullopt;
  return flag->values[0];
}

bool TranslateContext::Enabled(const char* canonical_flag) const {
  const ParsedFlag* flag = Find(canonical_flag);
  return flag && !flag->negated;
}

}  // namespace shim
