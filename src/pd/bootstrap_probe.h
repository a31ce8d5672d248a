// Whether a prefill engine's bootstrap listener takes connections, asked before a decode leg
// goes to SGLang. SGLang's decode server learns of a prefill it cannot reach only after its
// handshake retries, about 15 s (SGLang @8905cbd4 python/sglang/srt/disaggregation/), and the
// router has by then long sent the leg; one TCP connect tells at once, so the leg fails fast
// with a vLLM-shaped 503 instead.
//
// A success is remembered for `remember` per address, so a busy decode engine opens at most
// one probe connection a second to each prefill (each reaches SGLang's Python bootstrap
// server through the prefill's relay). Only numeric addresses are probed: a name would need a
// DNS lookup, which this single-threaded process does not do on its I/O thread; those legs
// go on unprobed, as before.
#pragma once
#include <chrono>
#include <string>
#include <unordered_map>

#include "common/prelude.h"
#include <boost/asio/awaitable.hpp>

namespace shim::pd {

class BootstrapProbe {
 public:
  using Clock = std::chrono::steady_clock;

  BootstrapProbe(std::chrono::milliseconds timeout, std::chrono::milliseconds remember)
      : timeout_(timeout), remember_(remember) {}

  // Whether Check would open a connection: a numeric address without a recent success. The
  // decode filter asks first, so a leg whose prefill answered a moment ago costs no coroutine.
  bool NeedsCheck(const std::string& host, int port) const;

  // Empty when the listener took a connection (or was not probed), else why not, one line.
  boost::asio::awaitable<std::string> Check(std::string host, int port);

  // Connections opened so far, for tests.
  int probes() const { return probes_; }

 private:
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds remember_;
  std::unordered_map<std::string, Clock::time_point> reachable_at_;  // "host:port" -> last success
  int probes_ = 0;
};

}  // namespace shim::pd
