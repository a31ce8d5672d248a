#include "rewrite/json_scanner.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

JsonObjectScan ScanOk(std::string_view text) {
  JsonObjectScan scan;
  std::string err;
  EXPECT_TRUE(ScanTopLevelObject(text, &scan, &err)) << text << ": " << err;
  return scan;
}

bool ScanFails(std::string_view text) {
  JsonObjectScan scan;
  std::string err;
  bool ok = ScanTopLevelObject(text, &scan, &err);
  if (!ok) {
    EXPECT_FALSE(err.empty());
  }
  return !ok;
}

TEST(JsonScanner, RecordsMemberSpansAndKinds) {
  std::string_view text = R"( { "a" : 1 , "b":"x\"y", "c":[1,{"d":null}], "e":{}, "f":true,
    "g":false, "h":null } )";
  JsonObjectScan scan = ScanOk(text);
  ASSERT_EQ(scan.members.size(), 7u);
  EXPECT_EQ(scan.members[0].key, "a");
  EXPECT_EQ(scan.members[0].Value(text), "1");
  EXPECT_EQ(scan.members[0].kind, JsonKind::kNumber);
  EXPECT_EQ(scan.members[1].Value(text), R"("x\"y")");
  EXPECT_EQ(scan.members[1].kind, JsonKind::kString);
  EXPECT_EQ(scan.members[2].Value(text), R"([1,{"d":null}])");
  EXPECT_EQ(scan.members[2].kind, JsonKind::kArray);
  EXPECT_EQ(scan.members[2].depth, 2u);
  EXPECT_EQ(scan.members[3].kind, JsonKind::kObject);
  EXPECT_EQ(scan.members[4].kind, JsonKind::kTrue);
  EXPECT_EQ(scan.members[5].kind, JsonKind::kFalse);
  EXPECT_EQ(scan.members[6].kind, JsonKind::kNull);
  EXPECT_EQ(text[scan.open], '{');
  EXPECT_EQ(text[scan.close], '}');
  EXPECT_EQ(text[scan.members[0].key_begin], '"');
}

TEST(JsonScanner, DecodesEscapedKeys) {
  // "\u006cogprobs" is "logprobs": the rewriter must see through escapes.
  JsonObjectScan scan = ScanOk(R"({"\u006cogprobs":true,"a\/b":1,"\ud83d\ude00":2})");
  EXPECT_EQ(scan.members[0].key, "logprobs");
  EXPECT_EQ(scan.members[1].key, "a/b");
  EXPECT_EQ(scan.members[2].key, "\xF0\x9F\x98\x80");
}

TEST(JsonScanner, KeepsDuplicateKeys) {
  JsonObjectScan scan = ScanOk(R"({"a":1,"a":2})");
  ASSERT_EQ(scan.members.size(), 2u);
  EXPECT_EQ(scan.members[1].key, "a");
}

TEST(JsonScanner, EmptyObject) {
  JsonObjectScan scan = ScanOk(" {\n} ");
  EXPECT_TRUE(scan.members.empty());
}

TEST(JsonScanner, AcceptsWhatPythonJsonAccepts) {
  // Python's json.loads (which SGLang/FastAPI use) accepts these literals.
  ScanOk(R"({"a":NaN,"b":Infinity,"c":-Infinity,"d":-0.5e+10,"e":"\ud800"})");
  ScanOk("{\"a\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}");
}

