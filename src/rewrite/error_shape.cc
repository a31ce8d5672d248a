#include "rewrite/error_shape.h"

#include "rewrite/json_scanner.h"

namespace shim {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Error bodies are small; anything larger is not an error we should rewrite.
constexpr size_t kMaxErrorBody = 1 << 20;
constexpr size_t kMaxErrorDepth = 64;

std::string AsMessage(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return DumpJson(value);
}

// Ordered so the body reads like vLLM's: message, type, param, code.
ordered_json MakeError(std::string message, std::string type, const json& param, int code) {
  ordered_json inner = ordered_json::object();
  inner["message"] = std::move(message);
  inner["type"] = std::move(type);
  inner["param"] = param.is_string() ? ordered_json(param.get<std::string>()) : ordered_json();
  inner["code"] = code;
  ordered_json outer = ordered_json::object();
  outer["error"] = std::move(inner);
  return outer;
}

// "body.messages.0.content: Field required" for one FastAPI detail entry.
std::string DescribeValidationEntry(const json& entry) {
  if (!entry.is_object()) return AsMessage(entry);
  std::string where;
  auto loc = entry.find("loc");
  if (loc != entry.end() && loc->is_array()) {
    for (const auto& part : *loc) {
      if (!where.empty()) where.push_back('.');
      where += part.is_string() ? part.get<std::string>() : DumpJson(part);
    }
  }
  auto msg = entry.find("msg");
  std::string text = msg != entry.end() ? AsMessage(*msg) : DumpJson(entry);
  return where.empty() ? text : where + ": " + text;
}

}  // namespace

std::string_view HttpStatusPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request-URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

std::string_view VllmErrorTypeForStatus(int status) {
  // vllm/entrypoints/utils.py create_error_response (exception → type).
  switch (status) {
    case 400:
      return "BadRequestError";
    case 404:
      return "NotFoundError";
    case 422:
      return "UnprocessableEntityError";
    case 500:
      return "InternalServerError";
    case 501:
      return "NotImplementedError";
    default:
      return HttpStatusPhrase(status);
  }
}

std::string VllmErrorBody(int status, std::string_view message, std::string_view type, std::string_view param) {
  json param_json = param.empty() ? json(nullptr) : json(std::string(param));
  return DumpJson(MakeError(std::string(message), std::string(type), param_json, status));
}

std::optional<ordered_json> VllmErrorFromSglangJson(const json& error_json, int code) {
  if (!error_json.is_object()) return std::nullopt;
  const json* inner = nullptr;
  auto object = error_json.find("object");
  if (object != error_json.end() && *object == "error" && error_json.contains("message")) {
    inner = &error_json;  // flat SGLang shape
  } else {
    auto nested = error_json.find("error");
    if (nested != error_json.end() && nested->is_object() && nested->contains("object")) {
      inner = &*nested;  // SGLang's nested form still carries "object"
    }
  }
  if (!inner) return std::nullopt;
  int final_code = code;
  if (final_code == 0) {
    auto c = inner->find("code");
    final_code = (c != inner->end() && c->is_number_integer()) ? c->get<int>() : 500;
  }
  auto message = inner->find("message");
  auto type = inner->find("type");
  auto param = inner->find("param");
  return MakeError(message != inner->end() ? AsMessage(*message) : std::string(),
                   (type != inner->end() && type->is_string()) ? type->get<std::string>()
                                                               : std::string(VllmErrorTypeForStatus(final_code)),
                   param != inner->end() ? *param : json(nullptr), final_code);
}

bool ReshapeSglangError(int* status, std::string* body) {
  int new_status = *status;
  auto rewritten = VllmErrorFromSglang(*status, *body, &new_status);
  if (!rewritten) return false;
  *body = std::move(*rewritten);
  *status = new_status;
  return true;
}

std::optional<std::string> VllmErrorFromSglang(int status, std::string_view body, int* new_status) {
  if (status < 400 || body.size() > kMaxErrorBody) return std::nullopt;
  json parsed;
  if (!ParseJsonValue(body, kMaxErrorDepth, &parsed) || !parsed.is_object()) return std::nullopt;

  if (auto converted = VllmErrorFromSglangJson(parsed, status)) {
    *new_status = status;
    return DumpJson(*converted);
  }

  // {"error":{"message":M}} without the rest of vLLM's members: SGLang's transcription route
  // answers an unsupported response_format so (http_server.py openai_v1_audio_transcriptions).
  if (auto nested = parsed.find("error"); nested != parsed.end() && parsed.size() == 1 && nested->is_object()) {
    auto message = nested->find("message");
    if (message == nested->end() || !message->is_string()) return std::nullopt;
    if (nested->contains("type") && nested->contains("param") && nested->contains("code")) return std::nullopt;
    auto type = nested->find("type");
    auto param = nested->find("param");
    *new_status = status;
    return DumpJson(MakeError(message->get<std::string>(),
                              (type != nested->end() && type->is_string())
                                  ? type->get<std::string>()
                                  : std::string(VllmErrorTypeForStatus(status)),
                              param != nested->end() ? *param : json(nullptr), status));
  }

  auto detail = parsed.find("detail");
  if (detail == parsed.end() || parsed.size() != 1) return std::nullopt;
  if (status == 422 && detail->is_array()) {
    // vLLM reports request validation failures as 400 "Bad Request"
    // (vllm/entrypoints/openai/api_server.py validation_exception_handler).
    std::string message =
        std::to_string(detail->size()) + (detail->size() == 1 ? " validation error" : " validation errors");
    std::string separator = ": ";
    for (const auto& entry : *detail) {
      message += separator + DescribeValidationEntry(entry);
      separator = "; ";
    }
    *new_status = 400;
    return DumpJson(MakeError(message, std::string(HttpStatusPhrase(400)), nullptr, 400));
  }
  if (detail->is_string()) {
    // FastAPI HTTPException; vLLM's handler uses the status phrase as type.
    *new_status = status;
    return DumpJson(MakeError(detail->get<std::string>(), std::string(HttpStatusPhrase(status)), nullptr, status));
  }
  return std::nullopt;
}

}  // namespace shim
