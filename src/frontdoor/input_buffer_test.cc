#include "frontdoor/input_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace shim {
namespace {

void Append(InputBuffer* buffer, const std::string& text) {
  std::memcpy(buffer->Prepare(text.size()), text.data(), text.size());
  buffer->Commit(text.size());
}

TEST(InputBufferTest, ConsumingDuringAPendingReadKeepsItsSpace) {
  InputBuffer buffer;
  Append(&buffer, "GET / HTTP/1.1\r\n\r\n");
  // The reader prepares space and its read is still in flight...
  char* pending = buffer.Prepare(8);
  // ...while the request path consumes everything it had.
  buffer.Consume(buffer.size());
  EXPECT_EQ(buffer.size(), 0u);
  std::memcpy(pending, "POST /x ", 8);
  buffer.Commit(8);
  EXPECT_EQ(buffer.data(), "POST /x ");
}

TEST(InputBufferTest, CompactsAndGrowsOnlyInPrepare) {
  InputBuffer buffer;
  Append(&buffer, std::string(10, 'a'));
  buffer.Consume(6);
  Append(&buffer, std::string(100, 'b'));
  EXPECT_EQ(buffer.data(), std::string(4, 'a') + std::string(100, 'b'));
  buffer.Consume(1000);
  EXPECT_EQ(buffer.size(), 0u);
  Append(&buffer, "z");
  EXPECT_EQ(buffer.data(), "z");
}

}  // namespace
}  // namespace shim
