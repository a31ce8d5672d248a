#include "app/pd_legs.h"

#include <algorithm>
#include <memory>

#include <boost/asio/co_spawn.hpp>

#include "common/log.h"
#include "common/task_failure.h"
#include "config/settings.h"
#include "frontdoor/backend_client.h"
#include "pd/bootstrap_fields.h"
#include "pd/bootstrap_probe.h"
#include "pd/leg_targets.h"
#include "pd/prefill_answer.h"
#include "rewrite/error_shape.h"

namespace shim {
namespace {

namespace asio = boost::asio;

struct Shared {
  Shared(asio::io_context& io, PdLegOptions options)
      : io(io),
        options(std::move(options)),
        probe(std::min<std::chrono::milliseconds>(std::chrono::seconds(1), this->options.prefill_timeout),
              std::chrono::seconds(1)) {}
  asio::io_context& io;
  PdLegOptions options;
  pd::BootstrapProbe probe;  // decode: is the prefill's bootstrap listener there at all?
};

std::string RequestId(const RequestHead& head) {
  const std::string* id = head.Find("X-Request-Id");
  return id ? *id : std::string();
}

// The body scanned, whether or not an earlier filter left its scan.
bool EnsureScan(const std::string& body, BodyScan* scan, LocalResponse* reject) {
  if (scan->has_value()) return true;
  JsonObjectScan fresh;
  std::string err;
  if (!ScanTopLevelObject(body, &fresh, &err)) {
    *reject =
        LocalResponse{400, "application/json", VllmErrorBody(400, "JSON decode error: " + err, "BadRequestError"), {}};
    return false;
  }
  *scan = std::move(fresh);
  return true;
}

std::string ModelOf(const std::string& body, const JsonObjectScan& scan) {
  std::string model;
  for (const JsonMember& member : scan.members) {
    if (member.key == "model" && member.kind == JsonKind::kString) DecodeJsonString(member.Value(body), &model);
  }
  return model;
}

// SGLang's prefill server gets the leg; its answer only says the KV went to a decode server.
asio::awaitable<void> SendPrefill(std::shared_ptr<Shared> shared, std::string path, std::string body, uint64_t room) {
  const PdLegOptions& o = shared->options;
  BackendResponse response = co_await FetchFromBackend(
      o.backend, OwnBackendRequest("POST", std::move(path), std::move(body), o.backend_api_key, o.prefill_timeout));
  if (!response.ok) {
    LogWarning("PD prefill for room ", room, ": ", response.error, "; no decode leg took it within ",
               InSeconds(o.prefill_timeout), " s, so it was dropped and SGLang aborts it");
  } else if (response.status != 200) {
    LogWarning("PD prefill for room ", room, ": SGLang answered HTTP ", response.status);
  }
}

class PrefillLegFilter final : public RouteFilter {
 public:
  PrefillLegFilter(std::shared_ptr<Shared> shared, pd::LegRoute route) : shared_(std::move(shared)), route_(route) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override {
    if (!EnsureScan(*body, scan, reject)) return false;
    const PdLegOptions& o = shared_->options;
    const std::string request_id = RequestId(head);
    pd::BootstrapTarget target = pd::PrefillLegTarget(*body, **scan, request_id, o.pod_address, o.bootstrap_port);
    std::string sglang_body = pd::WithBootstrapFields(*body, **scan, target);
    std::string path = route_ == pd::LegRoute::kChatCompletions ? "/v1/chat/completions" : "/v1/completions";
    asio::co_spawn(shared_->io, SendPrefill(shared_, std::move(path), std::move(sglang_body), target.room),
                   LogTaskFailure("a PD prefill"));
    const long long created =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    // The answer stands for SGLang's: a local answer that is not an error.
    *reject = LocalResponse{200,
                            "application/json",
                            pd::PrefillLegAnswer(route_, request_id.empty() ? std::to_string(target.room) : request_id,
                                                 ModelOf(*body, **scan), created, target),
                            {}};
    return false;
  }

 private:
  std::shared_ptr<Shared> shared_;
  pd::LegRoute route_;
};

class DecodeLegFilter final : public RouteFilter {
 public:
  explicit DecodeLegFilter(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead& head, std::string* body, BodyScan* scan, LocalResponse* reject) override {
    if (!EnsureScan(*body, scan, reject)) return false;
    const PdLegOptions& o = shared_->options;
    pd::BootstrapTarget target;
    std::string err;
    if (!pd::DecodeLegTarget(*body, **scan, RequestId(head), o.prefill_host, o.bootstrap_port, &target, &err)) {
      *reject =
          LocalResponse{400, "application/json", VllmErrorBody(400, err, "BadRequestError", "kv_transfer_params"), {}};
      return false;
    }
    *body = pd::WithBootstrapFields(*body, **scan, target);
    scan->reset();
    probe_ = shared_->probe.NeedsCheck(target.host, target.port);
    target_ = std::move(target);
    return true;
  }

  // A prefill that is not there fails the leg at once, not after SGLang's handshake retries.
  bool HasPreflight() const override { return probe_; }
  asio::awaitable<bool> Preflight(const RequestHead&, std::string*, LocalResponse* answer) override {
    std::string why = co_await shared_->probe.Check(target_.host, target_.port);
    if (why.empty()) co_return false;
    *answer = VllmErrorResponse(503,
                                "The prefill engine named for this request does not answer (" + why +
                                    "), so its KV cache cannot be fetched; retry the request from its prefill.",
                                "ServiceUnavailableError");
    co_return true;
  }

 private:
  std::shared_ptr<Shared> shared_;
  pd::BootstrapTarget target_;
  bool probe_ = false;
};

}  // namespace

RouteTable::DecisionFilter PdLegFilter(asio::io_context& io, PdLegOptions options) {
  auto shared = std::make_shared<Shared>(io, std::move(options));
  return [shared](const RequestHead&, RouteDecision* decision) {
    if (decision->kind != RouteDecision::Kind::kProxy) return;
    const bool chat = decision->label == "chat_completions";
    if (!chat && decision->label != "completions") return;
    if (shared->options.mode == pd::PdMode::kPrefill) {
      decision->filters.Add(std::make_shared<PrefillLegFilter>(
          shared, chat ? pd::LegRoute::kChatCompletions : pd::LegRoute::kCompletions));
    } else if (shared->options.mode == pd::PdMode::kDecode) {
      decision->filters.Add(std::make_shared<DecodeLegFilter>(shared));
    }
  };
}

}  // namespace shim
