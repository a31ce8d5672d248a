#include "rewrite/reasoning_field.h"

#include "rewrite/json_key_edit.h"

namespace shim {

bool ParseReasoningField(std::string_view text, ReasoningField* out) {
  if (text == "reasoning") {
    *out = ReasoningField::kReasoning;
  } else if (text == "reasoning_content") {
    *out = ReasoningField::kReasoningContent;
  } else if (text == "both") {
    *out = ReasoningField::kBoth;
  } else {
    return false;
  }
  return true;
}

bool RenameReasoningInAnswer(std::string_view json, ReasoningField field, std::string* out) {
  // {"choices":[{"message":{"reasoning_content":...}}]}: the key's object is at depth 4.
  if (field == ReasoningField::kReasoningContent) return false;
  return RenameJsonKeys(json, "reasoning_content", "reasoning", 4, field == ReasoningField::kBoth, out);
}

bool RenameReasoningInMessages(std::string_view messages, std::string* out) {
  // [{"role":"assistant","reasoning":...}]: each message object is at depth 2. A message
  // that already carries reasoning_content keeps it, and its `reasoning` goes as it is.
  // A history of megabytes (images in base64) is searched, not walked, unless it has the key.
  if (!ContainsBytes(messages, "\"reasoning\"") || ContainsBytes(messages, "\"reasoning_content\"")) return false;
  return RenameJsonKeys(messages, "reasoning", "reasoning_content", 2, false, out);
}

}  // namespace shim
