#include "frontdoor/health_state.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(HealthStateTest, StartingNeedsHealthAndModels) {
  HealthState state(2, 3);
  EXPECT_FALSE(state.Ready());
  EXPECT_TRUE(state.NeedsModelsCheck());
  state.OnCheck(true, false);  // /health fine, /v1/models not yet
  EXPECT_FALSE(state.Ready());
  state.OnCheck(false, false);
  EXPECT_FALSE(state.Ready());
  state.OnCheck(true, true);
  EXPECT_TRUE(state.Ready());
  EXPECT_FALSE(state.NeedsModelsCheck());
}

TEST(HealthStateTest, FallAndRise) {
  HealthState state(2, 3);
  state.OnCheck(true, true);
  state.OnCheck(false, false);
  state.OnCheck(false, false);
  EXPECT_TRUE(state.Ready());  // two failures < fall
  state.OnCheck(true, false);  // a success resets the count
  state.OnCheck(false, false);
  state.OnCheck(false, false);
  EXPECT_TRUE(state.Ready());
  state.OnCheck(false, false);
  EXPECT_FALSE(state.Ready());
  EXPECT_EQ(state.phase(), HealthPhase::kUnhealthy);
  state.OnCheck(true, false);
  EXPECT_FALSE(state.Ready());
  state.OnCheck(false, false);  // breaks the streak
  state.OnCheck(true, false);
  EXPECT_FALSE(state.Ready());
  state.OnCheck(true, false);
  EXPECT_TRUE(state.Ready());
}

TEST(HealthStateTest, DrainingIsNeverReady) {
  HealthState state(1, 1);
  state.OnCheck(true, true);
  state.SetDraining();
  EXPECT_FALSE(state.Ready());
  state.OnCheck(true, true);
  EXPECT_FALSE(state.Ready());
}

}  // namespace
}  // namespace shim
