#include "translate/parser_names.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

const SglangRelease& Release(const std::string& label) {
  for (const SglangRelease& release : SglangReleases()) {
    if (release.label() == label) return release;
  }
  ADD_FAILURE() << "no release " << label;
  return NewestSglangRelease();
}

std::string Map(ParserKind kind, const std::string& name, const SglangRelease& release = NewestSglangRelease()) {
  std::string out;
  std::string err;
  EXPECT_TRUE(MapParserName(kind, name, release, &out, &err)) << err;
  return out;
}

// Rename tables: vLLM names from vLLM 9aaf83ef's registries (vllm/tool_parsers/__init__.py,
// vllm/reasoning/__init__.py); SGLang names are the 8905cbd4 choices in data/reference/sglang-flags.json.
TEST(ParserNamesTest, ToolCallRenames) {
  EXPECT_EQ(Map(ParserKind::kToolCall, "hermes"), "hermes");
  EXPECT_EQ(Map(ParserKind::kToolCall, "llama3_json"), "llama3");
  EXPECT_EQ(Map(ParserKind::kToolCall, "llama4_pythonic"), "pythonic");
  EXPECT_EQ(Map(ParserKind::kToolCall, "deepseek_v31"), "deepseekv31");
  EXPECT_EQ(Map(ParserKind::kToolCall, "openai"), "gpt-oss");
  EXPECT_EQ(Map(ParserKind::kToolCall, "minimax_m2"), "minimax-m2");
  EXPECT_EQ(Map(ParserKind::kToolCall, "hunyuan_a13b"), "hunyuan");
  EXPECT_EQ(Map(ParserKind::kToolCall, "apertus"), "apertus2509");
  EXPECT_EQ(Map(ParserKind::kToolCall, "qwen3_xml"), "qwen3_coder");
  EXPECT_EQ(Map(ParserKind::kToolCall, "kimi_k2"), "kimi_k2");
  EXPECT_EQ(Map(ParserKind::kToolCall, "qwen25"), "qwen25");  // already an SGLang name
}

TEST(ParserNamesTest, ReasoningRenames) {
  EXPECT_EQ(Map(ParserKind::kReasoning, "deepseek_r1"), "deepseek-r1");
  EXPECT_EQ(Map(ParserKind::kReasoning, "deepseek_v3"), "deepseek-v3");
  EXPECT_EQ(Map(ParserKind::kReasoning, "openai_gptoss"), "gpt-oss");
  EXPECT_EQ(Map(ParserKind::kReasoning, "minimax_m2"), "minimax");
  EXPECT_EQ(Map(ParserKind::kReasoning, "minimax_m2_append_think"), "minimax-append-think");
  EXPECT_EQ(Map(ParserKind::kReasoning, "nemotron_v3"), "nemotron_3");
  EXPECT_EQ(Map(ParserKind::kReasoning, "qwen3"), "qwen3");
}

TEST(ParserNamesTest, NoEquivalentIsAnErrorListingSglangNames) {
  std::string out;
  std::string err;
  for (const char* name : {"granite", "jamba", "xlam", "phi4_mini_json", "seed_oss"}) {
    EXPECT_FALSE(MapParserName(ParserKind::kToolCall, name, NewestSglangRelease(), &out, &err)) << name;
    EXPECT_NE(err.find("argument --tool-call-parser"), std::string::npos);
    EXPECT_NE(err.find(name), std::string::npos);
    EXPECT_NE(err.find("hermes"), std::string::npos);
  }
  EXPECT_FALSE(MapParserName(ParserKind::kReasoning, "granite", NewestSglangRelease(), &out, &err));
  EXPECT_NE(err.find("deepseek-r1"), std::string::npos);
}

// Per-release choices: data/reference/sglang-flags-by-version.json (SGLang server_args.py at
// v0.5.2 b0d25e72, main@2026-03-01 d098c8da, main@2026-04-15 45a83ffb).
TEST(ParserNamesTest, OlderReleasesGetTheSpellingTheyHave) {
  EXPECT_EQ(Map(ParserKind::kToolCall, "hermes", Release("v0.5.2")), "qwen25");
  EXPECT_EQ(Map(ParserKind::kToolCall, "hermes", Release("main@2026-03-01")), "hermes");
  EXPECT_EQ(Map(ParserKind::kReasoning, "nemotron_v3", Release("main@2026-03-01")), "nano_v3");
  EXPECT_EQ(Map(ParserKind::kReasoning, "nemotron_v3", Release("main@2026-04-15")), "nemotron_3");
}

TEST(ParserNamesTest, AParserTheReleaseLacksIsAnErrorNamingTheRelease) {
  std::string out;
  std::string err;
  EXPECT_FALSE(MapParserName(ParserKind::kToolCall, "minimax_m2", Release("v0.5.4"), &out, &err));
  EXPECT_EQ(err.find('\n'), std::string::npos);
  EXPECT_NE(err.find("SGLang v0.5.4"), std::string::npos) << err;
  EXPECT_NE(err.find("qwen25"), std::string::npos) << err;
}

}  // namespace
}  // namespace shim
