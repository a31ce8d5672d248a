#include "rewrite/json_splice.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

struct Fixture {
  explicit Fixture(std::string_view t) : text(t) {
    std::string err;
    EXPECT_TRUE(ScanTopLevelObject(text, &scan, &err)) << err;
  }
  std::string text;
  JsonObjectScan scan;
};

TEST(ObjectSplicer, NoEditsRebuildsTheSameBytes) {
  Fixture f(" { \"a\" : 1 ,\n \"b\":[2] } ");
  ObjectSplicer s(f.text, f.scan);
  EXPECT_FALSE(s.HasEdits());
  EXPECT_EQ(s.Build(), f.text);
}

TEST(ObjectSplicer, RemovesFirstMiddleAndLast) {
  Fixture f(R"({"a":1, "b":2, "c":3})");
  {
    ObjectSplicer s(f.text, f.scan);
    s.Remove(0);
    EXPECT_EQ(s.Build(), R"({"b":2, "c":3})");
  }
  {
    ObjectSplicer s(f.text, f.scan);
    s.Remove(1);
    EXPECT_EQ(s.Build(), R"({"a":1, "c":3})");
  }
  {
    ObjectSplicer s(f.text, f.scan);
    s.Remove(2);
    EXPECT_EQ(s.Build(), R"({"a":1, "b":2})");
  }
  {
    ObjectSplicer s(f.text, f.scan);
    s.Remove(0);
    s.Remove(1);
    s.Remove(2);
    EXPECT_EQ(s.Build(), R"({})");
  }
}

TEST(ObjectSplicer, ReplacesAndAppends) {
  Fixture f(R"({"a":1,"b":"keep  me"})");
  ObjectSplicer s(f.text, f.scan);
  s.Replace(0, JsonMemberText("z", "true"));
  s.Append(JsonMemberText("n\"ew", "[1]"));
  EXPECT_EQ(s.Build(), R"({"z":true,"b":"keep  me","n\"ew":[1]})");
}

TEST(ObjectSplicer, AppendsToEmptyObject) {
  Fixture f("{ }");
  ObjectSplicer s(f.text, f.scan);
  s.Append(JsonMemberText("a", "1"));
  s.Append(JsonMemberText("b", "2"));
  EXPECT_EQ(s.Build(), R"({ "a":1,"b":2})");
}

TEST(ObjectSplicer, AppendAfterRemovingEverything) {
  Fixture f(R"({"a":1})");
  ObjectSplicer s(f.text, f.scan);
  s.Remove(0);
  s.Append(JsonMemberText("b", "2"));
  EXPECT_EQ(s.Build(), R"({"b":2})");
}

void ExpectSameScan(const JsonObjectScan& got, const JsonObjectScan& want) {
  EXPECT_EQ(got.open, want.open);
  EXPECT_EQ(got.close, want.close);
  ASSERT_EQ(got.members.size(), want.members.size());
  for (size_t i = 0; i < got.members.size(); ++i) {
    EXPECT_EQ(got.members[i].key, want.members[i].key) << i;
    EXPECT_EQ(got.members[i].key_begin, want.members[i].key_begin) << i;
    EXPECT_EQ(got.members[i].value_begin, want.members[i].value_begin) << i;
    EXPECT_EQ(got.members[i].value_end, want.members[i].value_end) << i;
    EXPECT_EQ(got.members[i].kind, want.members[i].kind) << i;
    EXPECT_EQ(got.members[i].depth, want.members[i].depth) << i;
  }
}

TEST(ObjectSplicer, RebasedScanMatchesAFreshScanForEveryRemovalSet) {
  // Odd spacing on purpose: separators are carried over from the original.
  Fixture f(
      " {\"model\" : \"m\",\n  \"logprobs\":false , \"messages\":[{\"role\":\"user\"}],\"n\":null,"
      "\"top_logprobs\"  :  3 }\n");
  const size_t n = f.scan.members.size();
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    ObjectSplicer s(f.text, f.scan);
    for (size_t i = 0; i < n; ++i) {
      if (mask & (1u << i)) s.Remove(i);
    }
    std::string built = s.Build();
    JsonObjectScan fresh;
    std::string err;
    ASSERT_TRUE(ScanTopLevelObject(built, &fresh, &err)) << built << ": " << err;
    JsonObjectScan rebased = f.scan;
    ASSERT_TRUE(s.RebaseScan(&rebased));
    SCOPED_TRACE(built);
    ExpectSameScan(rebased, fresh);
  }
}

TEST(ObjectSplicer, ReplacedOrAppendedMembersCannotBeRebased) {
  Fixture f(R"({"a":1,"b":2})");
  {
    ObjectSplicer s(f.text, f.scan);
    s.Replace(0, R"("a":[1])");
    JsonObjectScan scan = f.scan;
    EXPECT_FALSE(s.RebaseScan(&scan));
    EXPECT_EQ(scan.members.size(), 2u);  // left alone
  }
  {
    ObjectSplicer s(f.text, f.scan);
    s.Append(R"("c":3)");
    JsonObjectScan scan = f.scan;
    EXPECT_FALSE(s.RebaseScan(&scan));
  }
}

}  // namespace
}  // namespace shim
