#include "cli/vllm_arg_parser.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using Words = std::vector<std::string>;

// A few rows shaped like vLLM's (vllm-flags.json), enough to exercise every parsing rule.
const std::vector<VllmFlagSpec>& Specs() {
  static const std::vector<VllmFlagSpec> kSpecs = {
      {"--tensor-parallel-size", "-tp", ArgKind::kValue, ValueType::kInt, "", false},           // 0
      {"--enable-prefix-caching", "", ArgKind::kBooleanOptional, ValueType::kBool, "", false},  // 1
      {"--served-model-name", "", ArgKind::kOneOrMore, ValueType::kStr, "", false},             // 2
      {"--hf-token", "", ArgKind::kOptionalValue, ValueType::kStr, "", false},                  // 3
      {"--middleware", "", ArgKind::kAppend, ValueType::kStr, "", false},                       // 4
      {"--max-model-len", "", ArgKind::kValue, ValueType::kHumanIntOrAuto, "", false},          // 5
      {"--dtype", "", ArgKind::kValue, ValueType::kStr, "auto|half", false},                    // 6
      {"--kv-transfer-config", "", ArgKind::kValue, ValueType::kJson, "", false},               // 7
      {"--headless", "", ArgKind::kStoreTrue, ValueType::kBool, "", false},                     // 8
      {"--quantization", "-q", ArgKind::kValue, ValueType::kStr, "", false},                    // 9
      {"--swap-space", "", ArgKind::kValue, ValueType::kNone, "", true},                        // 10
      {"--gpu-memory-utilization", "", ArgKind::kValue, ValueType::kFloat, "", false},          // 11
      {"--max-num-batched-tokens", "", ArgKind::kValue, ValueType::kHumanInt, "", false},       // 12
      {"--max-num-seqs", "", ArgKind::kValue, ValueType::kInt, "", false},                      // 13
      {"--moe-backend", "", ArgKind::kValue, ValueType::kStr, "auto|deep_gemm", false},         // 14
      {"--optimization-level", "-O", ArgKind::kValue, ValueType::kStr, "", false},              // 15
      {"-O", "", ArgKind::kValue, ValueType::kNone, "", true},                                  // 16
      {"--api-key", "", ArgKind::kOneOrMore, ValueType::kStr, "", false},                       // 17
  };
  return kSpecs;
}

ParsedArgs Parse(const Words& words, bool strict = false) {
  ParsedArgs out;
  std::string err;
  ParseOptions options;
  options.strict = strict;
  EXPECT_TRUE(ParseVllmArgs(words, Specs(), options, &out, &err)) << err;
  return out;
}

std::string Error(const Words& words, bool strict = false) {
  ParsedArgs out;
  std::string err;
  ParseOptions options;
  options.strict = strict;
  EXPECT_FALSE(ParseVllmArgs(words, Specs(), options, &out, &err));
  return err;
}

TEST(VllmArgParserTest, PositionalEqualsAndSpaceForms) {
  ParsedArgs args = Parse({"org/model", "--tensor-parallel-size=2", "--dtype", "half"});
  ASSERT_TRUE(args.model_tag);
  EXPECT_EQ(*args.model_tag, "org/model");
  ASSERT_EQ(args.flags.size(), 2u);
  EXPECT_EQ(args.flags[0].spec, 0u);
  EXPECT_EQ(args.flags[0].values, Words{"2"});
  EXPECT_EQ(args.flags[1].values, Words{"half"});
}

TEST(VllmArgParserTest, ShortAliasesAndAttachedValues) {
  ParsedArgs args = Parse({"-tp", "4", "-qfp8"});
  ASSERT_EQ(args.flags.size(), 2u);
  EXPECT_EQ(args.flags[0].values, Words{"4"});
  EXPECT_EQ(args.flags[1].spec, 9u);
  EXPECT_EQ(args.flags[1].values, Words{"fp8"});
  EXPECT_EQ(Parse({"-tp=8"}).flags[0].values, Words{"8"});
}

TEST(VllmArgParserTest, UniquePrefixesAreAcceptedAmbiguousOnesAreNot) {
  ParsedArgs args = Parse({"--tensor-parallel", "2", "--served", "a", "--no-enable-prefix"});
  ASSERT_EQ(args.flags.size(), 3u);
  EXPECT_EQ(args.flags[0].spec, 0u);
  EXPECT_EQ(args.flags[1].spec, 2u);
  EXPECT_TRUE(args.flags[2].negated);
  EXPECT_EQ(args.flags[2].spelling, "--no-enable-prefix-caching");
  EXPECT_NE(Error({"--max-num", "1"})
                .find("ambiguous option: --max-num could match --max-num-batched-tokens, --max-num-seqs"),
            std::string::npos);
}

