// Error bodies in vLLM's shape.
//
// vLLM (vllm/entrypoints/openai/engine/protocol.py ErrorResponse, since #22099,
// 2025-08) answers {"error":{"message","type","param","code"}} with the HTTP
// status equal to code. SGLang (python/sglang/srt/entrypoints/openai/
// protocol.py ErrorResponse) answers a flat {"object":"error","message",
// "type","param","code"}; some SGLang versions nest it as {"error":{"object":
// "error",...}}; SGLang before v0.4.9 let FastAPI answer validation failures
// with 422 {"detail":[...]}, and HTTPExceptions answer {"detail":"..."}.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shim {

// Rewrites a non-2xx JSON error body from SGLang into vLLM's shape and sets
// *new_status (the same status, except FastAPI's 422 validation error, which
// vLLM reports as 400). Returns std::nullopt, leaving *new_status untouched,
// when the body is already vLLM-shaped, is not JSON, is not a known error
// shape, or the status is not an error.
std::optional<std::string> VllmErrorFromSglang(int status, std::string_view body, int* new_status);

// VllmErrorFromSglang applied in place: *body and *status change only when the body was an
// SGLang error. Returns whether it changed.
bool ReshapeSglangError(int* status, std::string* body);

// The front door's own errors, e.g. VllmErrorBody(404, "The model `x` does not
// exist.", "NotFoundError", "model"). An empty param becomes null.
std::string VllmErrorBody(int status, std::string_view message, std::string_view type, std::string_view param = {});

// The `type` vLLM's create_error_response uses for a status (400
// BadRequestError, 404 NotFoundError, 422 UnprocessableEntityError, 500
// InternalServerError, 501 NotImplementedError); otherwise the HTTP phrase, as
// vLLM's HTTPException handler does (e.g. 503 "Service Unavailable").
std::string_view VllmErrorTypeForStatus(int status);

// Python's http.HTTPStatus phrase for common statuses ("Bad Request", ...), as
// uvicorn writes it in vLLM's status lines and vLLM in its error types
// (CPython 3.12 Lib/http/__init__.py: 413 is "Request Entity Too Large");
// "Error" for anything unknown. The front door's status lines use it too.
std::string_view HttpStatusPhrase(int status);

// Converts an SGLang error object (flat, or nested with "object") to vLLM's
// {"error":{...}}. `code` replaces the code when non-zero. Returns nullopt if
// `error_json` is not an SGLang error (including when it is already vLLM's).
std::optional<nlohmann::ordered_json> VllmErrorFromSglangJson(const nlohmann::json& error_json, int code);

}  // namespace shim
