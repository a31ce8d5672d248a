#include "cli/config_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace shim {
namespace {

using Words = std::vector<std::string>;

Words Convert(const std::string& yaml) {
  Words args;
  std::string err;
  EXPECT_TRUE(ConfigYamlToArgs(yaml, &args, &err)) << err;
  return args;
}

// vLLM's load_config_file (vllm/utils/argparse_utils.py) conversion rules.
TEST(ConfigFileTest, ScalarsBooleansListsAndDicts) {
  EXPECT_EQ(Convert("port: 12323\ntensor_parallel_size: 4\n"),
            (Words{"--port", "12323", "--tensor_parallel_size", "4"}));
  EXPECT_EQ(Convert("enforce-eager: true\n"), (Words{"--enforce-eager"}));
  EXPECT_EQ(Convert("enable-prefix-caching: false\n"), Words{});  // false is dropped, not --no-X
  EXPECT_EQ(Convert("served-model-name: [a, b]\n"), (Words{"--served-model-name", "a", "b"}));
  EXPECT_EQ(Convert("served-model-name: []\n"), Words{});
  EXPECT_EQ(Convert("kv-transfer-config:\n  kv_connector: LMCacheConnectorV1\n  kv_role: kv_both\n"),
            (Words{"--kv-transfer-config", R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"})"}));
  EXPECT_EQ(Convert("speculative-config:\n  num_speculative_tokens: 3\n  x: 0.5\n  y: null\n  z: yes\n"),
            (Words{"--speculative-config", R"({"num_speculative_tokens":3,"x":0.5,"y":null,"z":true})"}));
  EXPECT_EQ(Convert("gpu_memory_utilization: 0.8\nmodel: \"true\"\n"),
            (Words{"--gpu_memory_utilization", "0.8", "--model", "true"}));
  EXPECT_EQ(Convert(""), Words{});
}

TEST(ConfigFileTest, BadDocumentsAreErrors) {
  Words args;
  std::string err;
  EXPECT_FALSE(ConfigYamlToArgs("- a\n- b\n", &args, &err));
  EXPECT_NE(err.find("mapping"), std::string::npos);
  EXPECT_FALSE(ConfigYamlToArgs("a: [b\n", &args, &err));
  EXPECT_NE(err.find("invalid YAML"), std::string::npos);
  EXPECT_FALSE(ConfigYamlToArgs("a: [[1, 2]]\n", &args, &err));
  std::string deep = "a: ";
  for (int i = 0; i < 200; ++i) deep += "[";
  EXPECT_FALSE(ConfigYamlToArgs(deep, &args, &err));
  std::string deep_map = "a:\n";
  for (int i = 0; i < 40; ++i) deep_map += std::string(2 * (i + 1), ' ') + "k:\n";
  EXPECT_FALSE(ConfigYamlToArgs(deep_map + std::string(82, ' ') + "v: 1\n", &args, &err));
}

TEST(ConfigFileTest, FileMustBeYamlAndExist) {
  Words args;
  std::string err;
  EXPECT_FALSE(LoadConfigFileArgs("/tmp/config.json", &args, &err));
  EXPECT_NE(err.find("yaml/yml"), std::string::npos);
  EXPECT_FALSE(LoadConfigFileArgs("/nonexistent/dir/c.yaml", &args, &err));
  EXPECT_NE(err.find("argument --config"), std::string::npos);
  std::string path = ::testing::TempDir() + "/shim_config_test.yaml";
  {
    std::ofstream out(path);
    out << "max-model-len: 4096\n";
  }
  ASSERT_TRUE(LoadConfigFileArgs(path, &args, &err)) << err;
  EXPECT_EQ(args, (Words{"--max-model-len", "4096"}));
  std::remove(path.c_str());
}

// A few lines of nested YAML aliases expand to a billion values: refused, not 10 GB of memory.
TEST(ConfigFileTest, AliasesThatExpandTooFarAreAnError) {
  std::string yaml = "hf-overrides:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    yaml += "  a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) yaml += (j ? ", *a" : "*a") + std::to_string(i - 1);
    yaml += "]\n";
  }
  Words args;
  std::string err;
  EXPECT_FALSE(ConfigYamlToArgs(yaml, &args, &err));
  EXPECT_NE(err.find("more than 100000 values"), std::string::npos) << err;
  EXPECT_NE(err.find("hf-overrides"), std::string::npos) << err;
  // A few aliases are fine.
  EXPECT_EQ(Convert("hf-overrides:\n  a: &a [1, 2]\n  b: *a\n"), (Words{"--hf-overrides", R"({"a":[1,2],"b":[1,2]})"}));
}

TEST(ConfigFileTest, MappingsWithBytesThatAreNotUtf8AreWrittenWithReplacementCharacters) {
  EXPECT_EQ(Convert("hf-overrides:\n  a: \"\\xaf\"\n  b: x\xAF\n"),
            (Words{"--hf-overrides", "{\"a\":\"\xC2\xAF\",\"b\":\"x\xEF\xBF\xBD\"}"}));
}
}  // namespace
}  // namespace shim
