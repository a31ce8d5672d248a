#include "endpoints/reasoning_filter.h"

#include "rewrite/json_splice.h"

namespace shim::endpoints {

bool ReasoningFieldFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse*) {
  if (!scan->has_value()) return true;  // the route's rewrite already refused what it could not read
  const std::vector<JsonMember>& members = (*scan)->members;
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

void ReasoningFieldFilter::OnResponseBody(const RequestHead&, int*, HeaderList*, std::string* body) {
  std::string renamed;
  if (RenameReasoningInAnswer(*body, field_, &renamed)) *body = std::move(renamed);
}

bool ReasoningFieldFilter::OnSseFrame(std::string_view frame, std::string* out) {
  return RenameReasoningInAnswer(frame, field_, out);
}

}  // namespace shim::endpoints
