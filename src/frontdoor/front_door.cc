#include "frontdoor/front_door.h"

#include <chrono>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include "common/task_failure.h"
#include "common/log.h"
#include "frontdoor/client_connection.h"
#include "frontdoor/listener.h"
#include "frontdoor/server_state.h"

namespace shim {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kSweepEvery{500};
constexpr std::chrono::milliseconds kDrainPoll{20};
// Handshakes under way when new ones are refused complete within a round trip.
constexpr std::chrono::milliseconds kHandshakeGrace{100};
// A connection accepted but still silent when the listener closes gets this
// long to send its first request (it is answered with Connection: close).
constexpr std::chrono::seconds kFirstRequestGrace{2};

tcp::endpoint ResolveBackend(asio::io_context& io, const Endpoint& backend) {
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(backend.host, ec);
  if (!ec) return tcp::endpoint(address, static_cast<unsigned short>(backend.port));
  tcp::resolver resolver(io);
  auto results = resolver.resolve(backend.host, std::to_string(backend.port), ec);
  if (ec || results.empty())
    return tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(backend.port));
  return results.begin()->endpoint();
}

// The listen host as vLLM/uvicorn treat it: empty means every IPv4 address.
bool ResolveListen(asio::io_context& io, const Endpoint& listen, tcp::endpoint* out, std::string* err) {
  std::string host = listen.host.empty() ? "0.0.0.0" : listen.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (listen.port < 0 || listen.port > 65535) {
    *err = "cannot listen on " + host + ":" + std::to_string(listen.port) + ": invalid port";
    return false;
  }
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (!ec) {
    *out = tcp::endpoint(address, static_cast<unsigned short>(listen.port));
    return true;
  }
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(listen.port), ec);
  if (ec || results.empty()) {
    *err =
        "cannot listen on " + host + ":" + std::to_string(listen.port) + ": cannot resolve host (" + ec.message() + ")";
    return false;
  }
  *out = results.begin()->endpoint();
  return true;
}

