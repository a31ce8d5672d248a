// Audio in the stand-in's chat requests, as SGLang @8905cbd4 takes it: its own
// {"type":"audio_url","audio_url":{"url":...}} part (python/sglang/srt/entrypoints/openai/protocol.py
// ChatCompletionMessageContentAudioPart) and no OpenAI input_audio part (added upstream by
// sgl-project/sglang#33606, 2026-08). A data: URL is decoded as python/sglang/srt/utils/common.py
// load_audio does (the text after the first ',' through pybase64.b64decode(validate=True)).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fake_sglang/openai_request.h"

namespace shim::fake_sglang {

// One content part of message `message`, position `index`. Adds SGLang's pydantic errors for an
// input_audio part (the content-part union has no member for it) to *errors; for an audio_url
// part checks the URL and counts it in *audio_items, or sets *load_error (answered 400 after
// validation, as SGLang's loader fails). Returns false for a part that is neither.
bool CheckAudioPart(const nlohmann::json& part, size_t message, size_t index, std::vector<FieldError>* errors,
                    std::string* load_error, int* audio_items);

// Strict base64 (RFC 4648 alphabet, padding required, no whitespace), as validate=True reads it.
bool DecodeBase64Strict(std::string_view in, std::string* out);

}  // namespace shim::fake_sglang
