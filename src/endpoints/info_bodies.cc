#include "endpoints/info_bodies.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace shim::endpoints {
namespace {
using nlohmann::json;
std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

std::string VersionJson(std::string_view vllm_version, std::string_view shim_version,
                        const std::optional<std::string>& sglang_version) {
  return Dump(json{{"version", std::string(vllm_version)},
                   {"shim_version", std::string(shim_version)},
                   {"engine", "sglang"},
                   {"engine_version", sglang_version ? json(*sglang_version) : json(nullptr)},
                   {"server", "vllm-sglang-shim"}});
}

std::optional<std::string> SglangVersionFromServerInfo(std::string_view body) {
  json info = json::parse(body.begin(), body.end(), nullptr, false);
  if (info.is_discarded() || !info.is_object()) return std::nullopt;
  auto it = info.find("version");
  if (it == info.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

namespace {
std::optional<long long> PositiveInteger(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  long long value = it->get<long long>();
  if (value <= 0) return std::nullopt;
  return value;
}
}  // namespace

std::optional<long long> MaxModelLenFromSglangModels(std::string_view body) {
  json models = json::parse(body.begin(), body.end(), nullptr, false);
  if (models.is_discarded() || !models.is_object()) return std::nullopt;
  auto data = models.find("data");
  if (data == models.end() || !data->is_array() || data->empty()) return std::nullopt;
  return PositiveInteger(data->front(), "max_model_len");
}

std::optional<long long> MaxModelLenFromTokenizeAnswer(std::string_view body) {
  json answer = json::parse(body.begin(), body.end(), nullptr, false);
  if (answer.is_discarded()) return std::nullopt;
  return PositiveInteger(answer, "max_model_len");
}

std::string LoadJson(uint64_t in_flight) { return Dump(json{{"server_load", in_flight}}); }

namespace {

// SGLang's /server_info is dataclasses.asdict(server_args) plus state
// (python/sglang/srt/entrypoints/http_server.py @8905cbd4, get_server_info), so
// it holds api_key, admin_api_key and ssl_keyfile_password. Matched by name so
// that a secret field added by a later release is caught too.
bool IsSecretFieldName(std::string_view name) {
  std::string lower = ToLower(name);
  for (char& c : lower) c = c == '-' ? '_' : c;
  std::string_view n = lower;
  for (std::string_view word : {"api_key", "apikey", "password", "passwd", "secret", "credential"}) {
    if (n.find(word) != std::string_view::npos) return true;
  }
  return n == "token" || EndsWith(n, "_token") || n == "authorization";
}

void RemoveSecrets(json* value) {
  if (value->is_object()) {
    for (auto it = value->begin(); it != value->end();) {
      if (IsSecretFieldName(it.key())) {
        it = value->erase(it);
      } else {
        RemoveSecrets(&it.value());
        ++it;
      }
    }
  } else if (value->is_array()) {
    for (json& element : *value) RemoveSecrets(&element);
  }
}

}  // namespace

bool RemoveSecretFields(std::string* body) {
  json value = json::parse(body->begin(), body->end(), nullptr, false);
  if (value.is_discarded()) return false;
  RemoveSecrets(&value);
  *body = Dump(value);
  return true;
}

std::string ServerInfoJson(std::string_view shim_config_json, std::string_view sglang_server_info, bool text_format) {
  json config = json::parse(shim_config_json.begin(), shim_config_json.end(), nullptr, false);
  if (config.is_discarded()) config = nullptr;
  json sglang = json::parse(sglang_server_info.begin(), sglang_server_info.end(), nullptr, false);
  if (sglang.is_discarded()) sglang = nullptr;
  RemoveSecrets(&sglang);
  json answer = {
      {"vllm_config", text_format ? json(Dump(config)) : config}, {"sglang_server_info", sglang}, {"engine", "sglang"}};
  return Dump(answer);
}

}  // namespace shim::endpoints
