#include "endpoints/sleep_mode.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace shim::endpoints {
namespace {

using nlohmann::json;

// Form decoding ('+' is a space), as Starlette reads a query string.
std::string PercentDecode(std::string_view text) {
  std::string spaced(text);
  for (char& c : spaced) c = c == '+' ? ' ' : c;
  return DecodePercentEscapes(spaced);
}

std::string Dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

const std::vector<std::string> kVllmTags = {"weights", "kv_cache"};

}  // namespace

std::vector<std::string> QueryValues(std::string_view query, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& pair : SplitString(query, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = PercentDecode(std::string_view(pair).substr(0, eq));
    if (key != name) continue;
    values.push_back(eq == std::string::npos ? std::string() : PercentDecode(std::string_view(pair).substr(eq + 1)));
  }
  return values;
}

bool ParsePauseModeParam(std::string_view query, PauseMode* mode, EndpointReply* reject) {
  auto modes = QueryValues(query, "mode");
  if (modes.empty()) return true;
  const std::string& value = modes.back();  // Starlette's query_params.get returns the last value
  if (value == "abort") {
    *mode = PauseMode::kAbort;
  } else if (value == "wait") {
    *mode = PauseMode::kWait;
  } else if (value == "keep") {
    *mode = PauseMode::kKeep;
  } else {
    *reject =
        VllmError(400, "Invalid pause mode '" + value + "': expected abort, wait or keep.", "BadRequestError", "mode");
    return false;
  }
  return true;
}

bool ParseSleepQuery(std::string_view query, SleepCommand* out, EndpointReply* reject) {
  SleepCommand command;
  auto levels = QueryValues(query, "level");
  if (!levels.empty()) {
    // Starlette's query_params.get returns the last value.
    auto level = ParseInt(levels.back());
    if (!level || *level < 0 || *level > 1000) {
      *reject = VllmError(400, "Invalid sleep level '" + levels.back() + "': expected an integer such as 1 or 2.",
                          "BadRequestError", "level");
      return false;
    }
    command.level = static_cast<int>(*level);
  }
  if (!ParsePauseModeParam(query, &command.mode, reject)) return false;
  *out = command;
  return true;
}

bool ParseWakeTags(std::string_view query, std::vector<std::string>* tags, EndpointReply* reject) {
  std::vector<std::string> parsed;
  for (auto& tag : QueryValues(query, "tags")) {
    if (std::find(kVllmTags.begin(), kVllmTags.end(), tag) == kVllmTags.end()) {
      *reject =
          VllmError(400, "Unknown wake-up tag '" + tag + "': expected weights or kv_cache.", "BadRequestError", "tags");
      return false;
    }
    if (std::find(parsed.begin(), parsed.end(), tag) == parsed.end()) parsed.push_back(tag);
  }
  *tags = std::move(parsed);
  return true;
}

std::vector<std::string> SglangTagsFor(const std::vector<std::string>& vllm_tags) {
  std::vector<std::string> out;
  for (const auto& tag : vllm_tags) {
    out.push_back(tag);
    if (tag == "kv_cache") out.push_back("cuda_graph");
  }
  return out;
}

std::string SleepState::ReleaseBody() const {
  if (sleeping()) return "";
  return R"({"tags":null})";
}

std::string SleepState::ResumeBody(const std::vector<std::string>& tags) const {
  if (!sleeping()) return "";
  std::vector<std::string> wanted;
  for (const auto& tag : tags.empty() ? kVllmTags : tags) {
    if (asleep_tags_.count(tag)) wanted.push_back(tag);
  }
  if (wanted.empty()) return "";
  // Waking every asleep tag at once: let SGLang resume everything it released.
  if (wanted.size() == asleep_tags_.size()) return R"({"tags":null})";
  return Dump(json{{"tags", SglangTagsFor(wanted)}});
}

void SleepState::OnSlept(int level) {
  asleep_tags_ = {kVllmTags.begin(), kVllmTags.end()};
  level_ = level;
}

void SleepState::OnWoken(const std::vector<std::string>& tags) {
  for (const auto& tag : tags.empty() ? kVllmTags : tags) asleep_tags_.erase(tag);
  if (asleep_tags_.empty()) level_ = 0;
}

std::string SleepState::IsSleepingJson() const {
  return sleeping() ? R"({"is_sleeping":true})" : R"({"is_sleeping":false})";
}

std::vector<std::pair<std::string, double>> SleepState::GaugeSamples() const {
  bool asleep = sleeping();
  return {{"awake", asleep ? 0.0 : 1.0},
          {"weights_offloaded", asleep && level_ == 1 ? 1.0 : 0.0},
          {"discard_all", asleep && level_ != 1 ? 1.0 : 0.0}};
}

EndpointReply EngineSleepingReply() {
  return VllmError(503, "The engine is sleeping; call POST /wake_up before sending requests.", "Service Unavailable");
}

bool IsGenerationPath(std::string_view path) {
  static const char* const kPaths[] = {"/v1/chat/completions",
                                       "/v1/completions",
                                       "/v1/embeddings",
                                       "/v1/responses",
                                       "/v1/messages",
                                       "/v1/score",
                                       "/v1/rerank",
                                       "/v1/classify",
                                       "/v1/audio/transcriptions",
                                       "/v1/audio/translations",
                                       "/inference/v1/generate",
                                       "/pooling",
                                       "/classify",
                                       "/score",
                                       "/rerank",
                                       "/v2/rerank",
                                       "/v2/embed",
                                       "/invocations",
                                       "/generate",
                                       "/encode"};
  for (const char* p : kPaths) {
    if (path == p) return true;
  }
  return false;
}

}  // namespace shim::endpoints
