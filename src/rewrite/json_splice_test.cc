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

}  // namespace
}  // namespace shim
