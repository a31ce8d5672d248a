// libFuzzer target: arbitrary bytes through the rewriting code (src/rewrite):
// as a request body for both OpenAI routes, as an upstream error body, and as
// an SSE response body split into chunks at arbitrary points. Checks the
// invariants the front door relies on, not just the absence of crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rewrite/audio_parts.h"
#include "rewrite/error_shape.h"
#include "rewrite/json_key_edit.h"
#include "rewrite/json_scanner.h"
#include "rewrite/reasoning_field.h"
#include "rewrite/request_rewriter.h"
#include "rewrite/sse_rewriter.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

// A scan handed on with a rewrite must be exactly what scanning the forwarded
// body gives: model selection trusts it instead of scanning again.
void CheckHandedOnScan(const shim::RequestRewrite& r, std::string_view forwarded) {
  if (!r.scan) return;
  shim::JsonObjectScan fresh;
  std::string err;
  Require(shim::ScanTopLevelObject(forwarded, &fresh, &err));
  Require(r.scan->open == fresh.open && r.scan->close == fresh.close);
  Require(r.scan->members.size() == fresh.members.size());
  for (size_t i = 0; i < fresh.members.size(); ++i) {
    const shim::JsonMember& a = r.scan->members[i];
    const shim::JsonMember& b = fresh.members[i];
    Require(a.key == b.key && a.kind == b.kind && a.depth == b.depth && a.key_begin == b.key_begin &&
            a.value_begin == b.value_begin && a.value_end == b.value_end);
  }
}

void CheckRequest(shim::RouteKind route, std::string_view body) {
  shim::RewriteOptions options;
  shim::RequestRewrite first = shim::RewriteRequestBody(route, body, options);
  shim::JsonObjectScan scan;
  std::string err;
  bool is_object = shim::ScanTopLevelObject(body, &scan, &err);
  if (first.outcome != shim::RequestRewrite::kReject) {
    CheckHandedOnScan(first, first.outcome == shim::RequestRewrite::kRewritten ? std::string_view(first.body) : body);
  }
  switch (first.outcome) {
    case shim::RequestRewrite::kUnchanged:
      // The caller forwards the original bytes; nothing to carry.
      Require(first.body.empty());
      break;
    case shim::RequestRewrite::kRewritten: {
      Require(is_object);  // invalid JSON is never rewritten
      shim::JsonObjectScan rescan;
      Require(shim::ScanTopLevelObject(first.body, &rescan, &err));
      // Rewriting is idempotent: the output needs nothing more.
      shim::RequestRewrite second = shim::RewriteRequestBody(route, first.body, options);
      Require(second.outcome == shim::RequestRewrite::kUnchanged);
      break;
    }
    case shim::RequestRewrite::kReject: {
      Require(is_object);
      Require(first.status == 400);
      nlohmann::json error = nlohmann::json::parse(first.body, nullptr, false);
      Require(!error.is_discarded() && error.contains("error"));
      break;
    }
  }
}

void CheckErrorBody(std::string_view body) {
  for (int status : {400, 422, 500}) {
    int new_status = 0;
    auto out = shim::VllmErrorFromSglang(status, body, &new_status);
    if (!out) continue;
    Require(new_status == status || (status == 422 && new_status == 400));
    nlohmann::json parsed = nlohmann::json::parse(*out, nullptr, false);
    Require(!parsed.is_discarded() && parsed["error"].is_object());
    Require(parsed["error"]["code"] == new_status);
    // Converting a converted body changes nothing.
    int again = 0;
    Require(!shim::VllmErrorFromSglang(new_status, *out, &again));
  }
}

std::string FeedSse(std::string_view input, const std::vector<size_t>& cuts) {
  shim::SseErrorRewriter rewriter;
  std::string out;
  size_t prev = 0;
  for (size_t cut : cuts) {
    out.append(rewriter.Feed(input.substr(prev, cut - prev)));
    prev = cut;
  }
  out.append(rewriter.Feed(input.substr(prev)));
  out.append(rewriter.Finish());
  Require(rewriter.held_bytes() == 0);
  return out;
}

void CheckSse(std::string_view input) {
  std::string whole = FeedSse(input, {});
  // Without an error-looking key nothing may change.
  if (input.find("\"error\"") == std::string_view::npos) Require(whole == input);
  // Chunk boundaries never change the output.
  uint64_t state = 0x9E3779B97F4A7C15ULL ^ input.size();
  for (unsigned char c : input.substr(0, 16)) state = state * 1099511628211ULL ^ c;
  std::vector<size_t> cuts;
  size_t at = 0;
  while (!input.empty() && cuts.size() < 64) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    at += 1 + (state >> 33) % 23;
    if (at >= input.size()) break;
    cuts.push_back(at);
  }
  Require(FeedSse(input, cuts) == whole);
}

}  // namespace

// vLLM's reasoning field name, both ways, and the chat shape's tool_calls: on valid JSON the edit keeps it valid JSON
// and renaming is done in one pass (nothing left to rename); on anything else it stays in bounds.
void CheckReasoningRename(std::string_view input) {
  size_t depth = 0;
  std::string err;
  const bool valid = shim::ValidateJson(input, &depth, &err);
  std::string out;
  for (shim::ReasoningField field : {shim::ReasoningField::kReasoning, shim::ReasoningField::kBoth}) {
    if (!shim::RenameReasoningInAnswer(input, field, &out) || !valid) continue;
    Require(shim::ValidateJson(out, &depth, &err));
    std::string again;
    if (field == shim::ReasoningField::kReasoning) Require(!shim::RenameReasoningInAnswer(out, field, &again));
  }
  if (shim::RenameReasoningInMessages(input, &out) && valid) Require(shim::ValidateJson(out, &depth, &err));
  // The chat shape's tool_calls fix: valid in, valid out, and nothing left to fix.
  if (shim::ReplaceNullMembers(input, "tool_calls", "[]", 4, &out) && valid) {
    Require(shim::ValidateJson(out, &depth, &err));
    std::string again;
    Require(!shim::ReplaceNullMembers(out, "tool_calls", "[]", 4, &again));
  }
}

// input_audio parts (also reached through CheckRequest on the chat route): on a valid
// messages value the rewrite is valid JSON, is refused with a message, or leaves it alone.
void CheckAudioParts(std::string_view input) {
  shim::JsonObjectScan scan;
  std::string err;
  if (!shim::ScanTopLevelObject(input, &scan, &err)) return;
  for (const shim::JsonMember& member : scan.members) {
    if (member.key != "messages" || member.kind != shim::JsonKind::kArray) continue;
    shim::AudioPartsRewrite r = shim::RewriteInputAudioParts(member.Value(input));
    if (r.outcome == shim::AudioPartsRewrite::kRewritten) {
      Require(r.parts > 0 && shim::ValidateJson(r.messages, nullptr, &err));
      Require(r.messages.find("\"input_audio\"") == std::string::npos ||
              shim::RewriteInputAudioParts(r.messages).outcome != shim::AudioPartsRewrite::kInvalid);
    } else if (r.outcome == shim::AudioPartsRewrite::kInvalid) {
      Require(!r.message.empty() && r.messages.empty());
    } else {
      Require(r.messages.empty() && r.parts == 0);
    }
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckRequest(shim::RouteKind::kChatCompletions, input);
  CheckRequest(shim::RouteKind::kCompletions, input);
  CheckErrorBody(input);
  CheckSse(input);
  CheckReasoningRename(input);
  CheckAudioParts(input);
  return 0;
}
