// Argparse semantics of SGLang's parser (prepare_server_args in python/sglang/srt/server_args.py:
// parse_args, allow_abbrev=True). Expected messages are Python 3.11 argparse's wording.
#include "fake_sglang/cli.h"

#include <gtest/gtest.h>

#include "translate/sglang_release.h"

namespace shim::fake_sglang {
namespace {

std::string LastLine(const std::string& text) {
  std::string trimmed = text.substr(0, text.find_last_not_of('\n') + 1);
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

struct Outcome {
  CliOutcome outcome;
  ParsedArgs args;
  std::string message;
};

Outcome Parse(std::vector<std::string> argv) {
  Outcome o;
  o.outcome = ParseSglangArgs(argv, &o.args, &o.message);
  return o;
}

TEST(SglangCliTest, AcceptsPrimaryNamesAliasesAndEqualsForm) {
  auto o = Parse({"--model", "org/m", "--tensor-parallel-size=2", "--port", "31000", "--enable-metrics"});
  ASSERT_EQ(o.outcome, CliOutcome::kOk) << o.message;
  EXPECT_EQ(o.args.Get("model_path"), "org/m");
  EXPECT_EQ(o.args.Int("tp_size"), 2);
  EXPECT_EQ(o.args.Int("port"), 31000);
  EXPECT_TRUE(o.args.Flag("enable_metrics"));
}

TEST(SglangCliTest, RequiresModelPath) {
  auto o = Parse({"--port", "1"});
  ASSERT_EQ(o.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(o.message), "sglang serve: error: the following arguments are required: --model-path/--model");
  EXPECT_EQ(o.message.rfind("usage: sglang serve [-h] --model-path MODEL_PATH", 0), 0u);
}

TEST(SglangCliTest, RejectsUnknownFlagsWithTheirValues) {
  auto o = Parse({"--model-path", "m", "--max-model-len", "4096", "--enable-auto-tool-choice"});
  ASSERT_EQ(o.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(o.message),
            "sglang serve: error: unrecognized arguments: --max-model-len 4096 --enable-auto-tool-choice");
}

TEST(SglangCliTest, SecondServedModelNameIsAnUnrecognizedPositional) {
  auto o = Parse({"--model-path", "m", "--served-model-name", "a", "b"});
  ASSERT_EQ(o.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(o.message), "sglang serve: error: unrecognized arguments: b");
}

TEST(SglangCliTest, UniquePrefixIsAcceptedAmbiguousIsRejected) {
  auto ok = Parse({"--model-path", "m", "--tp", "2", "--max-loras", "4"});
  ASSERT_EQ(ok.outcome, CliOutcome::kOk) << ok.message;
  EXPECT_EQ(ok.args.Int("tp_size"), 2);
  EXPECT_EQ(ok.args.Int("max_loras_per_batch"), 4);
  auto bad = Parse({"--model-path", "m", "--tokenizer", "t"});
  ASSERT_EQ(bad.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(bad.message)
                .rfind("sglang serve: error: ambiguous option: --tokenizer could match "
                       "--tokenizer-path, --tokenizer-mode",
                       0),
            0u)
      << bad.message;
}

TEST(SglangCliTest, ChecksChoicesWithPythonRepr) {
  auto o = Parse({"--model-path", "m", "--kv-cache-dtype", "fp8"});
  ASSERT_EQ(o.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(o.message),
            "sglang serve: error: argument --kv-cache-dtype: invalid choice: 'fp8' (choose from 'auto', "
            "'fp8_e5m2', 'fp8_e4m3', 'mxfp8', 'bf16', 'bfloat16', 'nvfp4', 'fp4_mx_block16', 'fp4_e2m1')");
  auto parser = Parse({"--model-path", "m", "--tool-call-parser", "llama3_json"});
  ASSERT_EQ(parser.outcome, CliOutcome::kError);
  EXPECT_NE(parser.message.find("argument --tool-call-parser: invalid choice: 'llama3_json'"), std::string::npos);
  auto numeric = Parse({"--model-path", "m", "--log-requests-level", "7"});
  ASSERT_EQ(numeric.outcome, CliOutcome::kError);
  EXPECT_NE(numeric.message.find("invalid choice: 7 (choose from 0, 1, 2, 3)"), std::string::npos);
}

TEST(SglangCliTest, ChecksTypesAndArity) {
  EXPECT_NE(Parse({"--model-path", "m", "--port", "abc"}).message.find("argument --port: invalid int value: 'abc'"),
            std::string::npos);
  EXPECT_NE(Parse({"--model-path", "m", "--port"}).message.find("argument --port: expected one argument"),
            std::string::npos);
  EXPECT_NE(Parse({"--model-path", "m", "--api-key", "-x"}).message.find("argument --api-key: expected one argument"),
            std::string::npos);
  EXPECT_NE(Parse({"--model-path", "m", "--trust-remote-code=1"})
                .message.find("argument --trust-remote-code: ignored explicit argument '1'"),
            std::string::npos);
  EXPECT_NE(Parse({"--model-path", "m", "--numa-node"}).message.find("expected at least one argument"),
            std::string::npos);
  EXPECT_EQ(Parse({"--model-path", "m", "--context-length", "32k"}).outcome, CliOutcome::kOk);
  EXPECT_EQ(Parse({"--model-path", "m", "--random-seed", "-5"}).outcome, CliOutcome::kOk);
}

TEST(SglangCliTest, ListValuedFlagsTakeEveryFollowingValue) {
  auto o = Parse({"--model-path", "m", "--lora-paths", "a=/x", "b=/y", "--enable-lora"});
  ASSERT_EQ(o.outcome, CliOutcome::kOk) << o.message;
  EXPECT_EQ(o.args.List("lora_paths"), (std::vector<std::string>{"a=/x", "b=/y"}));
  auto empty = Parse({"--model-path", "m", "--lora-paths"});
  ASSERT_EQ(empty.outcome, CliOutcome::kOk);
  EXPECT_TRUE(empty.args.Has("lora_paths"));
}

// server_args.py: --bucket-time-to-first-token, --bucket-inter-token-latency and
// --bucket-e2e-request-latency are nargs="+", type=float.
TEST(SglangCliTest, BucketFlagsTakeFloatsOnly) {
  auto o = Parse({"--model-path", "m", "--bucket-time-to-first-token", "0.001", "2560", "--bucket-e2e-request-latency",
                  "1e-05", "--enable-metrics"});
  ASSERT_EQ(o.outcome, CliOutcome::kOk) << o.message;
  EXPECT_EQ(o.args.List("bucket_time_to_first_token"), (std::vector<std::string>{"0.001", "2560"}));
  EXPECT_EQ(o.args.List("bucket_e2e_request_latency"), std::vector<std::string>{"1e-05"});
  auto bad = Parse({"--model-path", "m", "--bucket-inter-token-latency", "0.1", "soon"});
  ASSERT_EQ(bad.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(bad.message),
            "sglang serve: error: argument --bucket-inter-token-latency: invalid float value: 'soon'");
  auto none = Parse({"--model-path", "m", "--bucket-e2e-request-latency", "--enable-metrics"});
  ASSERT_EQ(none.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(none.message),
            "sglang serve: error: argument --bucket-e2e-request-latency: expected at least one argument");
}

TEST(SglangCliTest, BooleanOptionalNegation) {
  auto o = Parse({"--model-path", "m", "--no-lora-strict-loading"});
  ASSERT_EQ(o.outcome, CliOutcome::kOk);
  EXPECT_FALSE(o.args.Flag("lora_strict_loading"));
  EXPECT_TRUE(o.args.Has("lora_strict_loading"));
}

TEST(SglangCliTest, HelpWinsWhenSeenFirst) {
  EXPECT_EQ(Parse({"--help"}).outcome, CliOutcome::kHelp);
  EXPECT_EQ(Parse({"-h", "--bogus"}).outcome, CliOutcome::kHelp);
  EXPECT_EQ(Parse({"--port", "x", "-h"}).outcome, CliOutcome::kError);
}

TEST(SglangCliTest, PythonReprQuotes) {
  EXPECT_EQ(PythonRepr("a"), "'a'");
  EXPECT_EQ(PythonRepr("it's"), "\"it's\"");
  EXPECT_EQ(PythonRepr("a\nb\\"), "'a\\nb\\\\'");
}

// An older SGLang refuses flags and choices it did not have yet (server_args.py at v0.5.2,
// b0d25e72: no --enable-trace, no hermes tool-call parser).
TEST(SglangCliTest, AnEmulatedReleaseAcceptsOnlyItsOwnFlagsAndChoices) {
  const SglangRelease& oldest = SglangReleases().front();
  ASSERT_EQ(oldest.label(), "v0.5.2");
  EmulateSglangRelease(&oldest);
  auto trace = Parse({"--model-path", "m", "--enable-trace"});
  auto parser = Parse({"--model-path", "m", "--tool-call-parser", "hermes"});
  auto fine = Parse({"--model-path", "m", "--tool-call-parser", "qwen25"});
  EmulateSglangRelease(nullptr);
  ASSERT_EQ(trace.outcome, CliOutcome::kError);
  EXPECT_EQ(LastLine(trace.message), "sglang serve: error: unrecognized arguments: --enable-trace");
  ASSERT_EQ(parser.outcome, CliOutcome::kError);
  EXPECT_NE(LastLine(parser.message).find("invalid choice: 'hermes'"), std::string::npos) << parser.message;
  EXPECT_EQ(fine.outcome, CliOutcome::kOk) << fine.message;
  EXPECT_EQ(Parse({"--model-path", "m", "--enable-trace"}).outcome, CliOutcome::kOk);
}

}  // namespace
}  // namespace shim::fake_sglang
