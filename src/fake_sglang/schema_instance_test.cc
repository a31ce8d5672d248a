#include "fake_sglang/schema_instance.h"

#include <gtest/gtest.h>

namespace shim::fake_sglang {
namespace {

using nlohmann::json;

TEST(SchemaInstanceTest, ObjectWithEveryType) {
  json schema = json::parse(R"({"type":"object","properties":{
      "name":{"type":"string"},"age":{"type":"integer","minimum":18},"score":{"type":"number","maximum":1},
      "ok":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string"},"minItems":2},
      "color":{"enum":["red","green"]},"nested":{"type":"object","properties":{"x":{"type":["null","integer"]}}},
      "nothing":{"type":"null"}},"required":["name","extra"]})");
  json want = json::parse(R"({"name":"sample","age":18,"score":1.0,"ok":true,"tags":["sample","sample"],
      "color":"red","nested":{"x":1},"nothing":null,"extra":"sample"})");
  EXPECT_EQ(SchemaInstance(schema), want);
}

TEST(SchemaInstanceTest, BoundsFormatsAndCombinators) {
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"integer","exclusiveMinimum":5})")), 6);
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"integer","maximum":-3})")), -3);
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"string","minLength":8})")), "samplexx");
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"string","maxLength":3})")), "sam");
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"string","format":"date"})")), "2024-01-01");
  EXPECT_EQ(SchemaInstance(json::parse(R"({"anyOf":[{"type":"boolean"},{"type":"string"}]})")), true);
  EXPECT_EQ(SchemaInstance(json::parse(R"({"const":{"a":1}})")), json::parse(R"({"a":1})"));
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"array","maxItems":0})")), json::array());
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":"object"})")), json::object());
}

TEST(SchemaInstanceTest, BadSchemasNeverThrow) {
  EXPECT_EQ(SchemaInstance(json("x")), "sample");
  EXPECT_EQ(SchemaInstance(json::parse(R"({"type":7,"enum":[]})")), "sample");
  json deep = json::object();
  for (int i = 0; i < 100; ++i) deep = json{{"type", "array"}, {"items", deep}};
  EXPECT_NO_THROW(SchemaInstance(deep).dump());
}

TEST(SchemaInstanceTest, SplitKeepsTextAndCount) {
  auto pieces = SplitIntoPieces("{\"a\":1}", 3);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0] + pieces[1] + pieces[2], "{\"a\":1}");
  for (const auto& p : pieces) EXPECT_FALSE(p.empty());
  auto padded = SplitIntoPieces("{}", 4);
  ASSERT_EQ(padded.size(), 4u);
  EXPECT_EQ(padded[0] + padded[1] + padded[2] + padded[3], "{}  ");
}

TEST(SchemaInstanceTest, ShapeAsJsonKeepsReasoningAndTokenCount) {
  Generation g;
  g.tokens = {"think", " more", " a", " b", " c", " d"};
  ShapeAsJson(&g, 3, json::parse(R"({"type":"object","properties":{"n":{"type":"integer"}}})"));
  ASSERT_EQ(g.tokens.size(), 6u);
  EXPECT_EQ(g.tokens[0] + g.tokens[1] + g.tokens[2], "think more a");
  EXPECT_EQ(json::parse(g.tokens[3] + g.tokens[4] + g.tokens[5]), json::parse(R"({"n":1})"));
}

}  // namespace
}  // namespace shim::fake_sglang
