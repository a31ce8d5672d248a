#include "responses/responses_usage.h"

#include "rewrite/json_key_edit.h"
#include "rewrite/json_scanner.h"
#include "rewrite/json_splice.h"

namespace shim::responses {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxDepth = 128;

long long Count(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

// A nested count such as prompt_tokens_details.cached_tokens, or 0.
long long NestedCount(const json& object, const char* outer, const char* inner) {
  auto it = object.find(outer);
  return it != object.end() && it->is_object() ? Count(*it, inner) : 0;
}

}  // namespace

bool ResponseUsageFromChatUsage(const json& chat, ordered_json* out) {
  if (!chat.is_object() || !chat.contains("prompt_tokens") || chat.contains("input_tokens")) return false;
  const long long input = Count(chat, "prompt_tokens");
  const long long output = Count(chat, "completion_tokens");
  long long reasoning = Count(chat, "reasoning_tokens");
  if (reasoning == 0) reasoning = NestedCount(chat, "completion_tokens_details", "reasoning_tokens");
  ordered_json usage = ordered_json::object();
  usage["input_tokens"] = input;
  ordered_json input_details = ordered_json::object();
  input_details["cached_tokens"] = NestedCount(chat, "prompt_tokens_details", "cached_tokens");
  input_details["input_tokens_per_turn"] = ordered_json::array();
  input_details["cached_tokens_per_turn"] = ordered_json::array();
  usage["input_tokens_details"] = std::move(input_details);
  usage["output_tokens"] = output;
  ordered_json output_details = ordered_json::object();
  output_details["reasoning_tokens"] = reasoning;
  output_details["tool_output_tokens"] = 0;
  output_details["output_tokens_per_turn"] = ordered_json::array();
  output_details["tool_output_tokens_per_turn"] = ordered_json::array();
  usage["output_tokens_details"] = std::move(output_details);
  const long long total = Count(chat, "total_tokens");
  usage["total_tokens"] = total > 0 ? total : input + output;
  *out = std::move(usage);
  return true;
}

bool FixAnswerUsage(std::string_view body, std::string* out) {
  if (!ContainsBytes(body, "\"prompt_tokens\"")) return false;
  JsonObjectScan scan;
  std::string err;
  if (!ScanTopLevelObject(body, &scan, &err)) return false;
  for (size_t i = 0; i < scan.members.size(); ++i) {
    const JsonMember& m = scan.members[i];
    if (m.key != "usage" || m.kind != JsonKind::kObject) continue;
    json chat;
    ordered_json usage;
    if (!ParseJsonValue(m.Value(body), kMaxDepth, &chat) || !ResponseUsageFromChatUsage(chat, &usage)) return false;
    ObjectSplicer splice(body, scan);
    splice.Replace(i, JsonMemberText("usage", DumpJson(usage)));
    *out = splice.Build();
    return true;
  }
  return false;
}

bool FixEventUsage(std::string_view frame, std::string* out) {
  if (!ContainsBytes(frame, "\"prompt_tokens\"")) return false;
  const size_t data = frame.find("data:");
  if (data == std::string_view::npos) return false;
  size_t begin = data + 5;
  if (begin < frame.size() && frame[begin] == ' ') ++begin;
  size_t end = frame.find('\n', begin);
  if (end == std::string_view::npos) end = frame.size();
  if (end > begin && frame[end - 1] == '\r') --end;
  const std::string_view payload = frame.substr(begin, end - begin);
  JsonObjectScan scan;
  std::string err;
  if (!ScanTopLevelObject(payload, &scan, &err)) return false;
  for (size_t i = 0; i < scan.members.size(); ++i) {
    const JsonMember& m = scan.members[i];
    if (m.key != "response" || m.kind != JsonKind::kObject) continue;
    std::string response;
    if (!FixAnswerUsage(m.Value(payload), &response)) return false;
    ObjectSplicer splice(payload, scan);
    splice.Replace(i, JsonMemberText("response", response));
    out->assign(frame.substr(0, begin));
    out->append(splice.Build());
    out->append(frame.substr(end));
    return true;
  }
  return false;
}

}  // namespace shim::responses
