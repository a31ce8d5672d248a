#include "responses/responses_filter.h"

#include "responses/responses_usage.h"
#include "rewrite/error_shape.h"
#include "rewrite/json_key_edit.h"
#include "rewrite/json_scanner.h"
#include "rewrite/sse_rewriter.h"

namespace shim::responses {
namespace {

constexpr size_t kMaxDepth = 256;

LocalResponse BadRequest(const std::string& message) {
  return LocalResponse{400, "application/json", VllmErrorBody(400, message, "BadRequestError"), {}};
}

}  // namespace

bool ResponsesFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan*, LocalResponse* reject) {
  // A body that cannot name a JSON text format goes to SGLang unread (the common case).
  if (!ContainsBytes(*body, "json_")) return true;
  nlohmann::json request;
  // Not a JSON object: SGLang's own validation answers, and its error is reshaped.
  if (!ParseJsonValue(*body, kMaxDepth, &request) || !request.is_object() || !NeedsChatBridge(request)) return true;
  nlohmann::json previous;
  if (auto it = request.find("previous_response_id"); it != request.end() && !it->is_null()) {
    const nlohmann::json* messages = it->is_string() ? store_->Messages(it->get<std::string>()) : nullptr;
    if (messages == nullptr) {
      *reject = BadRequest(
          "previous_response_id must name a response with a JSON text format that this server still keeps: "
          "SGLang's Responses route cannot constrain output, so such requests are served through its chat route");
      return false;
    }
    previous = *messages;
  }
  std::string chat_body;
  std::string err;
  if (!ChatRequestFromResponses(request, previous, &plan_, &chat_body, &err)) {
    *reject = BadRequest(err);
    return false;
  }
  bridge_ = true;
  if (plan_.stream) stream_.emplace(&plan_);
  *body = std::move(chat_body);
  return true;
}

void ResponsesFilter::OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  if (!bridge_) {
    if (FixAnswerUsage(*body, &out)) *body = std::move(out);
    return;
  }
  nlohmann::json assistant;
  std::string err;
  if (!ResponsesAnswerFromChat(*body, plan_, &out, &assistant, &err)) {
    *status = 502;
    *body = VllmErrorBody(502, "The engine's chat answer could not be read: " + err, "Bad Gateway");
    return;
  }
  if (plan_.store) {
    nlohmann::json conversation = plan_.messages;
    conversation.push_back(std::move(assistant));
    store_->Put(plan_.id, out, std::move(conversation));
  }
  *body = std::move(out);
}

bool ResponsesFilter::OnSseFrame(std::string_view frame, std::string* out) {
  if (!stream_) {
    // SGLang's own stream: its final event's usage, and its error frames, in vLLM's shape.
    if (FixEventUsage(frame, out)) return true;
    return RewriteSseErrorFrame(frame, out);
  }
  stream_->OnChatFrame(frame, out);
  if (stream_->finished() && plan_.store && !stream_->final_response().empty() &&
      store_->Response(plan_.id) == nullptr) {
    nlohmann::json conversation = plan_.messages;
    conversation.push_back(stream_->assistant_turn());
    store_->Put(plan_.id, stream_->final_response(), std::move(conversation));
  }
  return true;
}

void StoredResponseUsageFilter::OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* body) {
  if (*status != 200) {
    ReshapeSglangError(status, body);
    return;
  }
  std::string out;
  if (FixAnswerUsage(*body, &out)) *body = std::move(out);
}

}  // namespace shim::responses
