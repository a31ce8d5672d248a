#include "endpoints/info_bodies.h"

#include <nlohmann/json.hpp>

namespace shim::endpoints {
namespace {
using nlohmann::json;
std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

std::string VersionJson(std::string_view shim_version, const std::optional<std::string>& sglang_version) {
  return Dump(json{{"version", std::string(shim_version)},
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

std::string ServerInfoJson(std::string_view shim_config_json, std::string_view sglang_server_info, bool text_format) {
  json config = json::parse(shim_config_json.begin(), shim_config_json.end(), nullptr, false);
  if (config.is_discarded()) config = nullptr;
  json sglang = json::parse(sglang_server_info.begin(), sglang_server_info.end(), nullptr, false);
  if (sglang.is_discarded()) sglang = nullptr;
  json answer = {{"vllm_config", text_format ? json(Dump(config)) : config},
                 {"sglang_server_info", sglang},
                 {"engine", "sglang"}};
  return Dump(answer);
}

}  // namespace shim::endpoints
