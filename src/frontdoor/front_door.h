// The front door: vLLM's HTTP port, served by one single-threaded component.
// It answers /health and /ping from state, hides SGLang's admin routes, relays
// everything else to SGLang over pooled keep-alive connections (streaming both
// ways, SSE chunk by chunk), and drains gracefully on SIGTERM.
//
// Usage (all on the io_context's one thread):
//   FrontDoor door(io, config);
//   door.routes().AddExact(...);          // optional: later components' routes (see route.h)
//   if (!door.Bind(&err)) { LogError(err); return 1; }
//   door.Start();
//   ... on SIGTERM: door.BeginDrain([](bool clean) { /* stop SGLang, exit */ });
//   ... on engine exit: door.StopNow();
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "common/prelude.h"
#include <boost/asio/io_context.hpp>

#include "config/settings.h"
#include "frontdoor/route.h"
#include "frontdoor/stats.h"
#include "translate/translation.h"

namespace shim {

struct FrontDoorConfig {     // filled by src/app from Settings + Translation
  Endpoint listen;           // host may be "", "0.0.0.0", "::", a name or an IP ("" = all IPv4)
  Endpoint backend;          // 127.0.0.1:<port>
  Settings settings;         // health_*, drain_*, limits, expose_admin, upstream_idle_timeout
  FrontendOptions frontend;  // api_keys (first one authenticates our own calls), shutdown_timeout
};

struct ServerState;

class FrontDoor {
 public:
  FrontDoor(boost::asio::io_context& io, FrontDoorConfig config);
  ~FrontDoor();
  FrontDoor(const FrontDoor&) = delete;
  FrontDoor& operator=(const FrontDoor&) = delete;

  // Binds and listens now. On failure one line in *err, e.g.
  // "cannot listen on 0.0.0.0:8000: Address already in use".
  bool Bind(std::string* err);
  // Starts the accept loop, the background health checks and the pool sweeper.
  void Start();
  // SIGTERM: /health answers 503 at once; keeps accepting for drain_delay; then
  // stops accepting and waits for in-flight requests and streams until the
  // drain timeout (VLLM_SGLANG_DRAIN_TIMEOUT, else --shutdown-timeout, else
  // 25 s; counted from this call); then calls on_drained(clean) once, where
  // clean means nothing was still in flight. Remaining connections are closed.
  void BeginDrain(std::function<void(bool clean)> on_drained);
  // Closes the listener and every connection at once (engine died / SIGINT).
  void StopNow();
  // What /health answers right now (true = 200).
  bool Ready() const;

  // While `paused` returns true, background health checks are skipped and
  // /health keeps its last verdict (vLLM sleep mode: the engine is alive but
  // cannot generate). Set before Start().
  void SetHealthCheckPause(std::function<bool()> paused);

  // Routes consulted before the default proxying; register before Start().
  RouteTable& routes();
  const FrontDoorStats& stats() const;
  // The address actually bound (useful with port 0); port 0 before Bind().
  Endpoint bound_endpoint() const;

 private:
  std::shared_ptr<ServerState> state_;
};

// The drain timeout BeginDrain uses: the setting, else --shutdown-timeout, else 25 s.
Duration DrainTimeout(const FrontDoorConfig& config);

// Checks that nothing listens on / holds `endpoint` by binding it briefly, so the
// shim can fail fast with one clear line before starting SGLang on that port.
bool CheckPortFree(const Endpoint& endpoint, std::string* err);

}  // namespace shim
