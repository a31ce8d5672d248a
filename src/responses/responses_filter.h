// One /v1/responses request. Without a JSON text format it goes to SGLang's Responses route
// unchanged, and the answer's chat-style usage becomes vLLM's (whole answers and stream
// events). With one, it goes to SGLang's chat route (chat_bridge.h) and the chat answer,
// whole or streamed, comes back as vLLM's Responses answer; the response is kept in the
// front door's store. SGLang's errors reach the client in vLLM's shape either way.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "frontdoor/route_filter.h"
#include "responses/chat_bridge.h"
#include "responses/chat_stream_bridge.h"
#include "responses/responses_store.h"

namespace shim::responses {

class ResponsesFilter final : public RouteFilter {
 public:
  explicit ResponsesFilter(std::shared_ptr<ResponsesStore> store) : store_(std::move(store)) {}

  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override;
  std::string_view UpstreamPath() const override { return bridge_ ? "/v1/chat/completions" : std::string_view(); }

  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;

  bool RewritesSseFrames() const override { return true; }
  bool OnSseFrame(std::string_view frame, std::string* out) override;

 private:
  std::shared_ptr<ResponsesStore> store_;
  bool bridge_ = false;
  BridgePlan plan_;
  std::optional<ChatStreamBridge> stream_;
};

// A stored response's retrieval and cancel, and SGLang's for the others: the usage of what
// SGLang stored is in chat style too.
class StoredResponseUsageFilter final : public RouteFilter {
 public:
  bool WantsResponseBody(int status) const override { return true; }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override;
};

}  // namespace shim::responses
