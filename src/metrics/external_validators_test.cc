// The rendered /metrics body checked by the two readers that matter:
// `promtool check metrics` (Debian package prometheus) and prometheus_client's
// parser as the production-stack router uses it (python3-prometheus-client).
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "common/strings.h"
#include "metrics/metrics_render.h"

namespace shim::metrics {
namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";
constexpr const char* kPython = "/usr/bin/python3";

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(SHIM_SOURCE_DIR) + "/src/metrics/testdata/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A temporary file that removes itself.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/shim_metrics_XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    path_ = name;
    if (fd >= 0) {
      EXPECT_EQ(write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
      close(fd);
    }
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

bool Executable(const char* path) { return access(path, X_OK) == 0; }

std::string RenderFixture(const char* fixture) {
  std::string problems;
  ScrapeSnapshot snapshot =
      BuildScrapeSnapshot(ReadTestData(fixture), std::nullopt, std::chrono::steady_clock::now(), &problems);
  FrontDoorCounters counters;
  counters.requests_in_flight = 1;
  counters.requests = {{"/v1/chat/completions", 200, 7}, {"/health", 503, 2}};
  counters.health_check_latency_seconds = 0.002;
  std::vector<ExtraGauge> extras = {
      {"vllm:engine_sleep_state", "Engine sleep state.", {{{{"sleep_state", "awake"}}, 1}}}};
  return RenderMetrics(snapshot, counters, {"qwen-7b", "0"}, extras);
}

// promtool exits 0 when clean, 3 on lint problems, 1 on a parse error. vLLM's
// names contain ':' (which its linter discourages, vLLM itself fails the same
// lint); any other problem fails the test.
void ExpectPromtoolClean(const std::string& text) {
  if (!Executable(kPromtool)) GTEST_SKIP() << kPromtool << " not installed (Debian package prometheus)";
  TempFile file(text);
  CommandResult result = RunCommand(std::string(kPromtool) + " check metrics < " + file.path());
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 3) << result.output;
  for (const std::string& line : SplitString(result.output, '\n')) {
    if (TrimSpaces(line).empty()) continue;
    EXPECT_TRUE(EndsWith(line, "metric names should not contain ':'")) << line;
    EXPECT_TRUE(StartsWith(line, "vllm:")) << line;
  }
}

TEST(ExternalValidatorsTest, PromtoolAcceptsTheTp2Rendering) { ExpectPromtoolClean(RenderFixture("sglang_tp2.txt")); }

TEST(ExternalValidatorsTest, PromtoolAcceptsTheDp2Rendering) { ExpectPromtoolClean(RenderFixture("sglang_dp2.txt")); }

TEST(ExternalValidatorsTest, PromtoolAcceptsTheFallbackRendering) {
  ExpectPromtoolClean(RenderMetrics({}, {}, {"m", "0"}, {}));
}

TEST(ExternalValidatorsTest, PromtoolNoticesBrokenText) {
  if (!Executable(kPromtool)) GTEST_SKIP() << kPromtool << " not installed";
  TempFile file("bad{ 1\n");
  EXPECT_EQ(RunCommand(std::string(kPromtool) + " check metrics < " + file.path()).exit_code, 1);
}

TEST(ExternalValidatorsTest, RouterParserReadsAllSixNames) {
  if (!Executable(kPython) || RunCommand(std::string(kPython) + " -c 'import prometheus_client'").exit_code != 0) {
    GTEST_SKIP() << "python3-prometheus-client not installed";
  }
  const std::string script = std::string(SHIM_SOURCE_DIR) + "/src/metrics/testdata/router_scrape.py";
  TempFile file(RenderFixture("sglang_tp2.txt"));
  CommandResult result = RunCommand(std::string(kPython) + " " + script + " " + file.path());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("vllm:num_requests_running 3.0\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("vllm:num_requests_waiting 2.0\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("vllm:gpu_prefix_cache_hit_rate 0.25\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("vllm:gpu_prefix_cache_hits_total 1000.0\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("vllm:gpu_prefix_cache_queries_total 4000.0\n"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("vllm:gpu_cache_usage_perc 0.25\n"), std::string::npos) << result.output;

  // And the script is a real check: broken text or a missing name fails it.
  TempFile broken("vllm:num_requests_running{model_name=\"x} 1\n");
  EXPECT_EQ(RunCommand(std::string(kPython) + " " + script + " " + broken.path()).exit_code, 1);
  TempFile fallback(RenderMetrics({}, {}, {"m", "0"}, {}));
  CommandResult partial = RunCommand(std::string(kPython) + " " + script + " " + fallback.path());
  EXPECT_EQ(partial.exit_code, 1) << "without SGLang only running/waiting exist: " << partial.output;
  EXPECT_NE(partial.output.find("vllm:num_requests_running 0.0"), std::string::npos) << partial.output;
}

}  // namespace
}  // namespace shim::metrics
