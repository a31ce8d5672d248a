#include "supervise/engine_environment.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace shim {
namespace {

namespace fs = std::filesystem;

class ShadowDir : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("shim-env-test-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "shadow" / "vllm");
    std::ofstream(root_ / "shadow" / kShadowPackageMarker) << "# marker\n";
    fs::create_directories(root_ / "other");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(ShadowDir, DropsOnlyTheShadowPackageEntry) {
  std::string shadow = (root_ / "shadow").string();
  std::string other = (root_ / "other").string();
  EXPECT_EQ(PythonPathWithoutShadowPackage(shadow + ":" + other + "::/usr/lib/x"), other + ":/usr/lib/x");
  EXPECT_EQ(PythonPathWithoutShadowPackage(shadow), "");
}

TEST_F(ShadowDir, EngineEnvironmentCleansPythonPathAndSetsMetricsDir) {
  std::string shadow = (root_ / "shadow").string();
  auto env = BuildEngineEnvironment(
      {"PATH=/bin", "PYTHONPATH=" + shadow, "PROMETHEUS_MULTIPROC_DIR=/tmp", "HF_TOKEN=x"}, "/tmp/private");
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/bin", "HF_TOKEN=x", "PROMETHEUS_MULTIPROC_DIR=/tmp/private"}));
}

TEST(MetricsDir, IsCreatedPrivateAndRemoved) {
  std::string path, err;
  ASSERT_TRUE(MakePrivateMetricsDir(&path, &err)) << err;
  EXPECT_TRUE(fs::is_directory(path));
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::others_all, fs::perms::none);
  std::ofstream(path + "/counter_1.db") << "x";
  RemoveMetricsDir(path);
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace shim
