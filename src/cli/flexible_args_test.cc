#include "cli/flexible_args.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/config_file.h"

namespace shim {
namespace {

using Words = std::vector<std::string>;

Words Expand(const Words& args, bool serve = true, std::vector<std::string>* warnings = nullptr) {
  ExpandOptions options;
  options.serve = serve;
  options.load_config = [](const std::string& path, Words* out, std::string* err) {
    if (path != "c.yaml") {
      *err = "argument --config: unable to read the config file at '" + path + "'";
      return false;
    }
    return ConfigYamlToArgs("port: 9000\nmax_num_seqs: 8\n", out, err);
  };
  ExpandedArgv out;
  std::string err;
  EXPECT_TRUE(ExpandVllmArgv(args, options, &out, &err)) << err;
  if (warnings) *warnings = out.warnings;
  return out.words;
}

std::string ExpandError(const Words& args, bool serve = true) {
  ExpandOptions options;
  options.serve = serve;
  options.load_config = [](const std::string&, Words*, std::string* err) {
    *err = "argument --config: unable to read the config file";
    return false;
  };
  ExpandedArgv out;
  std::string err;
  EXPECT_FALSE(ExpandVllmArgv(args, options, &out, &err));
  return err;
}

TEST(FlexibleArgsTest, UnderscoresBecomeDashesInNamesOnly) {
  EXPECT_EQ(Expand({"m", "--gpu_memory_utilization", "0.9", "--max_loras=4", "--served-model-name", "my_model"}),
            (Words{"m", "--gpu-memory-utilization", "0.9", "--max-loras=4", "--served-model-name", "my_model"}));
  EXPECT_EQ(NormalizeOptionName("--a_b=c_d"), "--a-b=c_d");
}

TEST(FlexibleArgsTest, ModelOptionMovesToPositionalWithWarning) {
  Words warnings;
  EXPECT_EQ(Expand({"-tp", "2", "--model", "org/m", "--enforce-eager"}, true, &warnings),
            (Words{"org/m", "-tp", "2", "--enforce-eager"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("positional"), std::string::npos);
  EXPECT_EQ(Expand({"--model=org/m", "--port", "1"}), (Words{"org/m", "--port", "1"}));
  // The api_server entry point keeps --model as an option.
  EXPECT_EQ(Expand({"--model", "org/m"}, false), (Words{"--model", "org/m"}));
  EXPECT_EQ(ExpandError({"--model"}), "argument --model: expected one argument");
  EXPECT_EQ(ExpandError({"--model", "--port"}), "argument --model: expected one argument");
}

TEST(FlexibleArgsTest, ServedModelNameWithoutPositionalIsAnError) {
  EXPECT_NE(ExpandError({"--served-model-name", "a"}).find("first positional argument"), std::string::npos);
  EXPECT_NE(ExpandError({"--port", "1", "--served_model_name=a"}).find("first positional argument"), std::string::npos);
}

TEST(FlexibleArgsTest, ConfigIsInsertedAfterTheModelSoTheCommandLineWins) {
  EXPECT_EQ(Expand({"m", "--config", "c.yaml", "--port", "1"}),
            (Words{"m", "--port", "9000", "--max-num-seqs", "8", "--port", "1"}));
  EXPECT_EQ(Expand({"--port", "1", "--config=c.yaml"}, false),
            (Words{"--port", "9000", "--max-num-seqs", "8", "--port", "1"}));
  EXPECT_NE(ExpandError({"--config", "c.yaml"}).find("unable to read"), std::string::npos);
  EXPECT_EQ(ExpandError({"m", "--config"}), "argument --config: expected one argument");
  EXPECT_NE(ExpandError({"m", "--config", "a.yaml", "--config", "b.yaml"}).find("more than one"), std::string::npos);
}

TEST(FlexibleArgsTest, ConfigWithoutAnyModelIsAnErrorForServe) {
  ExpandOptions options;
  options.load_config = [](const std::string&, Words* out, std::string* err) {
    return ConfigYamlToArgs("port: 1\n", out, err);
  };
  ExpandedArgv out;
  std::string err;
  EXPECT_FALSE(ExpandVllmArgv({"--config", "c.yaml"}, options, &out, &err));
  EXPECT_NE(err.find("No model specified"), std::string::npos);
  options.load_config = [](const std::string&, Words* out, std::string* err) {
    return ConfigYamlToArgs("model: org/m\n", out, err);
  };
  ASSERT_TRUE(ExpandVllmArgv({"--config", "c.yaml", "--port", "2"}, options, &out, &err)) << err;
  EXPECT_EQ(out.words, (Words{"--model", "org/m", "--port", "2"}));
}

TEST(FlexibleArgsTest, OptimizationLevelSpellings) {
  EXPECT_EQ(Expand({"m", "-O3"}), (Words{"m", "--optimization-level", "3"}));
  EXPECT_EQ(Expand({"m", "-O=2"}), (Words{"m", "--optimization-level", "2"}));
  EXPECT_EQ(Expand({"m", "-Odecode"}), (Words{"m", "--optimization-level", "decode"}));
  EXPECT_EQ(Expand({"m", "-O", "1"}), (Words{"m", "--optimization-level", "1"}));
  // "-O <json>" is the removed compilation-config alias: left for the legacy row.
  EXPECT_EQ(Expand({"m", "-O", "{\"level\":3}"}), (Words{"m", "-O", "{\"level\":3}"}));
}

TEST(FlexibleArgsTest, DottedKeysMergeIntoOneJsonObject) {
  Words words =
      Expand({"m", "--kv-transfer-config.kv_connector", "LMCacheConnectorV1", "--kv_transfer_config.kv_role=kv_both",
              "-cc.mode", "3", "--port", "1", "--compilation-config.sizes+", "1,2", "--compilation-config.sizes+=4",
              "--x.a.b", "1k", "--x.a.c", "{\"d\": true}"});
  ASSERT_EQ(words.size(), 11u);
  EXPECT_EQ(words[0], "m");
  EXPECT_EQ(words[1], "--port");
  EXPECT_EQ(words[3], "--kv-transfer-config");
  EXPECT_EQ(nlohmann::json::parse(words[4]),
            nlohmann::json::parse(R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"})"));
  EXPECT_EQ(words[5], "-cc");
  EXPECT_EQ(nlohmann::json::parse(words[6]), nlohmann::json::parse(R"({"mode":3})"));
  EXPECT_EQ(words[7], "--compilation-config");
  EXPECT_EQ(nlohmann::json::parse(words[8]), nlohmann::json::parse(R"({"sizes":["1","2","4"]})"));
  EXPECT_EQ(words[9], "--x");
  EXPECT_EQ(nlohmann::json::parse(words[10]), nlohmann::json::parse(R"({"a":{"b":1000,"c":{"d":true}}})"));
}

TEST(FlexibleArgsTest, DottedEdgeCases) {
  Words warnings;
  Words words =
      Expand({"m", "--a.k", "1", "--a.k", "2", "--gpu-memory-utilization", "-0.5", "--b=1.5"}, true, &warnings);
  EXPECT_EQ(words, (Words{"m", "--gpu-memory-utilization", "-0.5", "--b=1.5", "--a", "{\"k\":2}"}));
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings.back().find("duplicate keys --a.k"), std::string::npos);
  EXPECT_NE(ExpandError({"m", "--a.k"}).find("expected one argument"), std::string::npos);
  EXPECT_NE(ExpandError({"m", "--a..k", "1"}).find("empty key"), std::string::npos);
}

// The argv fuzzer's crash: a dotted "+" list of bytes that are not UTF-8 made nlohmann's dump()
// throw (std::terminate). vLLM accepts such bytes (surrogate-escaped); here they become U+FFFD.
TEST(FlexibleArgsTest, DottedValuesThatAreNotUtf8) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(Expand({"m", "--hf-overrides.a+", "\xAF"}),
            (Words{"m", "--hf-overrides", "{\"a\":[\"" + replacement + "\"]}"}));
  EXPECT_EQ(Expand({"m", "--hf-overrides.a", "x\xAF"}),
            (Words{"m", "--hf-overrides", "{\"a\":\"x" + replacement + "\"}"}));
  EXPECT_EQ(Expand({"m", "--hf-overrides.\xAF", "{\"b\": \"\xAF\"}"}),
            (Words{"m", "--hf-overrides", "{\"" + replacement + "\":{\"b\":\"" + replacement + "\"}}"}));
}

// nlohmann's dump() and copies recurse once per level: deep documents are refused, not a
// stack overflow (vLLM's json.loads gives up near 1000 levels).
TEST(FlexibleArgsTest, DottedValuesNestedTooDeep) {
  std::string keys;
  for (int i = 0; i < 600; ++i) keys += ".k";
  EXPECT_EQ(ExpandError({"m", "--hf-overrides" + keys, "1"}),
            "argument --hf-overrides: JSON nested deeper than 512 levels");
  const std::string deep = std::string(600, '[') + std::string(600, ']');
  EXPECT_EQ(ExpandError({"m", "--hf-overrides.a", deep}),
            "argument --hf-overrides: JSON nested deeper than 512 levels");
  EXPECT_EQ(Expand({"m", "--hf-overrides.a", "[[1]]"}), (Words{"m", "--hf-overrides", "{\"a\":[[1]]}"}));
}
}  // namespace
}  // namespace shim
