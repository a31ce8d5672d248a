#include "loadgen/sse_events.h"

#include <gtest/gtest.h>

#include <vector>

namespace shim::loadgen {
namespace {

std::vector<std::string> FeedAll(SseEventReader& reader, const std::vector<std::string>& pieces) {
  std::vector<std::string> events;
  for (const auto& p : pieces) reader.Feed(p, [&](std::string_view d) { events.emplace_back(d); });
  return events;
}

TEST(SseEventReader, SplitsEventsAcrossArbitraryReads) {
  SseEventReader reader;
  auto events = FeedAll(reader, {"data: {\"a\"", ":1}\n", "\ndata: [DO", "NE]\n\n"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0], "{\"a\":1}");
  EXPECT_EQ(events[1], "[DONE]");
}

TEST(SseEventReader, HandlesCrLfCommentsAndMultiLineData) {
  SseEventReader reader;
  auto events = FeedAll(reader, {": keep-alive\r\n\r\nevent: x\r\ndata:one\r\ndata: two\r\n\r\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], "one\ntwo");
}

TEST(SseEventReader, IncompleteEventIsNotDelivered) {
  SseEventReader reader;
  EXPECT_TRUE(FeedAll(reader, {"data: {}\n"}).empty());
}

TEST(SseEventReader, OversizedEventIsDroppedAndCounted) {
  SseEventReader reader(16);
  auto events = FeedAll(reader, {"data: " + std::string(40, 'x'), "yyy\n\n", "data: ok\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], "ok");
  EXPECT_EQ(reader.oversized_events(), 1u);
}

TEST(FindFakeSentNs, ReadsTheTopLevelStamp) {
  EXPECT_EQ(FindFakeSentNs(R"({"id":"x","fake_sent_ns":123456789012,"choices":[]})"), 123456789012);
  EXPECT_EQ(FindFakeSentNs(R"({"fake_sent_ns" : 42})"), 42);
  EXPECT_FALSE(FindFakeSentNs(R"({"choices":[]})").has_value());
  EXPECT_FALSE(FindFakeSentNs(R"({"fake_sent_ns":"x"})").has_value());
}

TEST(CarriesText, DistinguishesTokensFromRoleAndUsageChunks) {
  EXPECT_TRUE(CarriesText(R"({"choices":[{"delta":{"content":" word"}}]})"));
  EXPECT_TRUE(CarriesText(R"({"choices":[{"text": "w"}]})"));
  EXPECT_FALSE(CarriesText(R"({"choices":[{"delta":{"role":"assistant","content":""}}]})"));
  EXPECT_FALSE(CarriesText(R"({"choices":[{"delta":{"content":null}}]})"));
  EXPECT_FALSE(CarriesText(R"({"choices":[],"usage":{"completion_tokens":3}})"));
  // The key name inside a string value is not a field.
  EXPECT_TRUE(CarriesText(R"({"x":"\"content\"","choices":[{"delta":{"content":"a"}}]})"));
}

}  // namespace
}  // namespace shim::loadgen
