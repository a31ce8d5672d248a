#include "endpoints/reasoning_filter.h"

#include "rewrite/json_key_edit.h"
#include "rewrite/json_splice.h"

namespace shim::endpoints {

bool ReasoningFieldFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse*) {
  if (!scan->has_value()) {
    // The filter before changed the body without leaving a scan of it.
    JsonObjectScan own;
    std::string err;
    if (!ScanTopLevelObject(*body, &own, &err)) return true;  // SGLang's validation answers
    *scan = std::move(own);
  }
  const std::vector<JsonMember>& members = (*scan)->members;
  for (const JsonMember& m : members) {
    // vLLM reads the last duplicate, as Python's json does.
    if (m.key == "include_reasoning") drop_reasoning_ = m.kind == JsonKind::kFalse;
  }
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].key != "messages" || members[i].kind != JsonKind::kArray) continue;
    std::string renamed;
    if (!RenameReasoningInMessages(members[i].Value(*body), &renamed)) return true;
    ObjectSplicer splicer(*body, **scan);
    splicer.Replace(i, JsonMemberText("messages", renamed));
    *body = splicer.Build();
    scan->reset();  // a replacement cannot be followed: the next filter scans again
    return true;
  }
  return true;
}

bool ReasoningFieldFilter::EditAnswer(std::string_view json, std::string* out) const {
  std::string renamed;
  const bool was_renamed = RenameReasoningInAnswer(json, field_, &renamed);
  if (!drop_reasoning_) {
    if (was_renamed) *out = std::move(renamed);
    return was_renamed;
  }
  std::string_view current = was_renamed ? std::string_view(renamed) : json;
  bool edited = was_renamed;
  std::string nulled;
  // choices[i].message and choices[i].delta: the objects at bracket depth 4.
  for (std::string_view key : {"reasoning", "reasoning_content"}) {
    if (NullJsonMembers(current, key, 4, &nulled)) {
      renamed = std::move(nulled);
      current = renamed;
      edited = true;
    }
  }
  if (edited) out->assign(current);
  return edited;
}

void ReasoningFieldFilter::OnResponseBody(const RequestHead&, int*, HeaderList*, std::string* body) {
  std::string edited;
  if (EditAnswer(*body, &edited)) *body = std::move(edited);
}

bool ReasoningFieldFilter::OnSseFrame(std::string_view frame, std::string* out) { return EditAnswer(frame, out); }

}  // namespace shim::endpoints
