#include "pd/kv_transfer_params.h"

#include <charconv>

#include "pd/bootstrap_room.h"

namespace shim::pd {
namespace {

using nlohmann::json;

// A room as JSON gives it: a non-negative integer below 2^63, or that integer in decimal text.
bool ReadRoom(const json& value, uint64_t* room) {
  if (value.is_number_unsigned()) {
    *room = value.get<uint64_t>();
    return *room <= kMaxBootstrapRoom;
  }
  if (value.is_number_integer()) {
    long long v = value.get<long long>();
    if (v < 0) return false;
    *room = static_cast<uint64_t>(v);
    return true;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *room);
    return ec == std::errc() && end == text.data() + text.size() && *room <= kMaxBootstrapRoom;
  }
  return false;
}

}  // namespace

bool AsksForRemoteDecode(const json& request) {
  if (!request.is_object()) return false;
  auto params = request.find("kv_transfer_params");
  if (params == request.end() || !params->is_object()) return false;
  auto flag = params->find("do_remote_decode");
  return flag != params->end() && flag->is_boolean() && flag->get<bool>();
}

nlohmann::ordered_json PrefillKvTransferParams(const BootstrapTarget& target) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  params["do_remote_decode"] = false;
  params["do_remote_prefill"] = true;
  params["remote_engine_id"] = std::to_string(target.room);
  params["remote_block_ids"] = nlohmann::ordered_json::array();
  params["remote_host"] = target.host;
  params["remote_port"] = target.port;
  params["bootstrap_room"] = target.room;
  return params;
}

bool BootstrapTargetFromKvTransferParams(const json& params, BootstrapTarget* out, std::string* err) {
  if (!params.is_object()) {
    *err = "kv_transfer_params must be an object";
    return false;
  }
  auto host = params.find("remote_host");
  if (host == params.end() || !host->is_string() || host->get_ref<const std::string&>().empty()) {
    *err = "kv_transfer_params.remote_host must name the prefill engine's host";
    return false;
  }
  auto port = params.find("remote_port");
  if (port == params.end() || !port->is_number_integer() || port->get<long long>() < 1 ||
      port->get<long long>() > 65535) {
    *err = "kv_transfer_params.remote_port must be the prefill engine's bootstrap port (1-65535)";
    return false;
  }
  uint64_t room = 0;
  auto by_room = params.find("bootstrap_room");
  auto by_engine = params.find("remote_engine_id");
  bool have_room = by_room != params.end() && !by_room->is_null() ? ReadRoom(*by_room, &room)
                   : by_engine != params.end()                    ? ReadRoom(*by_engine, &room)
                                                                  : false;
  if (!have_room) {
    *err = "kv_transfer_params must carry the bootstrap room (bootstrap_room, or remote_engine_id in decimal)";
    return false;
  }
  out->host = host->get<std::string>();
  out->port = static_cast<int>(port->get<long long>());
  out->room = room;
  return true;
}

}  // namespace shim::pd
