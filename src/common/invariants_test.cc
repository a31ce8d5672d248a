#include "common/invariants.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

bool Checked(int n) { return SHIM_BUG(n > 0, "n must be positive"); }

TEST(Invariants, BugCheckPassesTrueConditionsWithoutCounting) {
  uint64_t before = BugCount();
  EXPECT_TRUE(Checked(1));
  EXPECT_EQ(BugCount(), before);
  SHIM_ASSERT(1 + 1 == 2);
}

#ifdef NDEBUG
TEST(Invariants, ReleaseBuildsCountAndCarryOn) {
  uint64_t before = BugCount();
  EXPECT_FALSE(Checked(0));
  EXPECT_FALSE(Checked(-1));
  EXPECT_EQ(BugCount(), before + 2);
}
#else
TEST(InvariantsDeathTest, DebugBuildsAbortOnABugAndOnAnAssertion) {
  EXPECT_DEATH(Checked(0), "bug in the shim at .*n must be positive");
  EXPECT_DEATH(SHIM_ASSERT(1 + 1 == 3), "assertion failed at .*1 \\+ 1 == 3");
}
#endif

}  // namespace
}  // namespace shim
