#include "rewrite/request_rewriter.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rewrite/json_scanner.h"

namespace shim {
namespace {

using nlohmann::json;
constexpr RouteKind kChat = RouteKind::kChatCompletions;
constexpr RouteKind kCompl = RouteKind::kCompletions;

RequestRewrite RunRewrite(RouteKind route, std::string_view body, RewriteOptions options = {}) {
  return RewriteRequestBody(route, body, options);
}

json Rewritten(RouteKind route, std::string_view body, RewriteOptions options = {}) {
  RequestRewrite r = RunRewrite(route, body, options);
  EXPECT_EQ(r.outcome, RequestRewrite::kRewritten) << body << " → " << r.body;
  json out = json::parse(r.body, nullptr, false);
  EXPECT_FALSE(out.is_discarded()) << r.body;
  return out;
}

// The 400 body and the failing param of a rejected request.
json Rejected(RouteKind route, std::string_view body) {
  RequestRewrite r = RunRewrite(route, body);
  EXPECT_EQ(r.outcome, RequestRewrite::kReject) << body;
  EXPECT_EQ(r.status, 400);
  json out = json::parse(r.body, nullptr, false);
  EXPECT_TRUE(out.contains("error")) << r.body;
  EXPECT_EQ(out["error"]["type"], "BadRequestError");
  EXPECT_EQ(out["error"]["code"], 400);
  return out["error"];
}

TEST(ClassifyRoute, FromTheTable) {
  EXPECT_EQ(ClassifyRoute("POST", "/v1/chat/completions"), kChat);
  EXPECT_EQ(ClassifyRoute("POST", "/v1/chat/completions?x=1"), kChat);
  EXPECT_EQ(ClassifyRoute("POST", "/v1/completions"), kCompl);
  EXPECT_EQ(ClassifyRoute("GET", "/v1/chat/completions"), RouteKind::kOther);
  EXPECT_EQ(ClassifyRoute("POST", "/v1/embeddings"), RouteKind::kOther);
  EXPECT_EQ(ClassifyRoute("POST", "/v1/chat/completions/"), RouteKind::kOther);
}

TEST(RequestRewriter, UnchangedBodyIsForwardedByteForByte) {
  std::string body = R"({ "model":"m", "messages":[{"role":"user","content":"hi"}],
      "temperature": 0.70, "max_tokens":16 })";
  RequestRewrite r = RunRewrite(kChat, body);
  EXPECT_EQ(r.outcome, RequestRewrite::kUnchanged);
  EXPECT_TRUE(r.body.empty());
}

TEST(RequestRewriter, OtherRoutesAreNeverTouched) {
  RequestRewrite r = RunRewrite(RouteKind::kOther, R"({"logprobs":null,"request_id":"x"})");
  EXPECT_EQ(r.outcome, RequestRewrite::kUnchanged);
}

TEST(RequestRewriter, InvalidJsonOrNonObjectPassesUnchanged) {
  for (std::string_view body : {"", "not json", "[1,2]", "{\"a\":1", "{\"logprobs\":true,}", "\"text\"", "null"}) {
    RewriteOptions explained;
    explained.explain = true;
    RequestRewrite r = RunRewrite(kChat, body, explained);
    EXPECT_EQ(r.outcome, RequestRewrite::kUnchanged) << body;
    EXPECT_FALSE(r.notes.empty());
  }
}

// Rule 1: the strip list (VLLM_SGLANG_STRIP_PARAMS, default logprobs,top_logprobs).
TEST(RequestRewriter, StripListRemovesChatKeys) {
  std::string body = R"({"model":"m","logprobs":true,"messages":[],"top_logprobs":5,"n":1})";
  RequestRewrite r = RunRewrite(kChat, body);
  ASSERT_EQ(r.outcome, RequestRewrite::kRewritten);
  EXPECT_EQ(r.body, R"({"model":"m","messages":[],"n":1})");
}

TEST(RequestRewriter, StripListIsChatOnly) {
  // Completions' integer logprobs is valid in SGLang (CompletionRequest.logprobs).
  EXPECT_EQ(RunRewrite(kCompl, R"({"prompt":"x","logprobs":3})").outcome, RequestRewrite::kUnchanged);
}

TEST(RequestRewriter, EmptyStripListDisablesStripping) {
  RewriteOptions none;
  none.strip_params.clear();
  EXPECT_EQ(RunRewrite(kChat, R"({"logprobs":true,"top_logprobs":2})", none).outcome, RequestRewrite::kUnchanged);
  RewriteOptions custom;
  custom.strip_params = {"", "seed"};
  EXPECT_EQ(RunRewrite(kChat, R"({"logprobs":true,"seed":1})", custom).body, R"({"logprobs":true})");
}

