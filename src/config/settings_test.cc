#include "config/settings.h"

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

namespace shim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Settings, DefaultsMatchTheOriginalDesign) {
  Settings s;
  std::string err;
  ASSERT_TRUE(LoadSettings(FakeEnv({}), &s, &err)) << err;
  EXPECT_EQ(s.launcher, (std::vector<std::string>{"python3", "-m", "sglang.launch_server"}));
  EXPECT_EQ(s.health_interval, seconds(5));
  EXPECT_EQ(s.health_timeout, seconds(3));
  EXPECT_EQ(s.response_timeout, seconds(1800));
  EXPECT_FALSE(s.drain_timeout);
  EXPECT_EQ(s.strip_params, (std::vector<std::string>{"logprobs", "top_logprobs"}));
  EXPECT_FALSE(s.backend_port);
  EXPECT_FALSE(s.strict);
}

TEST(Settings, ReadsEveryKind) {
  Settings s;
  std::string err;
  ASSERT_TRUE(LoadSettings(FakeEnv({{"VLLM_SGLANG_LAUNCHER", "/x/fake-sglang --delay 'a b'"},
                                    {"VLLM_SGLANG_EXTRA_ARGS", "--tp-size 2"},
                                    {"VLLM_SGLANG_BACKEND_PORT", "9000"},
                                    {"VLLM_SGLANG_STRICT", "true"},
                                    {"VLLM_SGLANG_HEALTH_INTERVAL", "0.5"},
                                    {"VLLM_SGLANG_STRIP_PARAMS", " a, b ,,"},
                                    {"VLLM_SGLANG_LOG_LEVEL", "DEBUG"},
                                    {"VLLM_API_KEY", "k"},
                                    {"VLLM_ALLOW_RUNTIME_LORA_UPDATING", "True"}}),
                           &s, &err))
      << err;
  EXPECT_EQ(s.launcher, (std::vector<std::string>{"/x/fake-sglang", "--delay", "a b"}));
  EXPECT_EQ(s.extra_args, (std::vector<std::string>{"--tp-size", "2"}));
  EXPECT_EQ(s.backend_port, 9000);
  EXPECT_TRUE(s.strict);
  EXPECT_EQ(s.health_interval, milliseconds(500));
  EXPECT_EQ(s.strip_params, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.log_level, LogLevel::kDebug);
  EXPECT_EQ(s.vllm_api_keys, (std::vector<std::string>{"k"}));
  EXPECT_TRUE(s.allow_runtime_lora_updating);
}

// Seconds are read once into typed durations: fractions keep millisecond
// resolution, zero means "no limit" where allowed, and a tiny positive value
// never becomes that zero.
TEST(Settings, SecondsBecomeDurations) {
  Settings s;
  std::string err;
  ASSERT_TRUE(LoadSettings(FakeEnv({{"VLLM_SGLANG_DRAIN_TIMEOUT", "2.25"},
                                    {"VLLM_SGLANG_RESPONSE_TIMEOUT", "0"},
                                    {"VLLM_SGLANG_STREAM_TIMEOUT", "0.0001"},
                                    {"VLLM_SGLANG_IDLE_TIMEOUT", " 86400 "}}),
                           &s, &err))
      << err;
  ASSERT_TRUE(s.drain_timeout);
  EXPECT_EQ(*s.drain_timeout, milliseconds(2250));
  EXPECT_EQ(s.response_timeout, milliseconds(0));
  EXPECT_EQ(s.stream_timeout, milliseconds(1));
  EXPECT_EQ(s.idle_timeout, seconds(86400));
  EXPECT_DOUBLE_EQ(InSeconds(*s.drain_timeout), 2.25);
  EXPECT_FALSE(LoadSettings(FakeEnv({{"VLLM_SGLANG_IDLE_TIMEOUT", "86401"}}), &s, &err));
  EXPECT_FALSE(LoadSettings(FakeEnv({{"VLLM_SGLANG_IDLE_TIMEOUT", "nan"}}), &s, &err));
}

TEST(Settings, EmptyStripListDisablesStripping) {
  Settings s;
  std::string err;
  ASSERT_TRUE(LoadSettings(FakeEnv({{"VLLM_SGLANG_STRIP_PARAMS", ""}}), &s, &err));
  EXPECT_TRUE(s.strip_params.empty());
}

TEST(Settings, BadValuesNameTheVariable) {
  struct Case {
    const char* name;
    const char* value;
  } cases[] = {{"VLLM_SGLANG_BACKEND_PORT", "80x"},   {"VLLM_SGLANG_BACKEND_PORT", "70000"},
               {"VLLM_SGLANG_HEALTH_INTERVAL", "0"},  {"VLLM_SGLANG_HEALTH_TIMEOUT", "-1"},
               {"VLLM_SGLANG_STRICT", "maybe"},       {"VLLM_SGLANG_LAUNCHER", "'unterminated"},
               {"VLLM_SGLANG_LOG_LEVEL", "loud"},     {"VLLM_SGLANG_MAX_CONNECTIONS", "0"},
               {"VLLM_SGLANG_EXTRA_ARGS", "--a \"b"}, {"VLLM_SGLANG_DRAIN_TIMEOUT", "soon"}};
  for (const Case& c : cases) {
    Settings s;
    std::string err;
    EXPECT_FALSE(LoadSettings(FakeEnv({{c.name, c.value}}), &s, &err)) << c.name;
    EXPECT_NE(err.find(c.name), std::string::npos) << err;
  }
}

// The README's configuration table is the user-facing copy of AllSettingSpecs().
TEST(Settings, ReadmeTableListsEverySetting) {
  std::ifstream in(std::string(SHIM_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream text;
  text << in.rdbuf();
  std::string readme = text.str();
  for (const SettingSpec& spec : AllSettingSpecs()) {
    std::string row = std::string("| `") + spec.name + "` | " + spec.default_text + " | " + spec.description + " |";
    EXPECT_NE(readme.find(row), std::string::npos) << "README lacks the row:\n" << row;
  }
}

}  // namespace
}  // namespace shim
