// Counters the front door keeps for others to render as metrics. Updated only
// on the I/O thread; read them from the same thread (e.g. inside a route handler).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "frontdoor/health_state.h"

namespace shim {

struct FrontDoorStats {
  // Client side.
  uint64_t connections_open = 0;
  uint64_t connections_total = 0;
  uint64_t connections_refused = 0;  // over Settings::max_connections (answered 503)
  uint64_t requests_in_flight = 0;   // heads parsed whose response is not finished
  uint64_t requests_total = 0;
  uint64_t bad_requests = 0;   // refused by the parser or limits (400/408/413/422/431/505)
  uint64_t client_aborts = 0;  // client went away before its response was complete
  // (route label, HTTP status) → responses finished or aborted with that status.
  // The comparator looks up by string_view: counting allocates nothing once a
  // (label, status) pair has been seen.
  struct ResponseKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      std::string_view al = a.first, bl = b.first;
      return al != bl ? al < bl : a.second < b.second;
    }
  };
  std::map<std::pair<std::string, int>, uint64_t, ResponseKeyLess> responses;
  void CountResponse(std::string_view label, int status) {
    auto key = std::pair<std::string_view, int>(label, status);
    auto it = responses.find(key);
    if (it == responses.end()) it = responses.emplace(std::pair<std::string, int>(label, status), 0).first;
    ++it->second;
  }

  // Upstream side.
  uint64_t upstream_connect_errors = 0;  // SGLang unreachable (answered 503)
  uint64_t upstream_errors = 0;          // SGLang failed after connecting (502 or cut stream)
  uint64_t upstream_timeouts = 0;        // SGLang silent too long (504 or cut stream)
  uint64_t upstream_connections_opened = 0;
  uint64_t upstream_connections_reused = 0;

  // Background health checks of SGLang.
  HealthPhase health_phase = HealthPhase::kStarting;
  bool ready = false;  // what /health answers (200 ⇔ true)
  uint64_t health_checks_total = 0;
  uint64_t health_checks_failed = 0;
  bool last_check_ok = false;
  double last_check_seconds = 0;  // latency of the last check (health + models)
};

}  // namespace shim
