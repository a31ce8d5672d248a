#include "frontdoor/connection_flags.h"

namespace shim {

std::string ConnectionFlags::Describe() const {
  const char* phase_name = phase == Phase::kIdle ? "idle" : phase == Phase::kReadingHead ? "reading_head" : "serving";
  std::string out = std::string("phase=") + phase_name + " served=" + std::to_string(requests_served);
  auto flag = [&out](const char* name, bool value) { out.append(" ").append(name).append(value ? "=1" : "=0"); };
  flag("closed", closed);
  flag("input_failed", input_failed);
  flag("input_pinned", input_pinned);
  flag("timed_out", timed_out);
  flag("client_gone", client_gone);
  flag("body_consumed", body_consumed);
  flag("upstream_timed_out", upstream_timed_out);
  flag("response_complete", response_complete);
  return out;
}

}  // namespace shim
