#include "translate/parser_names.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

std::string Map(ParserKind kind, const std::string& name) {
  std::string out;
  std::string err;
  EXPECT_TRUE(MapParserName(kind, name, &out, &err)) << err;
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
    EXPECT_FALSE(MapParserName(ParserKind::kToolCall, name, &out, &err)) << name;
    EXPECT_NE(err.find("argument --tool-call-parser"), std::string::npos);
    EXPECT_NE(err.find(name), std::string::npos);
    EXPECT_NE(err.find("hermes"), std::string::npos);
  }
  EXPECT_FALSE(MapParserName(ParserKind::kReasoning, "granite", &out, &err));
  EXPECT_NE(err.find("deepseek-r1"), std::string::npos);
}

}  // namespace
}  // namespace shim
