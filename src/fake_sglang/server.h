// The stand-in's HTTP server: one thread, Boost.Beast with coroutines, keep-alive closed after
// FAKE_SGLANG_KEEPALIVE_TIMEOUT idle seconds (uvicorn's timeout_keep_alive is 5 s), TCP_NODELAY.
// It also runs SGLang's lifecycle: warm-up then "ready to roll", and SIGTERM → drain → exit 0
// (python/sglang/srt/managers/tokenizer_manager.py sigterm_watchdog).
#pragma once
#include "common/prelude.h"

#include <boost/asio.hpp>
#include <string>

#include "fake_sglang/engine_state.h"

namespace shim::fake_sglang {

class Server {
 public:
  Server(boost::asio::io_context& io, EngineState& state);

  // Binds --host/--port. On failure *err holds uvicorn's message.
  bool Listen(std::string* err);
  // Starts accepting, the warm-up timer and the signal handlers; returns at once.
  void Start();
  int exit_code() const { return exit_code_; }

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Session(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> WarmUp();
  boost::asio::awaitable<void> DrainWatchdog();
  void WaitForSignal();
  void OnTerminate(int signal_number);
  void Stop();

  boost::asio::io_context& io_;
  EngineState& state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace shim::fake_sglang
