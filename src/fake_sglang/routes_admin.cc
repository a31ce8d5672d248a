// Admin routes (http_server.py, marked ADMIN_OPTIONAL): cache flush, memory release/resume
// (the sleep-mode equivalent) and the rest, which answer so tests can prove the shim blocks them.
#include "fake_sglang/openai_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {

using nlohmann::json;

net::awaitable<void> HandleFlushCache(EngineState& state, Exchange& ex) {
  // tokenizer_manager.flush_cache refuses while requests run or wait (not retracted ones).
  if (!state.FlushAllowed()) {
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

// SGLang @8905cbd4 http_server.py pause_generation / continue_generation and io_struct.py
// PauseGenerationReqInput (mode abort|retract|in_place, default abort): abort ends every
// request in flight; every mode then holds generation until /continue_generation.
net::awaitable<void> HandlePauseGeneration(EngineState& state, Exchange& ex) {
  const std::string& raw = ex.request().body();
  json body = raw.empty() ? json::object() : json::parse(raw, nullptr, false);
  std::string mode = "abort";
  bool valid = body.is_object();
  if (valid && body.contains("mode")) {
    valid = body["mode"].is_string();
    if (valid) mode = body["mode"].get<std::string>();
    valid = valid && (mode == "abort" || mode == "retract" || mode == "in_place");
  }
  if (!valid) {
    {
      // GCC 12 cannot keep braced json temporaries inside a co_await expression.
      const json reply = json{{"detail", "Invalid mode: expected one of ['abort', 'retract', 'in_place']."}};
      co_await ex.SendJson(http::status::unprocessable_entity, reply);
    }
    co_return;
  }
  if (mode == "abort") state.AbortAll();
  state.set_pause_mode(mode);
  SglangLog("Generation paused (mode " + mode + ").");
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"message", "Generation paused successfully."}, {"status", "ok"}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

net::awaitable<void> HandleContinueGeneration(EngineState& state, Exchange& ex) {
  state.set_pause_mode("");
  {
    // GCC 12 cannot keep braced json temporaries inside a co_await expression.
    const json reply = json{{"message", "Generation continued successfully."}, {"status", "ok"}};
    co_await ex.SendJson(http::status::ok, reply);
  }
}

// http_server.py abort_request (AbortReq {rid, abort_all}): 200 with no body. Only
// abort_all is acted on; the stand-in does not track request ids.
net::awaitable<void> HandleAbortRequest(EngineState& state, Exchange& ex) {
  json body = json::parse(ex.request().body(), nullptr, false);
  if (body.is_object() && body.value("abort_all", false) == true) state.AbortAll();
  co_await ex.Send(http::status::ok, "", "");
}

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
