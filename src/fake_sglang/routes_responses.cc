// /v1/responses, GET /v1/responses/{id} and POST /v1/responses/{id}/cancel as SGLang answers them
// for a non-harmony model (python/sglang/srt/entrypoints/openai/serving_responses.py @41c3e5a4,
// SimpleContext; http_server.py v1_responses_request, v1_retrieve_responses, v1_cancel_responses).
// Like SGLang of that time it converts the request to a chat request without response_format, so
// `text` (a JSON-schema format included) constrains nothing, and it answers chat-style usage.
// Completed responses are kept in memory (store, default true), as SGLang's response_store.
#include <chrono>
#include <unordered_map>

#include "common/strings.h"
#include "fake_sglang/generator.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/openai_response.h"
#include "fake_sglang/responses_shapes.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Stored {
  json response;  // the ResponsesResponse, chat-style usage included
  json messages;  // msg_store: the input messages of that request
};

// The stand-in is single-threaded: the store needs no lock (SGLang's response_store_lock).
std::unordered_map<std::string, Stored>& Store() {
  static std::unordered_map<std::string, Stored> store;
  return store;
}

long long UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool Truthy(const json& body, const char* key, bool fallback) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  return it->is_boolean() ? it->get<bool>() : fallback;
}

// What create_responses decides before generating: a refusal, or the prompt to generate from.
struct Prepared {
  int status = 200;
  std::string error_body;  // status != 200: the whole answer
  const char* error_type = "application/json";
  json body;
  json messages;
  std::string id;
  bool stream = false;
  bool store = true;
};

// validate_json_request and FastAPI's `request: dict` answer through the RequestValidationError
// handler: SGLang's flat 400. Returns false with *error set.
bool ReadBody(std::string_view content_type, std::string_view text, json* body, ApiError* error) {
  std::vector<FieldError> errors;
  if (!StartsWith(ToLower(TrimSpaces(content_type)), "application/json")) {
    errors.push_back(FieldError{"value_error", "('header', 'content-type')",
                                "Unsupported Media Type: Only 'application/json' is allowed"});
  } else {
    *body = json::parse(text, nullptr, false);
    if (body->is_discarded()) {
      errors.push_back(FieldError{"json_invalid", "('body', 0)", "JSON decode error"});
    } else if (!body->is_object()) {
      errors.push_back(FieldError{"dict_type", "('body',)", "Input should be a valid dictionary"});
    }
  }
  if (errors.empty()) return true;
  *error = ValidationError(errors, "ResponsesRequest");
  return false;
}

Prepared Prepare(std::string_view content_type, std::string_view text) {
  Prepared p;
  ApiError head_error;
  if (!ReadBody(content_type, text, &p.body, &head_error)) {
    p.status = head_error.status;
    p.error_body = head_error.body.dump();
    return p;
  }
  // ResponsesRequest(**request) runs inside the handler: a pydantic ValidationError there is no
  // RequestValidationError, so Starlette answers its plain 500.
  auto input = p.body.find("input");
  bool input_ok = input != p.body.end() && (input->is_string() || input->is_array());
  if (input_ok && input->is_array()) {
    for (const json& item : *input) input_ok = input_ok && item.is_object();
  }
  auto model = p.body.find("model");
  bool model_ok = model == p.body.end() || model->is_null() || model->is_string();
  if (!input_ok || !model_ok) {
    p.status = 500;
    p.error_body = "Internal Server Error";
    p.error_type = "text/plain; charset=utf-8";
    return p;
  }
  p.id = p.body.contains("request_id") && p.body["request_id"].is_string() ? p.body["request_id"].get<std::string>()
                                                                           : "resp_" + NewHex32();
  p.stream = Truthy(p.body, "stream", false);
  p.store = Truthy(p.body, "store", true);
  const json* prev_messages = nullptr;
  const json* prev_output = nullptr;
  if (auto prev = p.body.find("previous_response_id"); prev != p.body.end() && prev->is_string()) {
    const std::string prev_id = prev->get<std::string>();
    if (!StartsWith(prev_id, "resp_")) {
      p.status = 400;
      p.error_body = NestedError("Invalid 'response_id': '" + prev_id + "'. Expected an ID that begins with 'resp'.",
                                 400, "response_id")
                         .dump();
      return p;
    }
    auto it = Store().find(prev_id);
    if (it == Store().end()) {
      p.status = 404;
      p.error_body = NestedError("Response with id '" + prev_id + "' not found.", 404, "response_id").dump();
      return p;
    }
    prev_messages = &it->second.messages;
    prev_output = &it->second.response["output"];
  }
  p.messages = ConstructInputMessages(p.body, prev_messages, prev_output);
  if (auto m = p.body.find("model"); m == p.body.end() || m->is_null()) {
    // model is optional in ResponsesRequest but required in ResponsesResponse: the full generator's
    // pydantic error comes back through create_error_response.
    p.status = 400;
    p.error_body = NestedError(
                       "1 validation error for ResponsesResponse\nmodel\n  Input should be a valid string "
                       "[type=string_type, input_value=None, input_type=NoneType]",
                       400, nullptr)
                       .dump();
  }
  return p;
}

Generation GenerateAnswer(const Prepared& p, const std::string& prompt) {
  GenerationParams params;
  params.prompt = prompt;
  // ResponsesRequest.to_sampling_params: min(max_output_tokens, default) - 2.
  auto mot = p.body.find("max_output_tokens");
  if (mot != p.body.end() && mot->is_number_integer()) {
    params.max_tokens = static_cast<int>(std::clamp<long long>(mot->get<long long>() - 2, 0, 1 << 20));
  }
  auto stop = p.body.find("stop");
  if (stop != p.body.end() && stop->is_string()) params.stop.push_back(stop->get<std::string>());
  if (stop != p.body.end() && stop->is_array()) {
    for (const json& s : *stop) {
      if (s.is_string()) params.stop.push_back(s.get<std::string>());
    }
  }
  return Generate(params);
}