TEST(RequestRewriter, StripListSeesThroughKeyEscapesAndDuplicates) {
  RequestRewrite r = RunRewrite(kChat, R"({"\u006cogprobs":true,"a":1,"logprobs":false})");
  EXPECT_EQ(r.body, R"({"a":1})");
}

// Rule 2: top-level nulls (SGLang rejects e.g. chat logprobs: null, sglang#4440).
TEST(RequestRewriter, TopLevelNullsAreRemoved) {
  RewriteOptions none;
  none.strip_params.clear();
  RequestRewrite r = RunRewrite(kChat, R"({"logprobs":null,"messages":[{"content":null}],"tools":null,"n":1})", none);
  ASSERT_EQ(r.outcome, RequestRewrite::kRewritten);
  EXPECT_EQ(r.body, R"({"messages":[{"content":null}],"n":1})");  // nested nulls stay
  EXPECT_EQ(RunRewrite(kCompl, R"({"prompt":"x","max_tokens":null})").body, R"({"prompt":"x"})");
}

TEST(RequestRewriter, DuplicateKeysFollowPythonLastWins) {
  RewriteOptions none;
  none.strip_params.clear();
  // Python keeps the last value: null → the key is removed entirely.
  EXPECT_EQ(RunRewrite(kChat, R"({"seed":1,"x":0,"seed":null})", none).body, R"({"x":0})");
  // Last value non-null: an earlier null duplicate is harmless; keep as is.
  EXPECT_EQ(RunRewrite(kChat, R"({"seed":null,"seed":1})", none).outcome, RequestRewrite::kUnchanged);
}

// Rule 3: renames.
TEST(RequestRewriter, RequestIdBecomesRid) {
  std::string body = R"({"request_id":"abc","rid":"old","prompt":"p"})";
  RequestRewrite r = RunRewrite(kCompl, body);
  EXPECT_EQ(r.body, R"({"rid":"abc","prompt":"p"})");
}

TEST(RequestRewriter, IncludeStopStrBecomesNoStopTrimValueKept) {
  EXPECT_EQ(RunRewrite(kChat, R"({"include_stop_str_in_output":true})").body, R"({"no_stop_trim":true})");
  EXPECT_EQ(RunRewrite(kCompl, R"({"include_stop_str_in_output" : false })").body, R"({"no_stop_trim":false })");
}

TEST(RequestRewriter, TopKZeroBecomesMinusOne) {
  // vLLM: 0 disables top-k. SGLang rejects 0 and uses -1
  // (sglang/srt/sampling/sampling_params.py "top_k must be -1 (disable), or at least 1").
  EXPECT_EQ(RunRewrite(kChat, R"({"top_k" : 0,"a":1})").body, R"({"top_k" : -1,"a":1})");
  EXPECT_EQ(RunRewrite(kChat, R"({"top_k":20})").outcome, RequestRewrite::kUnchanged);
  EXPECT_EQ(RunRewrite(kChat, R"({"top_k":-1})").outcome, RequestRewrite::kUnchanged);
}

// Rule 3: structured outputs (vllm/sampling_params.py StructuredOutputsParams →
// SGLang response_format / json_schema / regex / ebnf).
TEST(RequestRewriter, StructuredOutputsJsonChat) {
  json out = Rewritten(kChat, R"({"structured_outputs":{"json":{"type":"object"}},"n":1})");
  EXPECT_FALSE(out.contains("structured_outputs"));
  EXPECT_EQ(out["response_format"]["type"], "json_schema");
  EXPECT_EQ(out["response_format"]["json_schema"]["schema"], json({{"type", "object"}}));
  EXPECT_TRUE(out["response_format"]["json_schema"]["name"].is_string());
  EXPECT_EQ(out["n"], 1);
}

TEST(RequestRewriter, StructuredOutputsJsonStringSchema) {
  json out = Rewritten(kChat, R"({"structured_outputs":{"json":"{\"type\":\"string\"}"}})");
  EXPECT_EQ(out["response_format"]["json_schema"]["schema"]["type"], "string");
}

TEST(RequestRewriter, StructuredOutputsJsonCompletionsUsesJsonSchemaString) {
  // SGLang CompletionRequest.json_schema: Optional[str].
  json out = Rewritten(kCompl, R"({"prompt":"p","structured_outputs":{"json":{"type":"object"}}})");
  ASSERT_TRUE(out["json_schema"].is_string());
  EXPECT_EQ(json::parse(out["json_schema"].get<std::string>()), json({{"type", "object"}}));
}

TEST(RequestRewriter, StructuredOutputsRegexGrammarChoice) {
  EXPECT_EQ(Rewritten(kChat, R"({"structured_outputs":{"regex":"[a-z]+"}})")["regex"], "[a-z]+");
  EXPECT_EQ(Rewritten(kCompl, R"({"structured_outputs":{"grammar":"root ::= \"a\""}})")["ebnf"], "root ::= \"a\"");
  EXPECT_EQ(Rewritten(kChat, R"j({"structured_outputs":{"choice":["yes","no (maybe)","a.b"]}})j")["regex"],
            R"j((yes|no \(maybe\)|a\.b))j");
}