TEST(VllmArgParserTest, BooleansTakeNoValue) {
  ParsedArgs args = Parse({"--enable-prefix-caching", "--headless"});
  EXPECT_FALSE(args.flags[0].negated);
  EXPECT_EQ(Error({"--enable-prefix-caching=true"}),
            "argument --enable-prefix-caching: ignored explicit argument 'true'");
  // "--headless true": the stray "true" becomes the positional, as in argparse.
  EXPECT_EQ(*Parse({"--headless", "true"}).model_tag, "true");
}

TEST(VllmArgParserTest, NargsPlusOptionalAndAppend) {
  ParsedArgs args = Parse({"m", "--served-model-name", "a", "b", "--hf-token", "--middleware", "x", "--middleware=y"});
  EXPECT_EQ(args.flags[0].values, (Words{"a", "b"}));
  EXPECT_TRUE(args.flags[1].values.empty());
  EXPECT_EQ(args.flags[2].values, (Words{"x", "y"}));
  EXPECT_EQ(Parse({"--hf-token", "hf_x"}).flags[0].values, Words{"hf_x"});
  EXPECT_EQ(Error({"--served-model-name"}), "argument --served-model-name: expected at least one argument");
  EXPECT_EQ(Error({"--dtype"}), "argument --dtype: expected one argument");
  EXPECT_EQ(Error({"--dtype", "--headless"}), "argument --dtype: expected one argument");
}

TEST(VllmArgParserTest, NegativeNumbersAreValues) {
  ParsedArgs args = Parse({"--max-model-len", "-1", "--gpu-memory-utilization", "-0.5"});
  EXPECT_EQ(args.flags[0].values, Words{"-1"});
  EXPECT_EQ(args.flags[1].values, Words{"-0.5"});
}

TEST(VllmArgParserTest, TypesAndChoicesAreChecked) {
  EXPECT_EQ(Error({"--tensor-parallel-size", "two"}), "argument --tensor-parallel-size: invalid int value: 'two'");
  EXPECT_EQ(Error({"--gpu-memory-utilization", "most"}),
            "argument --gpu-memory-utilization: invalid float value: 'most'");
  EXPECT_NE(Error({"--max-num-batched-tokens", "1.5K"}).find("Decimals are not allowed"), std::string::npos);
  EXPECT_EQ(Error({"--dtype", "fp4"}), "argument --dtype: invalid choice: 'fp4' (choose from 'auto', 'half')");
  EXPECT_NE(Error({"--kv-transfer-config", "{bad"}).find("argument --kv-transfer-config: invalid JSON value"),
            std::string::npos);
  EXPECT_TRUE(Parse({"--max-model-len", "auto", "--max-num-batched-tokens", "2M"}).flags.size() == 2);
  EXPECT_EQ(Parse({"--moe-backend", "Deep-Gemm"}).flags[0].values,
            Words{"Deep-Gemm"});  // normalised for the check only
  EXPECT_EQ(Parse({"--tensor-parallel-size", "None"}).flags[0].values, Words{"None"});
}

TEST(VllmArgParserTest, RepeatsKeepFirstPlaceLastValue) {
  ParsedArgs args = Parse({"--tensor-parallel-size", "2", "--dtype", "auto", "-tp", "4", "--no-enable-prefix-caching",
                           "--enable-prefix-caching"});
  ASSERT_EQ(args.flags.size(), 3u);
  EXPECT_EQ(args.flags[0].values, Words{"4"});
  EXPECT_FALSE(args.flags[2].negated);
  EXPECT_FALSE(args.warnings.empty());
}

TEST(VllmArgParserTest, UnknownFlagsAreDroppedOrFatalWhenStrict) {
  ParsedArgs args = Parse({"m", "--made-up", "v1", "v2", "--dtype", "auto", "--other=1"});
  EXPECT_EQ(args.unknown, (Words{"--made-up v1 v2", "--other=1"}));
  EXPECT_EQ(args.flags.size(), 1u);
  EXPECT_EQ(Error({"m", "--made-up", "v"}, true), "unrecognized arguments: --made-up");
}

// A stray word is an error even without VLLM_SGLANG_STRICT: no vLLM version takes it
// (tests/cli/test_launch.py checks `--enforce-eager true` with the real table).
TEST(VllmArgParserTest, StrayPositionalIsAlwaysAnError) {
  EXPECT_EQ(Error({"m", "n"}, true), "unrecognized arguments: n");
  EXPECT_EQ(Error({"m", "n"}, false), "unrecognized arguments: n");
}