TEST(JsonScanner, RejectsInvalidDocuments) {
  EXPECT_TRUE(ScanFails(""));
  EXPECT_TRUE(ScanFails("[1,2]"));
  EXPECT_TRUE(ScanFails("\"x\""));
  EXPECT_TRUE(ScanFails("{"));
  EXPECT_TRUE(ScanFails("{\"a\"}"));
  EXPECT_TRUE(ScanFails("{\"a\":}"));
  EXPECT_TRUE(ScanFails("{\"a\":1,}"));
  EXPECT_TRUE(ScanFails("{\"a\":1} x"));
  EXPECT_TRUE(ScanFails("{\"a\":1}{}"));
  EXPECT_TRUE(ScanFails("{a:1}"));
  EXPECT_TRUE(ScanFails("{'a':1}"));
  EXPECT_TRUE(ScanFails("{\"a\":01}"));
  EXPECT_TRUE(ScanFails("{\"a\":1.}"));
  EXPECT_TRUE(ScanFails("{\"a\":.5}"));
  EXPECT_TRUE(ScanFails("{\"a\":+1}"));
  EXPECT_TRUE(ScanFails("{\"a\":tru}"));
  EXPECT_TRUE(ScanFails("{\"a\":[1,]}"));
  EXPECT_TRUE(ScanFails("{\"a\":[1 2]}"));
  EXPECT_TRUE(ScanFails("{\"a\":{\"b\" 1}}"));
  EXPECT_TRUE(ScanFails("{\"a\":\"\\x\"}"));
  EXPECT_TRUE(ScanFails("{\"a\":\"\\u12G4\"}"));
  EXPECT_TRUE(ScanFails("{\"a\":\"tab\there\"}"));  // raw control character
  EXPECT_TRUE(ScanFails("{\"a\":\"unterminated}"));
  EXPECT_TRUE(ScanFails("\xEF\xBB\xBF{}"));  // BOM
}

TEST(JsonScanner, RejectsInvalidUtf8) {
  EXPECT_TRUE(ScanFails("{\"a\":\"\xFF\"}"));
  EXPECT_TRUE(ScanFails("{\"a\":\"\xC0\xAF\"}"));          // overlong '/'
  EXPECT_TRUE(ScanFails("{\"a\":\"\xED\xA0\x80\"}"));      // encoded surrogate
  EXPECT_TRUE(ScanFails("{\"a\":\"\xF4\x90\x80\x80\"}"));  // above U+10FFFF
  EXPECT_TRUE(ScanFails("{\"a\":\"\xE2\x82\"}"));          // truncated
}

TEST(JsonScanner, FastPathHandlesLongStringsAndBoundaries) {
  // Long ASCII strings take the 8-byte path; put specials at every offset.
  for (size_t n = 0; n < 40; ++n) {
    std::string s(n, 'x');
    ScanOk("{\"k\":\"" + s + "\"}");
    ScanOk("{\"k\":\"" + s + "\\n" + s + "\"}");
    ScanOk("{\"k\":\"" + s + "\xC3\xA9" + s + "\"}");
    EXPECT_TRUE(ScanFails("{\"k\":\"" + s + "\x01" + s + "\"}"));
    EXPECT_TRUE(ScanFails("{\"k\":\"" + s));
  }
}

TEST(JsonScanner, BoundsNestingWithoutRecursion) {
  std::string deep_ok = "{\"a\":" + std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']') + "}";
  ScanOk(deep_ok);
  std::string too_deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_TRUE(ScanFails(too_deep));
}

TEST(JsonScanner, ValidateJsonAnyRoot) {
  size_t depth = 0;
  std::string err;
  EXPECT_TRUE(ValidateJson(" [1, {\"a\": [2]}] ", &depth, &err));
  EXPECT_EQ(depth, 3u);
  EXPECT_TRUE(ValidateJson("\"x\"", &depth, &err));
  EXPECT_EQ(depth, 0u);
  EXPECT_FALSE(ValidateJson("1 2", &depth, &err));
  EXPECT_FALSE(ValidateJson("", &depth, &err));
}

TEST(JsonScanner, ParseJsonValueNeverThrows) {
  nlohmann::json value;
  EXPECT_TRUE(ParseJsonValue("{\"a\":[1,2]}", 8, &value));
  EXPECT_EQ(value["a"][1], 2);
  EXPECT_FALSE(ParseJsonValue("[[[1]]]", 2, &value));  // too deep
  EXPECT_FALSE(ParseJsonValue("NaN", 8, &value));      // nlohmann cannot hold it
  EXPECT_FALSE(ParseJsonValue("{", 8, &value));
  EXPECT_FALSE(ParseJsonValue("\"\\ud800\"", 8, &value));  // lone surrogate
}

TEST(JsonScanner, DumpJsonReplacesInvalidUtf8) {
  nlohmann::json s = std::string("a\xFF");
  EXPECT_NO_THROW(DumpJson(s));
}

}  // namespace
}  // namespace shim
