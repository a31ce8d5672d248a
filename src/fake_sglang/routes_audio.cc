// /v1/audio/transcriptions as SGLang answers it (python/sglang/srt/entrypoints/http_server.py
// openai_v1_audio_transcriptions: form fields file (required), model="default", language,
// response_format="json", temperature=0.0, stream=False; serving_transcription.py: json
// {"text","usage"}, text/plain, verbose_json, and SSE deltas of TranscriptionStreamResponse with
// a finish frame and [DONE]). The "transcript" is the stand-in's deterministic text, first
// naming the upload's size ("[audio:<bytes> bytes]") so a test can tell the file arrived whole.
#include <chrono>
#include <string>
#include <vector>

#include "common/strings.h"
#include "fake_sglang/generator.h"
#include "fake_sglang/multipart.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/routes.h"

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

// FastAPI's body model for the route's form parameters, as pydantic names it.
constexpr const char* kFormModel = "Body_openai_v1_audio_transcriptions_v1_audio_transcriptions_post";

json StreamFrame(const std::string& id, long long created, const std::string& model, const json& delta,
                 const json& finish_reason) {
  json choice = {{"index", 0}, {"delta", delta}, {"finish_reason", finish_reason}};
  return json{{"id", id},
              {"object", "transcription.chunk"},
              {"created", created},
              {"model", model},
              {"choices", json::array({choice})}};
}

// Fails the whole request as SGLang does: a ValueError from the audio loader.
const char* kEmptyAudio = "Failed to load audio: the uploaded file is empty";

}  // namespace

net::awaitable<void> HandleTranscriptions(EngineState& state, Exchange& ex) {
  std::vector<FormPart> parts;
  std::string parse_error;
  const std::string boundary = MultipartBoundary(ex.request()[http::field::content_type]);
  const bool parsed = ParseMultipart(ex.request().body(), boundary, &parts, &parse_error);
  const FormPart* file = parsed ? FindFormPart(parts, "file") : nullptr;
  std::vector<FieldError> errors;
  if (file == nullptr) {
    errors.push_back({"missing", "('body', 'file')", "Field required"});
  } else if (!file->is_file) {
    errors.push_back({"value_error", "('body', 'file')", "Value error, Expected UploadFile, received: <class 'str'>"});
  }
  auto field = [&](const char* name, const std::string& fallback) {
    const FormPart* p = FindFormPart(parts, name);
    return p ? std::string(p->data) : fallback;
  };
  const std::string model = field("model", "default");
  const std::string language = field("language", "");
  const std::string response_format = field("response_format", "json");
  std::optional<double> temperature = ParseDouble(field("temperature", "0.0"));
  std::optional<bool> stream = ParseBool(field("stream", "false"));
  if (!temperature) errors.push_back({"float_parsing", "('body', 'temperature')", "Input should be a valid number"});
  if (!stream) errors.push_back({"bool_parsing", "('body', 'stream')", "Input should be a valid boolean"});
  if (!errors.empty()) {
    const ApiError error = ValidationError(errors, kFormModel);
    co_await ex.SendJson(static_cast<http::status>(error.status), error.body);
    co_return;
  }
  if (response_format != "json" && response_format != "text" && response_format != "verbose_json") {
    const json reply = {{"error", {{"message", "Only 'json', 'text', and 'verbose_json' formats supported"}}}};
    co_await ex.SendJson(http::status::bad_request, reply);
    co_return;
  }
  const size_t size = file->data.size();
  GenerationParams params;
  const std::string prompt = "transcribe " + std::to_string(size) + " " + language;
  params.prompt = prompt;
  Generation gen = Generate(params);
  if (!gen.tokens.empty()) gen.tokens.front() = " " + gen.tokens.front();
  gen.tokens.insert(gen.tokens.begin(), "[audio:" + std::to_string(size) + " bytes]");
  const json usage = {{"type", "duration"}, {"seconds", 1}};

  if (!*stream) {
    if (size == 0) {
      const json reply = SglangErrorBody(400, kEmptyAudio, "BadRequestError");
      co_await ex.SendJson(http::status::bad_request, reply);
      co_return;
    }
    if (response_format == "text") {
      co_await ex.Send(http::status::ok, gen.Text(), "text/plain; charset=utf-8");
    } else if (response_format == "verbose_json") {
      const json reply = {{"task", "transcribe"},      {"language", language.empty() ? "en" : language},
                          {"duration", 1.0},           {"text", gen.Text()},
                          {"segments", json::array()}, {"usage", usage}};
      co_await ex.SendJson(http::status::ok, reply);
    } else {
      const json reply = {{"text", gen.Text()}, {"usage", usage}};
      co_await ex.SendJson(http::status::ok, reply);
    }
    co_return;
  }
  if (!co_await ex.BeginStream()) co_return;
  const std::string id = "trsc-" + std::to_string(HashText(prompt));
  const long long created =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (size == 0) {
    // serving_transcription.py: a ValueError mid-stream becomes create_streaming_error_response.
    const json inner = SglangErrorBody(400, kEmptyAudio, "BadRequestError");
    const json frame = {{"error", inner}};
    if (!co_await ex.SendEvent(frame.dump())) co_return;
  } else {
    const double itl_ms = state.knobs().itl_ms;
    for (const std::string& token : gen.tokens) {
      const json delta = {{"content", token}};
      if (!co_await ex.SendEvent(StreamFrame(id, created, model, delta, nullptr).dump())) co_return;
      if (itl_ms > 0 && !co_await ex.Sleep(std::chrono::microseconds(static_cast<long long>(itl_ms * 1000)))) {
        co_return;
      }
    }
    const json empty = json::object();
    if (!co_await ex.SendEvent(StreamFrame(id, created, model, empty, "stop").dump())) co_return;
  }
  if (!co_await ex.SendEvent("[DONE]")) co_return;
  co_await ex.EndStream();
}

}  // namespace shim::fake_sglang
