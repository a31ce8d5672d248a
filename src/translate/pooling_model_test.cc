// Whether the translated model is a pooling one: the front door serves vLLM's routes for
// that task only.
#include <gtest/gtest.h>

#include "translate/translator.h"
#include "translate/translator_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

// vLLM serves the pooling routes instead of the generation ones for a pooling model
// (vLLM @9aaf83ef vllm/entrypoints/openai/api_server.py registers routes by supported task).
TEST(PoolingModelTest, KnownToTheFrontDoor) {
  EXPECT_FALSE(MustTranslate({"m"}).frontend.pooling);
  EXPECT_FALSE(MustTranslate({"m", "--runner", "generate"}).frontend.pooling);
  EXPECT_FALSE(MustTranslate({"m", "--convert", "none"}).frontend.pooling);
  EXPECT_FALSE(MustTranslate({"m", "--task", "generate"}).frontend.pooling);
  EXPECT_TRUE(MustTranslate({"m", "--runner", "pooling"}).frontend.pooling);
  EXPECT_TRUE(MustTranslate({"m", "--convert", "embed"}).frontend.pooling);
  EXPECT_TRUE(MustTranslate({"m", "--convert", "classify"}).frontend.pooling);
  EXPECT_TRUE(MustTranslate({"m", "--task", "score"}).frontend.pooling);
  Settings settings;
  settings.extra_args = {"--is-embedding"};
  EXPECT_TRUE(MustTranslate({"m"}, settings).frontend.pooling);
}

// The task decides how score and rerank are computed (cosine of embeddings, or a
// cross-encoder) and which of /v1/embeddings and /classify exist (vLLM @9aaf83ef
// vllm/entrypoints/pooling/factories.py registers them by model_config.get_pooling_task).
TEST(PoolingModelTest, TaskWhenTheFlagsNameIt) {
  EXPECT_EQ(MustTranslate({"m", "--convert", "embed"}).frontend.pooling_task, "embed");
  EXPECT_EQ(MustTranslate({"m", "--task", "embedding"}).frontend.pooling_task, "embed");
  EXPECT_EQ(MustTranslate({"m", "--convert", "classify"}).frontend.pooling_task, "classify");
  EXPECT_EQ(MustTranslate({"m", "--task", "score"}).frontend.pooling_task, "classify");
  // The runner alone leaves the choice to the architecture.
  EXPECT_EQ(MustTranslate({"m", "--runner", "pooling"}).frontend.pooling_task, "");
  EXPECT_EQ(MustTranslate({"m", "--task", "reward"}).frontend.pooling_task, "");
  EXPECT_EQ(MustTranslate({"m"}).frontend.pooling_task, "");
}

}  // namespace
}  // namespace shim
