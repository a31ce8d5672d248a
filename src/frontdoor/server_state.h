// State shared by the listener, the connections and the health checker.
// Internal to src/frontdoor; single-threaded (the io_context's thread).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>

#include "common/prelude.h"
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "frontdoor/backend_client.h"
#include "frontdoor/front_door.h"
#include "frontdoor/health_state.h"
#include "frontdoor/route.h"
#include "frontdoor/stats.h"
#include "frontdoor/upstream_pool.h"

namespace shim {

class ClientConnection;

struct ServerState {
  ServerState(boost::asio::io_context& io, FrontDoorConfig config, boost::asio::ip::tcp::endpoint backend);

  boost::asio::io_context& io;
  FrontDoorConfig config;
  RouteTable routes;
  UpstreamPool pool;
  HealthState health;
  FrontDoorStats stats;

  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  boost::asio::steady_timer health_timer;
  boost::asio::steady_timer sweep_timer;
  boost::asio::steady_timer drain_timer;
  bool started = false;
  bool draining = false;  // responses carry Connection: close; /health is 503
  bool stopped = false;   // StopNow() or drain finished
  std::function<void(bool)> on_drained;
  std::function<bool()> health_paused;  // true: skip checks, keep the verdict
  std::unordered_set<ClientConnection*> connections;
  // Ends a health check in flight on StopNow()/drain end, so a slow SGLang
  // /health cannot keep the io_context (and the shim's exit) waiting.
  std::shared_ptr<FetchCancel> health_cancel = std::make_shared<FetchCancel>();

  // First API key: our own calls to SGLang authenticate with it.
  std::string backend_api_key() const {
    return config.frontend.api_keys.empty() ? std::string() : config.frontend.api_keys.front();
  }
  void PublishHealth() {
    stats.health_phase = health.phase();
    stats.ready = health.Ready();
  }
  void CloseListener();
  // Stops the background work: health checks (also one in flight), pool sweeps, pooling.
  void StopBackgroundWork();
};

// Background checks of SGLang's /health (and /v1/models while starting).
boost::asio::awaitable<void> RunHealthChecks(std::shared_ptr<ServerState> state);

}  // namespace shim