TEST(RequestRewriter, StructuredOutputsJsonObjectAndStructuralTag) {
  EXPECT_EQ(Rewritten(kChat, R"({"structured_outputs":{"json_object":true}})")["response_format"],
            json({{"type", "json_object"}}));
  json completions_out = Rewritten(kCompl, R"({"structured_outputs":{"json_object":true}})");
  EXPECT_EQ(json::parse(completions_out["json_schema"].get<std::string>()), json({{"type", "object"}}));
  json tag = Rewritten(
      kChat,
      R"({"structured_outputs":{"structural_tag":"{\"structures\":[{\"begin\":\"<a>\",\"schema\":{},\"end\":\"</a>\"}],\"triggers\":[\"<a\"]}"}})");
  EXPECT_EQ(tag["response_format"]["type"], "structural_tag");
  EXPECT_EQ(tag["response_format"]["triggers"][0], "<a");
}

TEST(RequestRewriter, StructuredOutputsWithOnlyOptionsIsDropped) {
  json out = Rewritten(kChat, R"({"structured_outputs":{"disable_any_whitespace":true},"n":1})");
  EXPECT_EQ(out, json({{"n", 1}}));
}

TEST(RequestRewriter, StructuredOutputsErrors) {
  EXPECT_EQ(Rejected(kChat, R"({"structured_outputs":{"regex":"a","choice":["b"]}})")["param"], "structured_outputs");
  Rejected(kChat, R"({"structured_outputs":{"choice":[]}})");
  Rejected(kChat, R"({"structured_outputs":{"choice":["a",1]}})");
  Rejected(kChat, R"({"structured_outputs":{"regex":5}})");
  Rejected(kChat, R"({"structured_outputs":{"json":"not json"}})");
  Rejected(kChat, R"({"structured_outputs":"x"})");
}

TEST(RequestRewriter, LegacyGuidedFields) {
  EXPECT_EQ(Rewritten(kChat, R"({"guided_regex":"\\d+"})")["regex"], "\\d+");
  EXPECT_EQ(Rewritten(kChat, R"({"guided_choice":["a|b","c"]})")["regex"], R"((a\|b|c))");
  EXPECT_EQ(Rewritten(kCompl, R"({"guided_grammar":"g"})")["ebnf"], "g");
  EXPECT_EQ(Rewritten(kChat, R"({"guided_json":{"type":"object"}})")["response_format"]["type"], "json_schema");
  // Only one constraint may be given (vLLM: "more than one structured-output constraint").
  EXPECT_EQ(Rejected(kChat, R"({"guided_regex":"a","structured_outputs":{"regex":"b"}})")["param"], "guided_regex");
}

TEST(RequestRewriter, ConstraintConflictsWithSglangNativeConstraint) {
  Rejected(kChat, R"({"guided_regex":"a","regex":"b"})");
  Rejected(kChat, R"({"guided_regex":"a","response_format":{"type":"json_object"}})");
  // A plain-text response_format is no constraint and is replaced.
  json out = Rewritten(kChat, R"({"response_format":{"type":"text"},"guided_json":{}})");
  EXPECT_EQ(out["response_format"]["type"], "json_schema");
  EXPECT_EQ(out.size(), 1u);
}

// Rule 3: fields with no SGLang equivalent.
TEST(RequestRewriter, UnsupportedFieldsAreRejectedUnlessDefault) {
  json e = Rejected(kChat, R"({"prompt_logprobs":1})");
  EXPECT_EQ(e["param"], "prompt_logprobs");
  EXPECT_NE(e["message"].get<std::string>().find("prompt_logprobs"), std::string::npos);
  Rejected(kCompl, R"({"use_beam_search":true})");
  Rejected(kChat, R"({"truncate_prompt_tokens":10})");
  Rejected(kChat, R"({"bad_words":["x"]})");
  Rejected(kChat, R"({"echo":true})");
  Rejected(kChat, R"({"spaces_between_special_tokens":false})");
  Rejected(kChat, R"({"add_generation_prompt":false})");
  // Defaults pass untouched.
  for (std::string_view body :
       {R"({"use_beam_search":false})", R"({"prompt_logprobs":null})", R"({"bad_words":[ ]})", R"({"echo":false})",
        R"({"spaces_between_special_tokens":true})", R"({"add_generation_prompt":true})"}) {
    EXPECT_NE(RunRewrite(kChat, body).outcome, RequestRewrite::kReject) << body;
  }
  // SGLang's completions support echo.
  EXPECT_EQ(RunRewrite(kCompl, R"({"echo":true})").outcome, RequestRewrite::kUnchanged);
  // continue_final_message implies no generation prompt (vLLM requires both).
  EXPECT_EQ(RunRewrite(kChat, R"({"add_generation_prompt":false,"continue_final_message":true})").outcome,
            RequestRewrite::kUnchanged);
}

