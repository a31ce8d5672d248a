// Background checks of SGLang that feed /health (health_state.h).
#include "common/prelude.h"
#include <algorithm>
#include <chrono>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "frontdoor/backend_client.h"
#include "frontdoor/server_state.h"

namespace shim {

namespace asio = boost::asio;

namespace {

// While SGLang starts, checks run back to back so readiness is not delayed by
// the interval; this floor only stops a tight loop on "connection refused".
constexpr std::chrono::milliseconds kStartingMinSpacing{100};

}  // namespace

asio::awaitable<void> RunHealthChecks(std::shared_ptr<ServerState> state) {
  using Clock = std::chrono::steady_clock;
  const Settings& settings = state->config.settings;
  const Duration timeout = settings.health_timeout;
  const Duration interval = settings.health_interval;
  HealthPhase last_phase = state->health.phase();
  std::string last_error;
  while (!state->stopped) {
    if (state->health_paused && state->health_paused()) {
      // A sleeping engine cannot generate, so SGLang's /health would fail; the
      // engine is not dead, so the verdict stays as it was until it wakes.
      state->health_timer.expires_after(interval);
      boost::system::error_code ec;
      co_await state->health_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    Clock::time_point start = Clock::now();
    BackendRequest request;
    request.target = "/health";
    request.timeout = timeout;
    request.headers = BearerHeaders(state->backend_api_key());
    request.cancel = state->health_cancel;
    BackendResponse health = co_await FetchFromBackend(state->config.backend, request);
    if (state->stopped) co_return;
    bool health_ok = health.ok && health.status == 200;
    bool models_ok = false;
    std::string error = health.ok ? "/health answered " + std::to_string(health.status) : health.error;
    if (health_ok && state->health.NeedsModelsCheck()) {
      request.target = "/v1/models";
      BackendResponse models = co_await FetchFromBackend(state->config.backend, request);
      if (state->stopped) co_return;
      models_ok = models.ok && models.status == 200;
      if (!models_ok) error = models.ok ? "/v1/models answered " + std::to_string(models.status) : models.error;
    }
    Clock::duration took = Clock::now() - start;
    bool ok = health_ok && (models_ok || !state->health.NeedsModelsCheck());
    state->health.OnCheck(health_ok, models_ok);
    FrontDoorStats& stats = state->stats;
    ++stats.health_checks_total;
    if (!ok) ++stats.health_checks_failed;
    stats.last_check_ok = ok;
    stats.last_check_seconds = std::chrono::duration<double>(took).count();
    state->PublishHealth();

    HealthPhase phase = state->health.phase();
    if (phase != last_phase) {
      if (phase == HealthPhase::kHealthy) {
        LogInfo("SGLang is ready: /health now answers 200");
      } else {
        LogWarning("SGLang failed ", settings.health_fall, " health checks (", error, "): /health now answers 503");
      }
      last_phase = phase;
    } else if (!ok && phase != HealthPhase::kStarting && error != last_error) {
      LogWarning("SGLang health check failed: ", error);
    }
    last_error = ok ? std::string() : error;

    Clock::duration wait = interval;
    if (phase == HealthPhase::kStarting) {
      wait = took >= kStartingMinSpacing ? Clock::duration::zero() : kStartingMinSpacing - took;
    }
    state->health_timer.expires_after(wait);
    boost::system::error_code ec;
    co_await state->health_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace shim