TEST(VllmArgParserTest, LegacyFlagsParseAndDashODropsToLegacy) {
  ParsedArgs args = Parse({"--swap-space", "4", "-O", "{\"level\":3}", "--optimization-level", "3"});
  ASSERT_EQ(args.flags.size(), 3u);
  EXPECT_EQ(args.flags[0].spec, 10u);
  EXPECT_EQ(args.flags[1].spec, 16u);
  EXPECT_EQ(args.flags[2].spec, 15u);
  // Legacy flags are accepted in strict mode too.
  EXPECT_EQ(Parse({"--swap", "4"}, true).flags[0].spec, 10u);
}

TEST(VllmArgParserTest, DoubleDashEndsOptions) {
  ParsedArgs args = Parse({"--", "--weird-model-name"});
  ASSERT_TRUE(args.model_tag);
  EXPECT_EQ(*args.model_tag, "--weird-model-name");
}

// argparse (vLLM's FlexibleArgumentParser) reads a separate word that begins with '-' as an
// option unless it is a negative number: `--api-key -abc` fails, `--api-key=-abc` is a key.
TEST(VllmArgParserTest, ValueBeginningWithDashNeedsTheEqualsForm) {
  ParsedArgs args = Parse({"m", "--api-key=-abc123"});
  ASSERT_EQ(args.flags.size(), 1u);
  EXPECT_EQ(args.flags[0].values, Words{"-abc123"});
  EXPECT_EQ(Parse({"m", "--api-key", "-123"}).flags[0].values, Words{"-123"});
  std::string err = Error({"m", "--api-key", "-abc123"});
  EXPECT_EQ(err,
            "argument --api-key: expected at least one argument (write a value that begins with '-' as "
            "--api-key=VALUE)");
  EXPECT_EQ(Error({"m", "--dtype", "-x"}),
            "argument --dtype: expected one argument (write a value that begins with '-' as --dtype=VALUE)");
  // No hint when the next word is another long option or there is none: argparse's text alone.
  EXPECT_EQ(Error({"m", "--dtype", "--headless"}), "argument --dtype: expected one argument");
  EXPECT_EQ(Error({"m", "--api-key"}), "argument --api-key: expected at least one argument");
}

// The word after an API key's values is most likely another key: messages never quote it.
TEST(VllmArgParserTest, WordsAfterASecretAreNeverQuoted) {
  ParsedArgs dropped = Parse({"m", "--api-key", "k1", "-SeCrEt2", "x"});
  EXPECT_EQ(dropped.flags[0].values, Words{"k1"});
  ASSERT_EQ(dropped.unknown.size(), 1u);
  EXPECT_EQ(dropped.unknown[0].find("SeCrEt"), std::string::npos) << dropped.unknown[0];
  EXPECT_NE(dropped.unknown[0].find("--api-key=KEY"), std::string::npos) << dropped.unknown[0];
  std::string strict = Error({"m", "--api-key", "k1", "-SeCrEt2"}, true);
  EXPECT_EQ(strict.find("SeCrEt"), std::string::npos) << strict;
  EXPECT_EQ(strict.rfind("unrecognized arguments: ***", 0), 0u) << strict;
  std::string stray = Error({"m", "--api-key=-k1", "SeCrEt2"});
  EXPECT_EQ(stray.find("SeCrEt"), std::string::npos) << stray;
  std::string after_token = Error({"m", "--hf-token", "-SeCrEt3"}, true);
  EXPECT_EQ(after_token.find("SeCrEt"), std::string::npos) << after_token;
  // Words further on, and after other flags, are quoted as argparse would.
  EXPECT_EQ(Error({"m", "--api-key", "k1", "--dtype", "half", "stray"}), "unrecognized arguments: stray");
}

// An unknown flag named like a secret keeps its name in the warning, not its value.
TEST(VllmArgParserTest, UnknownSecretFlagsAreRedacted) {
  ParsedArgs args = Parse({"m", "--admin-api-key", "SeCrEt4", "--other-token=SeCrEt5", "--no-such-flag", "1"});
  EXPECT_EQ(args.unknown, (Words{"--admin-api-key ***", "--other-token=***", "--no-such-flag 1"}));
  EXPECT_EQ(Error({"m", "--other-token=SeCrEt5"}, true), "unrecognized arguments: --other-token=***");
}

TEST(VllmArgParserTest, JsonValuesNestedTooDeepOrNotUtf8) {
  EXPECT_EQ(Error({"m", "--kv-transfer-config", std::string(600, '[') + std::string(600, ']')}),
            "argument --kv-transfer-config: JSON nested deeper than 512 levels");
  EXPECT_EQ(Parse({"m", "--kv-transfer-config", "{\"kv_connector\": \"\xAF\"}"}).flags.size(), 1u);
}
}  // namespace
}  // namespace shim
