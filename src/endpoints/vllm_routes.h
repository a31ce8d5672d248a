// The HTTP routes a vLLM OpenAI-compatible server has (vLLM @9aaf83ef,
// vllm/entrypoints/openai/api_server.py:build_app and the routers it
// attaches; docs/configuration.md#security sorts them by kind). The front door forwards to SGLang
// only requests for these paths: SGLang's own routes (/generate, /encode,
// /v1/loads, ...) do not exist on a vLLM server, so they answer vLLM's 404
// unless VLLM_SGLANG_EXPOSE_SGLANG_ROUTES=1.
#pragma once
#include <string_view>

namespace shim::endpoints {

// `normalized_path`: NormalizePath of the request's path.
bool IsVllmRoute(std::string_view normalized_path);

}  // namespace shim::endpoints
