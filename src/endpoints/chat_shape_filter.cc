#include "endpoints/chat_shape_filter.h"

#include "rewrite/json_key_edit.h"

namespace shim::endpoints {

void ChatShapeFilter::OnResponseBody(const RequestHead&, int*, HeaderList*, std::string* body) {
  // {"choices":[{"message":{"tool_calls":null}}]}: the message object is at depth 4.
  std::string edited;
  if (ReplaceNullMembers(*body, "tool_calls", "[]", 4, &edited)) *body = std::move(edited);
}

}  // namespace shim::endpoints
