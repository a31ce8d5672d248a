#include "common/task_failure.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(TaskFailure, DescribesWhatEscaped) {
  EXPECT_EQ(DescribeException(std::make_exception_ptr(std::runtime_error("boom"))), "boom");
  EXPECT_EQ(DescribeException(std::make_exception_ptr(42)), "an exception that is not a std::exception");
}

TEST(TaskFailure, LoggingHandlerRunsItsFollowUpOnlyOnFailure) {
  int runs = 0;
  LogTaskFailure handler("test task", [&] { ++runs; });
  handler(nullptr);
  EXPECT_EQ(runs, 0);
  handler(std::make_exception_ptr(std::runtime_error("boom")));
  EXPECT_EQ(runs, 1);
}

TEST(TaskFailureDeathTest, EndingHandlerStopsTheProcessLoudly) {
  EndProcessOnTaskFailure handler("accept loop");
  handler(nullptr);  // success: nothing happens
  EXPECT_DEATH(handler(std::make_exception_ptr(std::runtime_error("boom"))), "accept loop failed: boom");
}

}  // namespace
}  // namespace shim
