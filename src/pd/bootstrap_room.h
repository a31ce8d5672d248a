// SGLang's bootstrap room: the 63-bit id that pairs a prefill request with its decode request
// (SGLang @8905cbd4 python/sglang/srt/disaggregation/mini_lb.py draws it with
// random.randint(0, 2**63 - 1) and sends it on both legs).
#pragma once
#include <cstdint>
#include <string_view>

namespace shim::pd {

inline constexpr uint64_t kMaxBootstrapRoom = (uint64_t{1} << 63) - 1;

// A fresh room, uniformly drawn from [0, 2^63).
uint64_t NewBootstrapRoom();

// The room both shims derive from the X-Request-Id the router sends on both legs of one
// request, when the decode leg carries no room of its own (production-stack's
// non-orchestrated routing). Stable across processes and machines: FNV-1a 64 of the bytes,
// top bit cleared.
uint64_t BootstrapRoomFromRequestId(std::string_view request_id);

}  // namespace shim::pd
