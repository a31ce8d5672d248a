#include "app/audio_routes.h"

#include <memory>
#include <string>

#include "endpoints/fastapi_route.h"
#include "endpoints/sglang_error_filter.h"
#include "endpoints/vllm_endpoints.h"
#include "rewrite/error_shape.h"

namespace shim {
namespace {

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
  // The multipart upload goes to SGLang as it came, read whole first so the front door's body
  // limit (VLLM_SGLANG_MAX_BODY_BYTES) answers 413 in vLLM's shape for a larger one; vLLM and
  // SGLang read the whole upload before they transcribe too. SGLang's errors come back in vLLM's
  // shape, whole or as stream error frames; a successful answer (json, text, verbose_json or
  // SSE deltas) streams through unbuffered.
  auto whole = std::make_shared<endpoints::WholeRequestBody>();
  auto errors = std::make_shared<endpoints::SglangErrorFilter>();
  endpoints::AddFastApiRoute(routes, "/v1/audio/transcriptions", {"POST"}, [whole, errors](const RequestHead&) {
    RouteDecision d = RouteDecision::Proxy("audio_transcriptions");
    d.upstream_path = "/v1/audio/transcriptions";  // every spelling the table matched reaches SGLang's route
    d.filters.Add(whole);
    d.filters.Add(errors);
    return d;
  });
  endpoints::AddFastApiRoute(routes, "/v1/audio/translations", {"POST"}, [](const RequestHead&) {
    return RouteDecision::Answer("audio_translations", TranslationsUnsupported());
  });
}

}  // namespace shim
