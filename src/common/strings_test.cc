#include "common/strings.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(ShellSplit, QuotesAndEscapes) {
  std::vector<std::string> words;
  std::string err;
  ASSERT_TRUE(ShellSplit(R"(--a 'b c' "d \"e\"" f\ g  --json='{"k": 1}')", &words, &err));
  EXPECT_EQ(words, (std::vector<std::string>{"--a", "b c", "d \"e\"", "f g", R"(--json={"k": 1})"}));
}

TEST(ShellSplit, EmptyQuotedWordIsKept) {
  std::vector<std::string> words;
  std::string err;
  ASSERT_TRUE(ShellSplit("a '' b", &words, &err));
  EXPECT_EQ(words, (std::vector<std::string>{"a", "", "b"}));
}

TEST(ShellSplit, RejectsUnterminatedQuote) {
  std::vector<std::string> words;
  std::string err;
  EXPECT_FALSE(ShellSplit("--a 'b", &words, &err));
  EXPECT_EQ(err, "unterminated single quote");
  EXPECT_FALSE(ShellSplit("--a \"b", &words, &err));
  EXPECT_FALSE(ShellSplit("--a b\\", &words, &err));
}

TEST(ShellQuote, RoundTrips) {
  std::vector<std::string> original{"python3", "-m", "x y", "it's", "", "{\"a\":1}", "--k=v"};
  std::vector<std::string> back;
  std::string err;
  ASSERT_TRUE(ShellSplit(ShellJoin(original), &back, &err));
  EXPECT_EQ(back, original);
  EXPECT_EQ(ShellQuote("--port=8001"), "--port=8001");
}

TEST(ParseInt, IsStrict) {
  EXPECT_EQ(ParseInt("8000"), 8000);
  EXPECT_EQ(ParseInt("-1"), -1);
  EXPECT_EQ(ParseInt("+3"), 3);
  EXPECT_FALSE(ParseInt(""));
  EXPECT_FALSE(ParseInt("80a"));
  EXPECT_FALSE(ParseInt("1.5"));
  EXPECT_FALSE(ParseInt("99999999999999999999999"));
  EXPECT_FALSE(ParseInt("+"));
}

TEST(ParseDouble, IsStrict) {
  EXPECT_DOUBLE_EQ(*ParseDouble("0.9"), 0.9);
  EXPECT_FALSE(ParseDouble("0.9x"));
  EXPECT_FALSE(ParseDouble(""));
  EXPECT_FALSE(ParseDouble("1e999"));
}

TEST(ParseBool, AcceptsUsualSpellings) {
  EXPECT_EQ(ParseBool("1"), true);
  EXPECT_EQ(ParseBool("TRUE"), true);
  EXPECT_EQ(ParseBool("off"), false);
  EXPECT_EQ(ParseBool(""), false);
  EXPECT_FALSE(ParseBool("maybe"));
}

TEST(Split, KeepsEmptyParts) {
  EXPECT_EQ(SplitString("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(SplitString("", ','), (std::vector<std::string>{""}));
}

TEST(EqualsIgnoreCase, FoldsOnlyAsciiLetters) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Length", "content-LENGTH"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_FALSE(EqualsIgnoreCase("host", "hosu"));
  // Pairs that differ only in bit 0x20 but are not letters must stay different.
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));
  EXPECT_FALSE(EqualsIgnoreCase("[", "{"));
  EXPECT_FALSE(EqualsIgnoreCase("a\r", "a-"));
  EXPECT_FALSE(EqualsIgnoreCase("\xC9", "\xE9"));
}

}  // namespace
}  // namespace shim