TEST(RequestRewriter, StripListCanSilenceARejection) {
  RewriteOptions options;
  options.strip_params = {"prompt_logprobs"};
  EXPECT_EQ(RunRewrite(kChat, R"({"prompt_logprobs":2})", options).body, "{}");
}

TEST(RequestRewriter, EveryOtherValueIsKeptExactly) {
  std::string image = "data:image/png;base64," + std::string(5000, 'A');
  std::string body = R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":")" + image +
                     R"("}}]}], "temperature":0.30000000000000004, "logprobs":true,
                     "request_id":"r-1", "stop":["\u00e9"], "seed":null})";
  RequestRewrite r = RunRewrite(kChat, body);
  ASSERT_EQ(r.outcome, RequestRewrite::kRewritten);
  EXPECT_NE(r.body.find(image), std::string::npos);
  EXPECT_NE(r.body.find("0.30000000000000004"), std::string::npos);
  EXPECT_NE(r.body.find(R"("\u00e9")"), std::string::npos);
  json out = json::parse(r.body);
  EXPECT_EQ(out["rid"], "r-1");
  EXPECT_FALSE(out.contains("logprobs"));
  EXPECT_FALSE(out.contains("seed"));
}

TEST(RequestRewriter, NotesNameFieldsNeverValues) {
  RewriteOptions explained;
  explained.explain = true;
  RequestRewrite r = RunRewrite(kChat, R"({"request_id":"secret-value","logprobs":true,"seed":null})", explained);
  for (const std::string& note : r.notes) EXPECT_EQ(note.find("secret"), std::string::npos);
  EXPECT_EQ(r.notes.size(), 3u);  // nulls, strip list, request_id → rid
}

TEST(RequestRewriter, NoNotesUnlessAsked) {
  // The notes are for debug logs: off by default, they cost nothing per request.
  RequestRewrite r = RunRewrite(kChat, R"({"request_id":"r","logprobs":true,"seed":null})");
  EXPECT_EQ(r.outcome, RequestRewrite::kRewritten);
  EXPECT_TRUE(r.notes.empty());
}

TEST(RequestRewriter, ManyMembersStayLinear) {
  // 200k duplicate and distinct keys must not go quadratic.
  std::string body = "{";
  for (int i = 0; i < 200000; ++i) {
    body += "\"k" + std::to_string(i % 1000) + "\":null,";
  }
  body += "\"n\":1}";
  RequestRewrite r = RunRewrite(kChat, body);
  EXPECT_EQ(r.body, R"({"n":1})");
}

TEST(RequestRewriter, TheScanItHandsOnDescribesTheForwardedBody) {
  RewriteOptions strip;
  strip.strip_params = {"logprobs", "top_logprobs"};
  const std::string_view bodies[] = {
      R"({"model":"m","messages":[{"role":"user","content":"hi"}]})",        // untouched
      R"({"model":"m","logprobs":false, "messages":[], "top_logprobs":2})",  // stripped
      R"({"model":"m", "n":null,"messages":[],"seed":null})",                // nulls removed
      R"({"model":"m","messages":[],"guided_json":{"type":"object"}})",      // translated
  };
  int handed_on = 0;
  for (std::string_view body : bodies) {
    RequestRewrite r = RunRewrite(kChat, body, strip);
    ASSERT_NE(r.outcome, RequestRewrite::kReject) << body;
    if (!r.scan) continue;  // a replaced member: the next step scans again
    ++handed_on;
    std::string_view forwarded = r.outcome == RequestRewrite::kRewritten ? std::string_view(r.body) : body;
    JsonObjectScan fresh;
    std::string err;
    ASSERT_TRUE(ScanTopLevelObject(forwarded, &fresh, &err)) << err;
    EXPECT_EQ(r.scan->close, fresh.close) << forwarded;
    ASSERT_EQ(r.scan->members.size(), fresh.members.size()) << forwarded;
    for (size_t i = 0; i < fresh.members.size(); ++i) {
      EXPECT_EQ(r.scan->members[i].key, fresh.members[i].key);
      EXPECT_EQ(r.scan->members[i].Value(forwarded), fresh.members[i].Value(forwarded));
      EXPECT_EQ(r.scan->members[i].kind, fresh.members[i].kind);
    }
  }
  EXPECT_EQ(handed_on, 3);                                  // all but the translated one
  EXPECT_FALSE(RunRewrite(kChat, "[1]").scan.has_value());  // not an object: nothing to hand on
}

}  // namespace
}  // namespace shim