std::string Describe(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

asio::awaitable<void> SweepPool(std::shared_ptr<ServerState> state) {
  while (!state->stopped) {
    state->pool.Sweep();
    state->sweep_timer.expires_after(kSweepEvery);
    boost::system::error_code ec;
    co_await state->sweep_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void CloseConnections(ServerState& state) {
  std::vector<ClientConnection*> victims(state.connections.begin(), state.connections.end());
  for (ClientConnection* connection : victims) connection->Close();
}

// Closes each connection that holds nothing unanswered; true when none is left
// that still might (a request being read or served, or a connection that has
// not yet had the time to send its first request).
bool CloseQuietConnections(ServerState& state) {
  std::vector<ClientConnection*> all(state.connections.begin(), state.connections.end());
  bool all_quiet = true;
  for (ClientConnection* connection : all) all_quiet = connection->CloseIfQuiet() && all_quiet;
  return all_quiet;
}

asio::awaitable<void> Drain(std::shared_ptr<ServerState> state, std::chrono::steady_clock::time_point deadline,
                            std::chrono::steady_clock::time_point stop_accepting_at) {
  boost::system::error_code ec;
  state->drain_timer.expires_at(stop_accepting_at);
  co_await state->drain_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (state->stopped) co_return;
  // Stop new handshakes, let those in flight land in the accept queue, take
  // the whole queue, and only then close: no client holds a connection that
  // the kernel resets under its request.
  if (state->acceptor) {
    std::string err;
    if (RefuseNewHandshakes(*state->acceptor, &err)) {
      state->drain_timer.expires_after(kHandshakeGrace);
      co_await state->drain_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (state->stopped) co_return;
    } else {
      LogWarning("draining: ", err);
    }
  }
  AcceptQueued(state);
  state->CloseListener();
  for (ClientConnection* connection : state->connections) connection->LimitWaitForFirstRequest(kFirstRequestGrace);
  LogInfo("draining: stopped accepting; waiting for ", state->stats.requests_in_flight, " in-flight requests");
  while (!state->stopped) {
    bool quiet = CloseQuietConnections(*state);
    if ((quiet && state->stats.requests_in_flight == 0) || std::chrono::steady_clock::now() >= deadline) break;
    state->drain_timer.expires_after(kDrainPoll);
    co_await state->drain_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (state->stopped) co_return;
  bool clean = state->stats.requests_in_flight == 0;
  if (clean) {
    LogInfo("draining: all requests finished");
  } else {
    LogWarning("draining: timed out with ", state->stats.requests_in_flight, " requests still in flight");
  }
  state->stopped = true;
  state->StopBackgroundWork();
  CloseConnections(*state);
  auto callback = std::move(state->on_drained);
  state->on_drained = nullptr;
  if (callback) callback(clean);
}

}  // namespace

ServerState::ServerState(asio::io_context& io_context, FrontDoorConfig config_in, tcp::endpoint backend)
    : io(io_context),
      config(std::move(config_in)),
      pool(backend, config.settings.upstream_idle_timeout),
      health(config.settings.health_rise, config.settings.health_fall),
      health_timer(io_context),
      sweep_timer(io_context),
      drain_timer(io_context) {}

void ServerState::CloseListener() {
  if (!acceptor) return;
  boost::system::error_code ignored;
  acceptor->close(ignored);
  acceptor.reset();
}

void ServerState::StopBackgroundWork() {
  health_timer.cancel();
  health_cancel->Cancel();
  sweep_timer.cancel();
  pool.Disable();
}

Duration DrainTimeout(const FrontDoorConfig& config) {
  if (config.settings.drain_timeout) return *config.settings.drain_timeout;
  if (config.frontend.shutdown_timeout) return *config.frontend.shutdown_timeout;
  return std::chrono::seconds(25);
}

FrontDoor::FrontDoor(asio::io_context& io, FrontDoorConfig config) {
  tcp::endpoint backend = ResolveBackend(io, config.backend);
  state_ = std::make_shared<ServerState>(io, std::move(config), backend);
  ServerState* state = state_.get();
  // /health and /ping answer from state, never from SGLang (vLLM @9aaf83ef answers both itself:
  // vllm/entrypoints/openai/api_server.py build_app; docs/architecture.md, Start-up).
  auto health = [state](const RequestHead&) {
    LocalResponse response;
    response.status = state->health.Ready() ? 200 : 503;
    return RouteDecision::Answer("health", std::move(response));
  };
  state->routes.AddExact("/health", {"GET", "HEAD"}, health);
  state->routes.AddExact("/ping", {"GET", "POST", "HEAD"}, health);
  if (!state->config.settings.expose_admin) HideSglangAdminRoutes(&state->routes);
}

FrontDoor::~FrontDoor() { StopNow(); }

bool FrontDoor::Bind(std::string* err) {
  tcp::endpoint endpoint;
  if (!ResolveListen(state_->io, state_->config.listen, &endpoint, err)) return false;
  boost::system::error_code ec;
  tcp::acceptor acceptor(state_->io);
  auto fail = [&](const boost::system::error_code& error) {
    *err = "cannot listen on " + Describe(endpoint) + ": " + error.message();
    return false;
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  // "::" serves IPv4 too, as uvicorn's dual-stack socket does.
  if (endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(false), ec);
  acceptor.bind(endpoint, ec);
  if (ec) return fail(ec);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  state_->acceptor.emplace(std::move(acceptor));
  return true;
}

void FrontDoor::Start() {
  if (state_->started || !state_->acceptor) return;
  state_->started = true;
  state_->PublishHealth();
  asio::co_spawn(state_->io, AcceptLoop(state_), EndProcessOnTaskFailure("the accept loop"));
  asio::co_spawn(state_->io, RunHealthChecks(state_), EndProcessOnTaskFailure("the health checker"));
  asio::co_spawn(state_->io, SweepPool(state_), LogTaskFailure("the upstream pool sweeper"));
}

void FrontDoor::BeginDrain(std::function<void(bool clean)> on_drained) {
  if (state_->stopped) {
    if (on_drained) on_drained(state_->stats.requests_in_flight == 0);
    return;
  }
  if (state_->draining) {
    state_->on_drained = std::move(on_drained);
    return;
  }
  state_->draining = true;
  state_->health.SetDraining();
  state_->PublishHealth();
  state_->on_drained = std::move(on_drained);
  auto now = std::chrono::steady_clock::now();
  const Duration timeout = DrainTimeout(state_->config);
  const Duration delay = std::min(state_->config.settings.drain_delay, timeout);
  LogInfo("draining: /health answers 503; accepting for ", InSeconds(delay), " s more, then waiting up to ",
          InSeconds(timeout - delay), " s for in-flight requests");
  asio::co_spawn(state_->io, Drain(state_, now + timeout, now + delay), EndProcessOnTaskFailure("the drain"));
}

void FrontDoor::StopNow() {
  if (!state_) return;
  state_->stopped = true;
  state_->CloseListener();
  state_->StopBackgroundWork();
  state_->drain_timer.cancel();
  CloseConnections(*state_);
  state_->on_drained = nullptr;
  state_->PublishHealth();
}

bool FrontDoor::Ready() const { return state_->health.Ready() && !state_->stopped; }
RouteTable& FrontDoor::routes() { return state_->routes; }

void FrontDoor::SetHealthCheckPause(std::function<bool()> paused) { state_->health_paused = std::move(paused); }
const FrontDoorStats& FrontDoor::stats() const { return state_->stats; }

Endpoint FrontDoor::bound_endpoint() const {
  Endpoint endpoint;
  if (!state_->acceptor) return endpoint;
  boost::system::error_code ec;
  tcp::endpoint local = state_->acceptor->local_endpoint(ec);
  if (ec) return endpoint;
  endpoint.host = local.address().to_string();
  endpoint.port = local.port();
  return endpoint;
}

bool CheckPortFree(const Endpoint& endpoint, std::string* err) {
  asio::io_context io;
  tcp::endpoint resolved;
  if (!ResolveListen(io, endpoint, &resolved, err)) return false;
  boost::system::error_code ec;
  tcp::acceptor acceptor(io);
  acceptor.open(resolved.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(resolved, ec);
  if (!ec) return true;
  *err = "cannot listen on " + Describe(resolved) + ": " + ec.message();
  return false;
}

}  // namespace shim
