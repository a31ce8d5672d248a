#include "app/invocations_route.h"

#include <memory>

#include "endpoints/fastapi_route.h"
#include "rewrite/error_shape.h"
#include "rewrite/json_scanner.h"

namespace shim {
namespace {

using nlohmann::json;

constexpr size_t kMaxDepth = 256;

bool Has(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && !it->is_null();
}

LocalResponse BadRequest(const std::string& message) {
  return LocalResponse{400, "application/json", VllmErrorBody(400, message, "BadRequestError"), {}};
}

// Decides the body's route, then stands for that route's filters in every hook.
class InvocationsFilter final : public RouteFilter {
 public:
  InvocationsFilter(std::shared_ptr<const std::vector<InvocationTarget>> targets,
                    std::function<void(FilterChain*)> per_request)
      : targets_(std::move(targets)), per_request_(std::move(per_request)) {}

  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override {
    json parsed;
    if (!ParseJsonValue(*body, kMaxDepth, &parsed) || !parsed.is_object()) {
      *reject = BadRequest("JSON decode error: the body is not a JSON object");
      return false;
    }
    const InvocationTarget* chosen = nullptr;
    std::string expected;
    for (const InvocationTarget& target : *targets_) {
      if (!expected.empty()) expected += ", ";
      expected += "'" + std::string(target.request_type) + "'";
      if (chosen == nullptr && target.accepts(parsed)) chosen = &target;
    }
    if (chosen == nullptr) {
      *reject = BadRequest("Cannot find suitable handler for request. Expected one of: [" + expected + "]");
      return false;
    }
    RouteDecision decision = chosen->decide();
    upstream_ = decision.upstream_path.empty() ? chosen->upstream_path : decision.upstream_path;
    chain_ = std::move(decision.filters);
    if (per_request_) per_request_(&chain_);
    scan->reset();  // the chain scans for itself
    if (chain_.RunRequestBody(head, body, reject)) return true;
    inner_rejected_ = true;  // the chain already ran its local-answer hooks on *reject
    return false;
  }
  bool HasPreflight() const override { return chain_.HasPreflight(); }
  boost::asio::awaitable<bool> Preflight(const RequestHead& head, std::string* body, LocalResponse* answer) override {
    const bool answered = co_await chain_.RunPreflight(head, body, answer);
    if (answered) inner_rejected_ = true;  // the chain already ran its local-answer hooks on *answer
    co_return answered;
  }
  std::string_view UpstreamPath() const override {
    std::string_view chosen = chain_.UpstreamPath();
    return chosen.empty() ? upstream_ : chosen;
  }

  bool EditsResponseHead() const override { return chain_.EditsResponseHead(); }
  void OnResponseHead(const RequestHead& head, int status, HeaderList* headers) override {
    chain_.RunResponseHead(head, status, headers);
  }
  bool WantsResponseBody(int status) const override { return chain_.WantsResponseBody(status); }
  void OnResponseBody(const RequestHead& head, int* status, HeaderList* headers, std::string* body) override {
    chain_.RunResponseBody(head, status, headers, body);
  }
  bool RewritesSseFrames() const override { return chain_.RewritesSseFrames(); }
  bool OnSseFrame(std::string_view frame, std::string* out) override { return chain_.RunSseFrame(frame, out); }
  void OnLocalAnswer(const RequestHead& head, LocalResponse* response) override {
    if (!inner_rejected_) chain_.RunLocalAnswer(head, response);
  }
  bool WatchesExchange() const override { return chain_.WatchesExchange(); }
  void OnWatchedHead(int status, bool event_stream) override { chain_.RunWatchedHead(status, event_stream); }
  void OnWatchedBody(std::string_view bytes) override { chain_.RunWatchedBody(bytes); }
  void OnExchangeEnd(const ExchangeEnd& end) override { chain_.RunExchangeEnd(end); }

 private:
  std::shared_ptr<const std::vector<InvocationTarget>> targets_;
  std::function<void(FilterChain*)> per_request_;
  FilterChain chain_;
  std::string_view upstream_;
  bool inner_rejected_ = false;
};

}  // namespace

bool LooksLikeChat(const json& body) { return Has(body, "messages") && body["messages"].is_array(); }

bool LooksLikeCompletion(const json& body) { return Has(body, "prompt") || Has(body, "prompt_embeds"); }

bool LooksLikeEmbedding(const json& body) { return Has(body, "input") || LooksLikeChat(body); }

// vLLM's ClassificationRequest has the embedding request's two forms (input, or messages).
bool LooksLikeClassification(const json& body) { return LooksLikeEmbedding(body); }

bool LooksLikeScore(const json& body) {
  return (Has(body, "text_1") && Has(body, "text_2")) || (Has(body, "queries") && Has(body, "documents")) ||
         (Has(body, "queries") && Has(body, "items")) || (Has(body, "data_1") && Has(body, "data_2"));
}

bool LooksLikeRerank(const json& body) { return Has(body, "query") && Has(body, "documents"); }

void RegisterInvocations(RouteTable& routes, std::vector<InvocationTarget> targets,
                         std::function<void(FilterChain*)> per_request) {
  auto shared = std::make_shared<const std::vector<InvocationTarget>>(std::move(targets));
  endpoints::AddFastApiRoute(routes, "/invocations", {"POST"}, [shared, per_request](const RequestHead&) {
    RouteDecision d = RouteDecision::Proxy("invocations");
    d.filters.Add(std::make_shared<InvocationsFilter>(shared, per_request));
    return d;
  });
}

}  // namespace shim
