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
