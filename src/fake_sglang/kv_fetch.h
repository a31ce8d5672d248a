// The decode leg's side of the stand-in's PD handshake: reach the prefill's bootstrap
// listener at bootstrap_host:bootstrap_port and long-poll it for the room's KV
// (bootstrap_server.h). SGLang's decode retries an unreachable bootstrap server once a
// second and gives up after kBootstrapConnectAttempts (SGLang @8905cbd4
// python/sglang/srt/disaggregation/decode.py _ensure_prefill_info); the time it then waits
// for the KV is bounded by the caller, which also cancels the fetch on abort or disconnect.
#pragma once
#include "common/prelude.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <memory>
#include <string>

namespace shim::fake_sglang {

struct KvFetch {
  enum class Phase {
    kConnecting,   // looking for the bootstrap server
    kWaiting,      // connected and registered in the room; no KV yet
    kReady,        // the KV arrived
    kUnreachable,  // no connection after every attempt
    kLost,         // the bootstrap server went away or answered something else
  };
  Phase phase = Phase::kConnecting;
  bool cancelled = false;
  // Owned here, not in the coroutine frame, so Cancel() can close them from outside.
  std::unique_ptr<boost::beast::tcp_stream> stream;
  std::unique_ptr<boost::asio::steady_timer> retry_timer;

  bool done() const { return phase != Phase::kConnecting && phase != Phase::kWaiting; }
  // Ends the fetch: closes the connection (the bootstrap listener then frees the room)
  // and stops any retry.
  void Cancel();
};

// Runs until the fetch is done or cancelled; never throws for network errors.
boost::asio::awaitable<void> FetchKv(std::shared_ptr<KvFetch> fetch, std::string host, int port, std::string room);

}  // namespace shim::fake_sglang