// The finished ResponsesResponse (responses_full_generator), stored when asked.
json Complete(EngineState& state, const Prepared& p, const Generation& g, long long prompt_tokens, long long created) {
  std::string reasoning;
  std::string content;
  const size_t split = state.config().reasoning_parser.empty() ? 0 : ReasoningTokens(g);
  for (size_t t = 0; t < g.tokens.size(); ++t) (t < split ? reasoning : content) += g.tokens[t];
  json usage = ChatStyleUsage(prompt_tokens, static_cast<long long>(g.tokens.size()));
  json response = ResponseObject(p.body, p.id, created, OutputItems(reasoning, content), "completed", usage);
  if (p.store) Store()[p.id] = Stored{response, p.messages};
  return response;
}

json Event(const char* type, long long sequence, json response) {
  return json{{"response", std::move(response)}, {"sequence_number", sequence}, {"type", type}};
}

}  // namespace

net::awaitable<void> HandleResponses(EngineState& state, Exchange& ex) {
  Prepared p = Prepare(ex.request()[http::field::content_type], ex.request().body());
  if (p.status != 200) {
    co_await ex.Send(static_cast<http::status>(p.status), std::move(p.error_body), p.error_type);
    co_return;
  }
  Clock::time_point start = Clock::now();
  const std::string prompt = InputMessagesText(p.messages);
  const long long prompt_tokens = std::max(1, CountTokens(prompt));
  const Generation g = GenerateAnswer(p, prompt);
  const long long created = UnixSeconds();
  state.metrics().OnRequestStart(HashText(prompt), prompt_tokens, !state.config().disable_radix_cache);
  const FakeKnobs& knobs = state.knobs();
  const double wait_ms = knobs.ttft_ms + knobs.itl_ms * static_cast<double>(g.tokens.empty() ? 0 : g.tokens.size() - 1);
  if (p.stream) {
    // The simple path of responses_stream_generator: created and in_progress, then the loop skips
    // every SimpleContext (no is_expecting_start), then response.completed with usage converted.
    if (!co_await ex.BeginStream()) co_return;
    const json initial = ResponseObject(p.body, p.id, created, json::array(), "in_progress", nullptr);
    const json created_event = Event("response.created", 0, initial);
    const json progress_event = Event("response.in_progress", 1, initial);
    if (!co_await ex.SendFrame(ResponsesFrame(created_event))) co_return;
    if (!co_await ex.SendFrame(ResponsesFrame(progress_event))) co_return;
  }
  if (wait_ms > 0) {
    ex.StartWatch();
    if (!co_await ex.Sleep(
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(wait_ms)))) {
      state.metrics().OnRequestEnd(std::chrono::duration<double>(Clock::now() - start).count(), 0, /*aborted=*/true);
      co_return;
    }
  }
  json response = Complete(state, p, g, prompt_tokens, created);
  for (size_t i = 0; i < g.tokens.size(); ++i) state.metrics().OnToken();
  bool written;
  if (p.stream) {
    response["usage"] = StreamUsage(response["usage"]);
    const json done_event = Event("response.completed", 2, response);
    written = co_await ex.SendFrame(ResponsesFrame(done_event)) && co_await ex.EndStream();
  } else {
    written = co_await ex.SendJson(http::status::ok, response);
  }
  state.metrics().OnRequestEnd(std::chrono::duration<double>(Clock::now() - start).count(),
                               static_cast<long long>(g.tokens.size()), !written);
}

// /v1/responses/{id} (GET) and /v1/responses/{id}/cancel (POST): Starlette's path parameters
// hold no '/', so any other shape is its 404, and the other method its 405.
net::awaitable<void> HandleResponsesById(EngineState& state, Exchange& ex) {
  (void)state;
  std::string rest(ex.path().substr(std::string_view("/v1/responses/").size()));
  const bool cancel = EndsWith(rest, "/cancel");
  if (cancel) rest.resize(rest.size() - std::string_view("/cancel").size());
  if (rest.empty() || rest.find('/') != std::string::npos) {
    const json reply = json{{"detail", "Not Found"}};
    co_await ex.SendJson(http::status::not_found, reply);
    co_return;
  }
  const bool get = ex.request().method() == http::verb::get || ex.request().method() == http::verb::head;
  if (get == cancel) {
    const json reply = json{{"detail", "Method Not Allowed"}};
    co_await ex.SendJson(http::status::method_not_allowed, reply);
    co_return;
  }
  if (!StartsWith(rest, "resp_")) {
    const json reply = NestedError("Invalid 'response_id': '" + rest + "'. Expected an ID that begins with 'resp'.",
                                   400, "response_id");
    co_await ex.SendJson(http::status::bad_request, reply);
    co_return;
  }
  auto it = Store().find(rest);
  if (it == Store().end()) {
    const json reply = NestedError("Response with id '" + rest + "' not found.", 404, "response_id");
    co_await ex.SendJson(http::status::not_found, reply);
    co_return;
  }
  if (cancel && it->second.response.value("status", json()) != "queued" &&
      it->second.response.value("status", json()) != "in_progress") {
    const json reply = NestedError("Cannot cancel a synchronous response.", 400, nullptr);
    co_await ex.SendJson(http::status::bad_request, reply);
    co_return;
  }
  const json reply = it->second.response;
  co_await ex.SendJson(http::status::ok, reply);
}

}  // namespace shim::fake_sglang
