// What /health answers, as a pure state machine fed by background checks of
// SGLang. No clock and no I/O, so tests drive it step by step.
#pragma once

namespace shim {

enum class HealthPhase {
  kStarting,   // no successful check yet (SGLang loading): 503
  kHealthy,    // 200
  kUnhealthy,  // `fall` consecutive failures since healthy: 503 until `rise` successes
};

const char* HealthPhaseName(HealthPhase phase);  // "starting" | "healthy" | "unhealthy"

class HealthState {
 public:
  HealthState(int rise, int fall);

  // One background check. `models_ok` (GET /v1/models answered 200) matters only
  // while starting: the production-stack router lists models right after the
  // pod turns Ready, so readiness waits for both.
  void OnCheck(bool health_ok, bool models_ok);
  // Whether the next check must also ask /v1/models.
  bool NeedsModelsCheck() const { return phase_ == HealthPhase::kStarting; }

  void SetDraining() { draining_ = true; }
  bool draining() const { return draining_; }
  HealthPhase phase() const { return phase_; }
  // /health answers 200 exactly when this is true.
  bool Ready() const { return phase_ == HealthPhase::kHealthy && !draining_; }

 private:
  int rise_;
  int fall_;
  HealthPhase phase_ = HealthPhase::kStarting;
  int successes_ = 0;  // consecutive, while unhealthy
  int failures_ = 0;   // consecutive, while healthy
  bool draining_ = false;
};

}  // namespace shim
