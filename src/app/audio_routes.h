// vLLM's audio routes over SGLang: /v1/audio/transcriptions relayed to SGLang's route of the
// same name, /v1/audio/translations answered 501 (SGLang has none). docs/endpoints.md.
#pragma once
#include "common/prelude.h"

#include "frontdoor/route.h"

namespace shim {

// Registers both routes (POST; other methods get FastAPI's 405). For generation models only:
// vLLM registers them for the `transcription` task, which the shim cannot tell from a
// generation model, so they stay open there and SGLang answers for its model.
void RegisterAudioRoutes(RouteTable& routes);

}  // namespace shim
