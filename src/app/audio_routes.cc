#include "app/audio_routes.h"

#include <memory>
#include <string>

#include "endpoints/vllm_endpoints.h"
#include "rewrite/error_shape.h"
#include "rewrite/sse_rewriter.h"

namespace shim {
namespace {

// The multipart upload goes to SGLang as it came, read whole first so the front door's body
// limit (VLLM_SGLANG_MAX_BODY_BYTES) answers 413 in vLLM's shape for a larger one; vLLM and
// SGLang read the whole upload before they transcribe too. SGLang's errors come back in vLLM's
// shape, whole or as stream error frames; a successful answer (json, text, verbose_json or
// SSE deltas) streams through unbuffered. Stateless: one instance serves every request.
class TranscriptionRelay final : public RouteFilter {
 public:
  bool NeedsRequestBody() const override { return true; }
  bool OnRequestBody(const RequestHead&, std::string*, BodyScan*, LocalResponse*) override { return true; }

  bool WantsResponseBody(int status) const override { return status >= 400; }
  void OnResponseBody(const RequestHead&, int* status, HeaderList*, std::string* body) override {
    int new_status = *status;
    if (auto rewritten = VllmErrorFromSglang(*status, *body, &new_status)) {
      *body = std::move(*rewritten);
      *status = new_status;
    }
  }

  bool RewritesSseFrames() const override { return true; }
  bool OnSseFrame(std::string_view frame, std::string* out) override { return RewriteSseErrorFrame(frame, out); }
};

void AddPost(RouteTable& routes, const std::string& path, RouteHandler handler) {
  routes.AddExact(path, {}, [](const RequestHead&) {
    return RouteDecision::Answer("method_not_allowed", endpoints::ToLocalResponse(endpoints::MethodNotAllowed()));
  });
  routes.AddExact(path, {"POST"}, std::move(handler));
}

LocalResponse TranslationsUnsupported() {
  return LocalResponse{501,
                       "application/json",
                       VllmErrorBody(501,
                                     "The engine behind this server (SGLang) has no audio translation route; "
                                     "/v1/audio/transcriptions is available.",
                                     "NotImplementedError"),
                       {}};
}

}  // namespace

void RegisterAudioRoutes(RouteTable& routes) {
  auto relay = std::make_shared<TranscriptionRelay>();
  AddPost(routes, "/v1/audio/transcriptions", [relay](const RequestHead&) {
    RouteDecision d = RouteDecision::Proxy("audio_transcriptions");
    d.upstream_path = "/v1/audio/transcriptions";  // every spelling the table matched reaches SGLang's route
    d.filters.Add(relay);
    return d;
  });
  AddPost(routes, "/v1/audio/translations",
          [](const RequestHead&) { return RouteDecision::Answer("audio_translations", TranslationsUnsupported()); });
}

}  // namespace shim
