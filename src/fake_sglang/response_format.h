// Chat's response_format as SGLang reads it (python/sglang/srt/entrypoints/openai/protocol.py
// @004c82e0: ResponseFormat, JsonSchemaResponseFormat, ChatCompletionRequest.set_json_schema and
// to_sampling_params), reduced to the schema the grammar backend would be given.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "fake_sglang/openai_request.h"

namespace shim::fake_sglang {

struct ResponseFormatResult {
  std::optional<nlohmann::json> schema;  // json_object: {"type":"object"}; json_schema: its schema
  std::optional<ApiError> failure;       // an error SGLang answers after validation (500)
};

// Reads body["response_format"]. Pydantic failures go to *errors (the caller answers them as
// the flat 400); "text", null and structural_tag leave the schema empty.
ResponseFormatResult ReadResponseFormat(const nlohmann::json& body, std::vector<FieldError>* errors);

}  // namespace shim::fake_sglang
