#include "fake_sglang/pd_generation.h"

#include <chrono>
#include <memory>

#include "common/task_failure.h"
#include "fake_sglang/kv_fetch.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/openai_response.h"
#include "fake_sglang/pd_mode.h"

namespace shim::fake_sglang {

using nlohmann::json;

namespace {

// The stand-in polls its rooms instead of keeping wake-up lists (one thread, test scale).
constexpr auto kPollInterval = std::chrono::milliseconds(5);

struct PdRequest {
  BootstrapFields fields;
  std::string rid;
  bool stream = false;
};

// serving_chat.py / serving_completions.py: a ValueError (400) or an HTTPException from a
// scheduler abort (500) becomes the flat error body, or an error frame once streaming.
net::awaitable<void> SendPdError(Exchange& ex, bool stream, int status, std::string message) {
  SglangLog(message);
  const json body = SglangErrorBody(status, message, status == 400 ? "BadRequestError" : "InternalServerError");
  if (!stream) {
    co_await ex.SendJson(static_cast<http::status>(status), body);
  } else if (co_await ex.BeginStream()) {
    const json frame = json{{"error", body}};
    if (co_await ex.SendEvent(frame.dump(-1, ' ', false, json::error_handler_t::replace)) &&
        co_await ex.SendEvent("[DONE]")) {
      co_await ex.EndStream();
    }
  }
}

// Built outside the coroutines: GCC 11/12 mishandle braced temporaries in coroutine frames.
ApiError BootstrapFieldError(const std::string& loc, const std::string& msg, bool chat) {
  const char* type = loc == "('body', 'bootstrap_host')"                       ? "string_type"
                     : msg.find("unable to parse string") != std::string::npos ? "int_parsing"
                                                                               : "int_type";
  FieldError error{type, loc, msg};
  std::vector<FieldError> errors(1, error);
  return ValidationError(errors, chat ? "ChatCompletionRequest" : "CompletionRequest");
}

void EndGone(EngineState& state, double started) {
  // The tokenizer manager aborts a request whose client disconnected.
  state.metrics().OnRequestEnd(state.Now() - started, 0, /*aborted=*/true);
}

net::awaitable<PdGate> PrefillWait(EngineState& state, Exchange& ex, PdRequest req) {
  PdGate gate;
  gate.waited = true;
  gate.prefill_only = true;
  gate.arrival_epoch = state.abort_epoch();
  const std::string& room = req.fields.room;
  PdRooms& rooms = state.pd_rooms();
  const double started = state.Now();
  const double timeout = state.knobs().pd_bootstrap_timeout_s;
  rooms.PrefillArrived(room);
  state.PdWaitBegin(PdQueue::kPrefillBootstrap);
  ex.StartWatch();
  bool connected = true;
  while (connected && !rooms.DecodeConnected(room) && state.Now() - started < timeout &&
         state.abort_epoch() == gate.arrival_epoch) {
    connected = co_await ex.Sleep(kPollInterval);
  }
  const bool paired = connected && rooms.DecodeConnected(room);
  const bool aborted = state.abort_epoch() != gate.arrival_epoch;
  if (paired && !aborted) {
    // The decode pre-allocated; prefill.py would now run the forward pass and send the KV.
    rooms.KvSent(room);
  } else {
    rooms.PrefillLeft(room);
  }
  state.PdWaitEnd(PdQueue::kPrefillBootstrap);
  if (!connected) {
    EndGone(state, started);
    gate.verdict = PdGate::Verdict::kGone;
  } else if (!paired && !aborted) {
    gate.verdict = PdGate::Verdict::kAnswered;
    co_await SendPdError(ex, req.stream, 500, PrefillBootstrapTimeoutMessage(req.rid, room, state.Now() - started));
  }
  co_return gate;
}

net::awaitable<PdGate> DecodeWait(EngineState& state, Exchange& ex, PdRequest req, int default_port) {
  PdGate gate;
  gate.waited = true;
  gate.arrival_epoch = state.abort_epoch();
  // scheduler.py: a request without bootstrap_port uses this server's own bootstrap port.
  const int port = req.fields.port != 0 ? req.fields.port : default_port;
  const std::string addr = req.fields.host + ":" + std::to_string(port);
  const double started = state.Now();
  const double timeout = state.knobs().pd_waiting_timeout_s;
  auto fetch = std::make_shared<KvFetch>();
  auto executor = co_await net::this_coro::executor;
  net::co_spawn(executor, FetchKv(fetch, req.fields.host, port, req.fields.room),
                LogTaskFailure("the stand-in KV fetch"));
  PdQueue queue = PdQueue::kDecodePrealloc;
  state.PdWaitBegin(queue);
  ex.StartWatch();
  bool connected = true;
  double waiting_since = -1;  // when the handshake completed (KVPoll.WaitingForInput)
  bool timed_out = false;
  while (connected && !fetch->done() && !timed_out && state.abort_epoch() == gate.arrival_epoch) {
    connected = co_await ex.Sleep(kPollInterval);
    if (fetch->phase == KvFetch::Phase::kWaiting && waiting_since < 0) {
      // Bootstrapped and pre-allocated: from the prealloc queue to the transfer queue.
      waiting_since = state.Now();
      // Enter before leaving: a drain must never see this request as gone.
      state.PdWaitBegin(PdQueue::kDecodeTransfer);
      state.PdWaitEnd(queue);
      queue = PdQueue::kDecodeTransfer;
    }
    timed_out = waiting_since >= 0 && state.Now() - waiting_since >= timeout;
  }
  const KvFetch::Phase phase = fetch->phase;
  // Hanging up the long-poll makes the prefill's bootstrap listener free the room.
  fetch->Cancel();
  state.PdWaitEnd(queue);
  const bool aborted = state.abort_epoch() != gate.arrival_epoch;
  if (!connected) {
    EndGone(state, started);
    gate.verdict = PdGate::Verdict::kGone;
  } else if (phase != KvFetch::Phase::kReady && !aborted) {
    gate.verdict = PdGate::Verdict::kAnswered;
    std::string message;
    if (phase == KvFetch::Phase::kUnreachable)
      message = DecodeHandshakeFailedMessage(req.rid, req.fields.room);
    else if (phase == KvFetch::Phase::kLost)
      message = DecodeLostPrefillMessage(req.rid, req.fields.room, addr);
    else
      message = DecodeWaitingTimeoutMessage(req.rid, req.fields.room, state.Now() - waiting_since);
    co_await SendPdError(ex, req.stream, 500, std::move(message));
  }
  co_return gate;
}

}  // namespace

net::awaitable<PdGate> PassPdGate(EngineState& state, Exchange& ex, bool chat, bool stream) {
  const ServeConfig& c = state.config();
  const PdMode mode = ParsePdMode(c.disaggregation_mode);
  PdGate gate;
  PdRequest req;
  req.stream = stream;
  std::string loc, msg;
  const json body = mode == PdMode::kNull ? json() : json::parse(ex.request().body(), nullptr, false);
  if (mode == PdMode::kNull) {
    // Not disaggregated: nothing to wait for.
  } else if (!ReadBootstrapFields(body, &req.fields, &loc, &msg)) {
    const ApiError error = BootstrapFieldError(loc, msg, chat);
    gate.verdict = PdGate::Verdict::kAnswered;
    co_await ex.SendJson(static_cast<http::status>(error.status), error.body);
  } else {
    const json* rid = body.is_object() && body.contains("rid") ? &body["rid"] : nullptr;
    req.rid = rid && rid->is_string() ? rid->get<std::string>() : NewResponseIds(chat).id;
    const bool fake =
        req.fields.host == kFakeBootstrapHost || (req.fields.host.empty() && c.transfer_backend == "fake");
    if (req.fields.room.empty() && RoomRequired(mode, c.transfer_backend)) {
      gate.verdict = PdGate::Verdict::kAnswered;
      co_await SendPdError(ex, stream, 400, MissingRoomMessage(req.rid));
    } else if (fake || req.fields.room.empty()) {
      // The fake transfer backend: no bootstrap, no KV (utils.py FAKE_BOOTSTRAP_HOST).
      gate.prefill_only = mode == PdMode::kPrefill;
    } else if (mode == PdMode::kPrefill) {
      gate = co_await PrefillWait(state, ex, req);
    } else {
      gate = co_await DecodeWait(state, ex, req, c.bootstrap_port);
    }
  }
  co_return gate;
}

}  // namespace shim::fake_sglang
