#include "endpoints/gate_filters.h"

#include "common/strings.h"
#include "endpoints/endpoint_reply.h"
#include "endpoints/info_bodies.h"
#include "endpoints/request_id.h"
#include "endpoints/vllm_endpoints.h"

namespace shim::endpoints {
namespace {

void AddRequestId(const RequestHead& head, HeaderList* headers) {
  for (const auto& h : *headers) {
    if (EqualsIgnoreCase(h.first, "X-Request-Id")) return;
  }
  headers->emplace_back("X-Request-Id", ResponseRequestId(head.Find("X-Request-Id")));
}

}  // namespace

bool ModelSelectionFilter::OnRequestBody(const RequestHead&, std::string* body, BodyScan* scan, LocalResponse* reject) {
  EndpointReply refused;
  if (!SelectModel(*registry_, body, scan->has_value() ? &**scan : nullptr, &selection_, &refused)) {
    *reject = ToLocalResponse(std::move(refused));
    return false;
  }
  if (selection_.body_edited) scan->reset();
  return true;
}

void ModelSelectionFilter::OnResponseBody(const RequestHead&, int*, HeaderList*, std::string* body) {
  RenameModelInJson(body, selection_.answer_model);
}

bool ModelSelectionFilter::OnSseFrame(std::string_view frame, std::string* out) {
  out->assign(frame);
  RenameModelInSseFrame(out, selection_.answer_model);
  return true;
}

void RequestIdFilter::OnResponseHead(const RequestHead& head, int, HeaderList* headers) { AddRequestId(head, headers); }

void RequestIdFilter::OnLocalAnswer(const RequestHead& head, LocalResponse* response) {
  AddRequestId(head, &response->headers);
}

void SecretFieldsFilter::OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* body) {
  if (RemoveSecretFields(body)) return;
  *status = 502;
  *body = VllmError(502, "The engine's answer was not JSON; it is not relayed.", "Bad Gateway").body;
}

}  // namespace shim::endpoints
