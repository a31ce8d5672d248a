#include "endpoints/lora_admin.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "rewrite/error_shape.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// pydantic's "field required" / "Input should be a valid ..." as a 400, the
// way vLLM's validation handler reports it (type "Bad Request", param = field).
EndpointReply FieldError(std::string_view field, std::string_view problem) {
  std::string message = std::string(field) + ": " + std::string(problem);
  EndpointReply reply = LoraErrorReply(400, message, "Bad Request");
  auto body = nlohmann::ordered_json::parse(reply.body, nullptr, false);
  if (!body.is_discarded()) {
    body["error"]["param"] = std::string(field);
    body["param"] = std::string(field);
    reply.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  return reply;
}

bool ParseObject(std::string_view text, json* out, EndpointReply* reject) {
  *out = json::parse(text.begin(), text.end(), nullptr, false);
  if (out->is_discarded() || !out->is_object()) {
    *reject = LoraErrorReply(400, "The request body must be a JSON object.", "Bad Request");
    return false;
  }
  return true;
}

// Reads an optional string member; false (with *reject) when present but not a string.
bool ReadString(const json& body, const char* field, bool required, std::string* out, EndpointReply* reject) {
  auto it = body.find(field);
  if (it == body.end()) {
    if (required) {
      *reject = FieldError(field, "Field required");
      return false;
    }
    return true;
  }
  if (!it->is_string()) {
    *reject = FieldError(field, "Input should be a valid string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool MentionsMissingPath(std::string_view message) {
  std::string lower = ToLower(message);
  for (const char* hint : {"no such file", "not found", "does not exist", "no adapter found", "cannot find"}) {
    if (lower.find(hint) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

EndpointReply LoraErrorReply(int status, std::string_view message, std::string_view type) {
  // vLLM's nested error first (member order message, type, param, code), then
  // the flat members the LoRA controller reads.
  auto body = nlohmann::ordered_json::parse(VllmErrorBody(status, message, type), nullptr, false);
  if (body.is_discarded()) body = nlohmann::ordered_json::object();
  body["object"] = "error";
  body["message"] = std::string(message);
  body["type"] = std::string(type);
  body["param"] = nullptr;
  body["code"] = status;
  return JsonReply(status, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

bool ParseLoadLoraRequest(std::string_view text, LoadLoraRequest* out, EndpointReply* reject) {
  json body;
  if (!ParseObject(text, &body, reject)) return false;
  LoadLoraRequest request;
  if (!ReadString(body, "lora_name", true, &request.lora_name, reject)) return false;
  if (!ReadString(body, "lora_path", true, &request.lora_path, reject)) return false;
  auto inplace = body.find("load_inplace");
  if (inplace != body.end() && !inplace->is_null()) {
    if (!inplace->is_boolean()) {
      *reject = FieldError("load_inplace", "Input should be a valid boolean");
      return false;
    }
    request.load_inplace = inplace->get<bool>();
  }
  if (request.lora_name.empty() || request.lora_path.empty()) {
    *reject = LoraErrorReply(400, "Both 'lora_name' and 'lora_path' must be provided.", "InvalidUserInput");
    return false;
  }
  *out = std::move(request);
  return true;
}

bool ParseUnloadLoraRequest(std::string_view text, UnloadLoraRequest* out, EndpointReply* reject) {
  json body;
  if (!ParseObject(text, &body, reject)) return false;
  UnloadLoraRequest request;
  if (!ReadString(body, "lora_name", true, &request.lora_name, reject)) return false;
  if (request.lora_name.empty()) {
    *reject = LoraErrorReply(400, "either 'lora_name' and 'lora_int_id' needs to be provided.", "InvalidUserInput");
    return false;
  }
  *out = std::move(request);
  return true;
}

EndpointReply LoraLoadedReply(const std::string& name) {
  return EndpointReply{
      200, std::string(kTextContentType), "Success: LoRA adapter '" + name + "' added successfully.", {}};
}

EndpointReply LoraRemovedReply(const std::string& name) {
  return EndpointReply{
      200, std::string(kTextContentType), "Success: LoRA adapter '" + name + "' removed successfully.", {}};
}

EndpointReply LoraAlreadyLoadedReply(const std::string& name) {
  return LoraErrorReply(400,
                        "The lora adapter '" + name +
                            "' has already been loaded. If you want to load the adapter in place, "
                            "set 'load_inplace' to True.",
                        "InvalidUserInput");
}

EndpointReply LoraNotFoundReply(const std::string& name) {
  return LoraErrorReply(404, "The lora adapter '" + name + "' cannot be found.", "NotFoundError");
}

std::string SglangLoadLoraBody(const LoadLoraRequest& request) {
  return Dump(json{{"lora_name", request.lora_name}, {"lora_path", request.lora_path}});
}

std::string SglangUnloadLoraBody(const std::string& name) { return Dump(json{{"lora_name", name}}); }

std::optional<EndpointReply> SglangLoraFailure(bool reached, int status, std::string_view text,
                                               std::string_view transport_error) {
  if (!reached) {
    return LoraErrorReply(503, "The engine could not be reached: " + std::string(transport_error),
                          "Service Unavailable");
  }
  json body = json::parse(text.begin(), text.end(), nullptr, false);
  bool success = status == 200;
  std::string message;
  if (!body.is_discarded() && body.is_object()) {
    auto it = body.find("success");
    if (it != body.end() && it->is_boolean()) success = success && it->get<bool>();
    for (const char* key : {"error_message", "message", "detail"}) {
      auto m = body.find(key);
      if (m != body.end() && m->is_string() && !m->get<std::string>().empty()) {
        message = m->get<std::string>();
        break;
      }
    }
    auto nested = body.find("error");
    if (message.empty() && nested != body.end() && nested->is_object()) {
      auto m = nested->find("message");
      if (m != nested->end() && m->is_string()) message = m->get<std::string>();
    }
  }
  if (success) return std::nullopt;
  if (message.empty()) message = "The engine refused the request (HTTP " + std::to_string(status) + ").";
  if (status == 401 || status == 403)
    return LoraErrorReply(500, "The engine refused the shim's credentials.", "InternalServerError");
  if (MentionsMissingPath(message)) return LoraErrorReply(404, message, "NotFoundError");
  if (status >= 500) return LoraErrorReply(500, message, "InternalServerError");
  return LoraErrorReply(400, message, "BadRequestError");
}

}  // namespace shim::endpoints
