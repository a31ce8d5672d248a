#include "frontdoor/health_state.h"

namespace shim {

const char* HealthPhaseName(HealthPhase phase) {
  switch (phase) {
    case HealthPhase::kStarting:
      return "starting";
    case HealthPhase::kHealthy:
      return "healthy";
    case HealthPhase::kUnhealthy:
      return "unhealthy";
  }
  return "unknown";
}

HealthState::HealthState(int rise, int fall) : rise_(rise < 1 ? 1 : rise), fall_(fall < 1 ? 1 : fall) {}

void HealthState::OnCheck(bool health_ok, bool models_ok) {
  switch (phase_) {
    case HealthPhase::kStarting:
      // The first full success makes the pod Ready at once: `rise` is for recovery.
      if (health_ok && models_ok) phase_ = HealthPhase::kHealthy;
      return;
    case HealthPhase::kHealthy:
      failures_ = health_ok ? 0 : failures_ + 1;
      if (failures_ >= fall_) {
        phase_ = HealthPhase::kUnhealthy;
        failures_ = 0;
        successes_ = 0;
      }
      return;
    case HealthPhase::kUnhealthy:
      successes_ = health_ok ? successes_ + 1 : 0;
      if (successes_ >= rise_) {
        phase_ = HealthPhase::kHealthy;
        successes_ = 0;
        failures_ = 0;
      }
      return;
  }
}

}  // namespace shim
