// Admin routes (http_server.py, marked ADMIN_OPTIONAL): cache flush, memory release/resume
// (the sleep-mode equivalent) and the rest, which answer so tests can prove the shim blocks them.
#include "fake_sglang/openai_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {

using nlohmann::json;

net::awaitable<void> HandleFlushCache(EngineState& state, Exchange& ex) {
  // tokenizer_manager.flush_cache refuses while requests run or wait.
  if (state.in_flight() > 0) {
    co_await ex.Send(http::status::bad_request,
                     "Cache not flushed. Please check backend logs for more details. (When there are running or "
                     "waiting requests, the operation will not be performed.)\n",
                     "text/plain; charset=utf-8");
    co_return;
  }
  co_await ex.Send(http::status::ok,
                   "Cache flushed.\nPlease check backend logs for more details. (When there are running or waiting "
                   "requests, the operation will not be performed.)\n",
                   "text/plain; charset=utf-8");
}

namespace {

net::awaitable<void> SetMemory(EngineState& state, Exchange& ex, bool release) {
  if (!state.config().enable_memory_saver) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = SglangErrorBody(400, "Memory release/resume needs --enable-memory-saver.", "BadRequestError");
      co_await ex.SendJson(http::status::bad_request, reply);
    }
    co_return;
  }
  json body = json::parse(ex.request().body(), nullptr, false);
  if (!ex.request().body().empty() && (body.is_discarded() || !(body.is_object() || body.is_null()))) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply =
          SglangErrorBody(400, "Body must be {\"tags\": [\"weights\", \"kv_cache\"] | null}.", "BadRequestError");
      co_await ex.SendJson(http::status::bad_request, reply);
    }
    co_return;
  }
  state.set_memory_released(release);
  SglangLog(release ? "Released memory occupation." : "Resumed memory occupation.");
  co_await ex.Send(http::status::ok, "", "");
}

}  // namespace

net::awaitable<void> HandleReleaseMemory(EngineState& state, Exchange& ex) { co_await SetMemory(state, ex, true); }
net::awaitable<void> HandleResumeMemory(EngineState& state, Exchange& ex) { co_await SetMemory(state, ex, false); }

net::awaitable<void> HandleOtherAdmin(EngineState&, Exchange& ex) {
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"success", true}, {"message", "fake-sglang accepted " + std::string(ex.path())}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

net::awaitable<void> HandleNativeRoute(EngineState&, Exchange& ex) {
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply =
        json{{"text", "fake-sglang served " + std::string(ex.path())}, {"route", std::string(ex.path())}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

}  // namespace shim::fake_sglang
