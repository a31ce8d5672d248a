// Prefill/decode (PD) disaggregation as SGLang's HTTP server shows it to a client
// (SGLang @8905cbd4 python/sglang/srt/disaggregation/): the bootstrap fields a generation
// request carries, the check that refuses a PD request without a room, and the error
// texts a failed bootstrap or KV transfer ends with. The waiting itself is in
// pd_generation.cc; the rooms in pd_rooms.h.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace shim::fake_sglang {

// utils.py DisaggregationMode; --disaggregation-mode null|prefill|decode.
enum class PdMode { kNull, kPrefill, kDecode };

PdMode ParsePdMode(const std::string& text);  // anything but prefill/decode is kNull

// utils.py FAKE_BOOTSTRAP_HOST: a request naming this host uses the "fake" transfer
// backend (SGLang's warm-up and tests): no bootstrap, no KV, no waiting.
inline constexpr const char* kFakeBootstrapHost = "2.2.2.2";

// decode.py DecodePreallocQueue: an unreachable bootstrap server is retried once a
// second, and the request fails after this many attempts (_max_ensure_retries).
inline constexpr int kBootstrapConnectAttempts = 15;

// io_struct.py GenerateReqInput / protocol.py: bootstrap_host, bootstrap_port, bootstrap_room.
struct BootstrapFields {
  std::string host;  // "" when absent or null
  int port = 0;      // 0 when absent or null
  // The room as its decimal JSON text ("" when absent or null): rooms are 63-bit in
  // practice (mini_lb.py _generate_bootstrap_room) but Python takes any int, so the
  // text is the key and nothing is lost to a C++ integer type.
  std::string room;
};

// Reads the three fields of a request body. False with *pydantic_loc and *msg set when a
// field has the wrong type (pydantic's int/str checks, answered as any validation error).
bool ReadBootstrapFields(const nlohmann::json& body, BootstrapFields* out, std::string* pydantic_loc, std::string* msg);

// scheduler.py handle_generate_request: in PD mode a request without a room is aborted
// with 400, unless the transfer backend is "fake".
bool RoomRequired(PdMode mode, const std::string& transfer_backend);
std::string MissingRoomMessage(const std::string& rid);

// prefill.py PrefillBootstrapQueue.pop_bootstrapped + mooncake KVTransferError: the decode
// leg never arrived within SGLANG_DISAGGREGATION_BOOTSTRAP_TIMEOUT. Answered 500.
std::string PrefillBootstrapTimeoutMessage(const std::string& rid, const std::string& room, double elapsed_s);
// decode.py _update_handshake_waiters: the prefill's bootstrap server could not be reached.
std::string DecodeHandshakeFailedMessage(const std::string& rid, const std::string& room);
// decode.py DecodeTransferQueue + common/conn.py _check_waiting_timeout: bootstrapped, but
// no KV within SGLANG_DISAGGREGATION_WAITING_TIMEOUT.
std::string DecodeWaitingTimeoutMessage(const std::string& rid, const std::string& room, double elapsed_s);
// common/conn.py _handle_node_failure: the prefill's bootstrap server went away.
std::string DecodeLostPrefillMessage(const std::string& rid, const std::string& room, const std::string& addr);

// Python's f"{x:.1f}".
std::string OneDecimal(double value);

}  // namespace shim::fake_sglang
