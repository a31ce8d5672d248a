#include "fake_sglang/pd_mode.h"

#include <cstdio>
#include <optional>

#include "common/strings.h"
#include "fake_sglang/cli.h"

namespace shim::fake_sglang {

using nlohmann::json;

PdMode ParsePdMode(const std::string& text) {
  if (text == "prefill") return PdMode::kPrefill;
  if (text == "decode") return PdMode::kDecode;
  return PdMode::kNull;
}

namespace {

bool AllDigits(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// pydantic (lax mode) takes an int, or a str that parses as one.
bool ReadIntText(const json& value, std::string* out, std::string* msg) {
  if (value.is_number_integer()) {
    *out = value.dump();
    return true;
  }
  if (value.is_string() && AllDigits(TrimSpaces(value.get<std::string>()))) {
    std::string text(TrimSpaces(value.get<std::string>()));
    if (text[0] == '+') text.erase(0, 1);
    *out = text;
    return true;
  }
  *msg = value.is_string() ? "Input should be a valid integer, unable to parse string as an integer"
                           : "Input should be a valid integer";
  return false;
}

std::string Rank0Prefix(const char* what, const char* req, const std::string& rid, const std::string& room) {
  // f"... rank={self.tp_rank} {req.rid=} {req.bootstrap_room=}": the stand-in is rank 0.
  return std::string(what) + " failed for request rank=0 " + req + ".rid=" + PythonRepr(rid) + " " + req +
         ".bootstrap_room=" + room;
}

std::string KvTransferError(const std::string& room, const std::string& reason) {
  return " with exception KVTransferError(bootstrap_room=" + room + "): " + reason;
}

}  // namespace

bool ReadBootstrapFields(const json& body, BootstrapFields* out, std::string* pydantic_loc, std::string* msg) {
  BootstrapFields fields;
  if (body.is_object()) {
    auto host = body.find("bootstrap_host");
    if (host != body.end() && !host->is_null()) {
      if (!host->is_string()) {
        *pydantic_loc = "('body', 'bootstrap_host')";
        *msg = "Input should be a valid string";
        return false;
      }
      fields.host = host->get<std::string>();
    }
    auto port = body.find("bootstrap_port");
    if (port != body.end() && !port->is_null()) {
      std::string text;
      std::optional<long long> value;
      if (ReadIntText(*port, &text, msg)) value = ParseInt(text);
      if (!value) {
        *pydantic_loc = "('body', 'bootstrap_port')";
        if (msg->empty()) *msg = "Input should be a valid integer";
        return false;
      }
      // Python takes any int; a port outside 1..65535 simply cannot be connected to.
      fields.port = (*value > 0 && *value <= 65535) ? static_cast<int>(*value) : -1;
    }
    auto room = body.find("bootstrap_room");
    if (room != body.end() && !room->is_null() && !ReadIntText(*room, &fields.room, msg)) {
      *pydantic_loc = "('body', 'bootstrap_room')";
      return false;
    }
  }
  *out = fields;
  return true;
}

bool RoomRequired(PdMode mode, const std::string& transfer_backend) {
  return mode != PdMode::kNull && transfer_backend != "fake";
}

std::string MissingRoomMessage(const std::string& rid) {
  // Older releases spell it "boostrap"; the scheduler.py of the cited commit spells it right.
  return "Invalid request: Disaggregated request received without bootstrap room id. req.rid=" + PythonRepr(rid);
}

std::string OneDecimal(double value) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.1f", value);
  return text;
}

std::string PrefillBootstrapTimeoutMessage(const std::string& rid, const std::string& room, double elapsed_s) {
  return Rank0Prefix("Prefill bootstrap", "req", rid, room) +
         KvTransferError(room,
                         "Request " + room + " timed out after " + OneDecimal(elapsed_s) + "s in KVPoll.Bootstrapping");
}

std::string DecodeHandshakeFailedMessage(const std::string& rid, const std::string& room) {
  // _ensure_prefill_info gives up with kv_receiver.abort(), which records this reason.
  return Rank0Prefix("Decode handshake", "decode_req.req", rid, room) + KvTransferError(room, "Aborted by AbortReq.");
}

std::string DecodeWaitingTimeoutMessage(const std::string& rid, const std::string& room, double elapsed_s) {
  return Rank0Prefix("Decode transfer", "decode_req.req", rid, room) +
         KvTransferError(
             room, "Request " + room + " timed out after " + OneDecimal(elapsed_s) + "s in KVPoll.WaitingForInput");
}

std::string DecodeLostPrefillMessage(const std::string& rid, const std::string& room, const std::string& addr) {
  return Rank0Prefix("Decode transfer", "decode_req.req", rid, room) +
         KvTransferError(room, "Lost connection with prefill instance (bootstrap_addr: " + addr + ")");
}

}  // namespace shim::fake_sglang
