// The prefill server's bootstrap listener. In SGLang it is an aiohttp app the prefill's
// tokenizer manager starts on --disaggregation-bootstrap-port, bound to --host since
// SGLang PR #9931 (before it: every interface); decode servers reach it at the request's
// bootstrap_host:bootstrap_port (SGLang @8905cbd4 python/sglang/srt/managers/disagg_service.py,
// python/sglang/srt/disaggregation/common/conn.py CommonKVBootstrapServer).
//
// The stand-in serves SGLang's GET /health ("OK") and, instead of the ZMQ/RDMA handshake and
// KV transfer, one long-poll of its own: POST /fake_sglang/kv?room=R registers a decode in
// room R (which releases the prefill leg waiting there) and answers 200 once that prefill
// has "sent" its KV. A decode that hangs up leaves the room. FAKE_SGLANG_BOOTSTRAP_HOST binds
// it elsewhere than --host, so tests can tell the two listeners apart.
#pragma once
#include "common/prelude.h"

#include <boost/asio.hpp>
#include <string>

#include "fake_sglang/engine_state.h"

namespace shim::fake_sglang {

inline constexpr const char* kKvLongPollPath = "/fake_sglang/kv";

class BootstrapServer {
 public:
  BootstrapServer(boost::asio::io_context& io, EngineState& state);

  // Binds the bootstrap address. On failure *err holds the message SGLang's bootstrap
  // thread logs; like SGLang, the HTTP server keeps running without it.
  bool Listen(std::string* err);
  void Start();
  std::string address() const;  // host:port as bound

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Session(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  EngineState& state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::string host_;
};

}  // namespace shim::fake_sglang
