#include "cli/json_arg.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

using nlohmann::json;

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonArgTest, NestingDepthIgnoresBracketsInStrings) {
  EXPECT_EQ(JsonNestingDepth("1"), 0u);
  EXPECT_EQ(JsonNestingDepth(R"({"a": [1, {"b": []}]})"), 4u);
  EXPECT_EQ(JsonNestingDepth(R"(["[[[", "\"[[", {}])"), 2u);
  EXPECT_EQ(JsonNestingDepth(Nested(600)), 600u);
  EXPECT_EQ(JsonNestingDepth("]]]["), 1u);
}

TEST(JsonArgTest, ValidUtf8ReplacesOnlyInvalidSequences) {
  EXPECT_EQ(ValidUtf8("plain ascii"), "plain ascii");
  const std::string valid = "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // é € 😀
  EXPECT_EQ(ValidUtf8(valid), valid);
  EXPECT_EQ(ValidUtf8("\xAF"), kReplacement);                                        // stray continuation byte
  EXPECT_EQ(ValidUtf8("a\xC3"), "a" + kReplacement);                                 // truncated
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), kReplacement + kReplacement);                     // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);  // surrogate
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80").substr(0, 3), kReplacement);               // above U+10FFFF
}

TEST(JsonArgTest, ParseReadsBytesThatAreNotUtf8AsReplacementCharacters) {
  json parsed = ParseJsonArg("{\"a\": \"x\xAFy\"}");
  ASSERT_TRUE(parsed.is_object());
  EXPECT_EQ(parsed["a"], "x" + kReplacement + "y");
  EXPECT_TRUE(ParseJsonArg("{oops").is_discarded());
  EXPECT_EQ(ParseJsonArg("[1, 2]"), json::parse("[1, 2]"));
}

TEST(JsonArgTest, ParseRefusesDocumentsNestedTooDeep) {
  bool too_deep = false;
  EXPECT_FALSE(ParseJsonArg(Nested(kMaxJsonDepth), &too_deep).is_discarded());
  EXPECT_FALSE(too_deep);
  EXPECT_TRUE(ParseJsonArg(Nested(kMaxJsonDepth + 1), &too_deep).is_discarded());
  EXPECT_TRUE(too_deep);
  EXPECT_TRUE(ParseJsonArg(std::string(100000, '[')).is_discarded());  // no flag asked for: just discarded
}

// nlohmann's plain dump() throws type_error.316 on such strings.
TEST(JsonArgTest, DumpNeverThrowsOnBytesThatAreNotUtf8) {
  json value = {{"k\xAF", json::array({"\xAF", "ok"})}};
  EXPECT_THROW((void)value.dump(), json::type_error);
  EXPECT_EQ(DumpJsonArg(value), "{\"k" + kReplacement + "\":[\"" + kReplacement + "\",\"ok\"]}");
}

}  // namespace
}  // namespace shim
