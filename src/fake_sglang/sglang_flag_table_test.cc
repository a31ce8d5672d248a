// The embedded flag table must equal data/reference/sglang-flags.json (SGLang's own argparse
// dump of python/sglang/srt/server_args.py); regenerate with tools/gen_sglang_flag_table.py.
#include "fake_sglang/sglang_flag_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/strings.h"

namespace shim::fake_sglang {
namespace {

std::string Joined(const nlohmann::json& list) {
  std::vector<std::string> parts;
  for (const auto& item : list) parts.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return JoinStrings(parts, "|");
}

TEST(SglangFlagTableTest, EqualsReferenceJson) {
  std::ifstream in(std::string(SHIM_DATA_DIR) + "/sglang-flags.json");
  ASSERT_TRUE(in) << "cannot open sglang-flags.json";
  std::stringstream text;
  text << in.rdbuf();
  auto flags = nlohmann::json::parse(text.str());
  auto table = SglangFlagTable();
  ASSERT_EQ(table.size(), flags.size());
  for (size_t i = 0; i < table.size(); ++i) {
    const auto& f = flags[i];
    const SglangFlagSpec& spec = table[i];
    SCOPED_TRACE(spec.flag);
    EXPECT_EQ(spec.flag, f["flag"].get<std::string>());
    EXPECT_EQ(spec.aliases, Joined(f["aliases"]));
    EXPECT_EQ(spec.action, f["action"].get<std::string>());
    EXPECT_EQ(spec.nargs, f["nargs"].is_null() ? "" : (f["nargs"].is_string() ? f["nargs"].get<std::string>()
                                                                               : f["nargs"].dump()));
    EXPECT_EQ(spec.type, f["type"].is_null() ? "" : f["type"].get<std::string>());
    if (f["choices"].is_null()) {
      EXPECT_EQ(spec.choices, nullptr);
    } else {
      ASSERT_NE(spec.choices, nullptr);
      EXPECT_EQ(spec.choices, Joined(f["choices"]));
    }
    EXPECT_EQ(spec.dest, f["dest"].get<std::string>());
    EXPECT_EQ(spec.takes_value, f["takes_value"].get<bool>());
  }
}

}  // namespace
}  // namespace shim::fake_sglang
