#include "responses/responses_store.h"

#include <gtest/gtest.h>

namespace shim::responses {
namespace {

TEST(ResponsesStoreTest, KeepsTheNewestWithinEntriesAndBytes) {
  ResponsesStore store(2, 1000);
  store.Put("a", "{\"id\":\"a\"}", nlohmann::json::array());
  store.Put("b", "{\"id\":\"b\"}", nlohmann::json::array());
  store.Put("c", "{\"id\":\"c\"}", nlohmann::json::array());
  EXPECT_EQ(store.Response("a"), nullptr);
  ASSERT_NE(store.Response("c"), nullptr);
  EXPECT_EQ(*store.Response("c"), "{\"id\":\"c\"}");
  EXPECT_EQ(store.size(), 2u);
  store.Put("huge", std::string(2000, 'x'), nlohmann::json::array());  // over the byte bound: not kept
  EXPECT_EQ(store.Response("huge"), nullptr);
  EXPECT_NE(store.Response("b"), nullptr);
  ResponsesStore bytes(10, 100);
  bytes.Put("x", std::string(60, 'x'), nlohmann::json::array());
  bytes.Put("y", std::string(60, 'y'), nlohmann::json::array());  // pushes x out
  EXPECT_EQ(bytes.Response("x"), nullptr);
  EXPECT_NE(bytes.Response("y"), nullptr);
  bytes.Put("y", "{}", nlohmann::json::array({1}));  // replaced, not duplicated
  EXPECT_EQ(*bytes.Response("y"), "{}");
  EXPECT_EQ(bytes.Messages("y")->size(), 1u);
  EXPECT_EQ(bytes.size(), 1u);
}

}  // namespace
}  // namespace shim::responses
