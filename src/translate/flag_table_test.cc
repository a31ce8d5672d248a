// The table's parse columns must equal vLLM's flag data, and every SGLang flag it names
// must exist in SGLang's (data/reference/*.json).
#include "translate/flag_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

using nlohmann::json;

json Load(const std::string& name) {
  std::ifstream in(std::string(SHIM_DATA_DIR) + "/" + name);
  return json::parse(in);
}

std::string ExpectedKind(const json& f) {
  if ((f.contains("action") && f["action"] == "append") || f.value("repeatable", false)) return "append";
  if (f["boolean_optional"].get<bool>()) return "boolean_optional";
  if (!f["takes_value"].get<bool>()) return "store_true";
  if (f["nargs"] == "+") return "nargs+";
  if (f["nargs"] == "?") return "nargs?";
  return "value";
}

void ExpectRowsMatch(const json& flags, bool legacy, std::vector<const FlagRow*>* rows) {
  ASSERT_EQ(flags.size(), rows->size());
  for (size_t i = 0; i < flags.size(); ++i) {
    const json& f = flags[i];
    const FlagRow& row = *(*rows)[i];
    SCOPED_TRACE(f["flag"].get<std::string>());
    EXPECT_EQ(row.spec.flag, f["flag"].get<std::string>());
    EXPECT_EQ(row.spec.legacy, legacy);
    std::vector<std::string> aliases;
    for (const json& a : f["aliases"]) aliases.push_back(a.get<std::string>());
    EXPECT_EQ(SpecAliases(row.spec), aliases);
    EXPECT_EQ(ArgKindName(row.spec.kind), ExpectedKind(f));
    EXPECT_EQ(ValueTypeName(row.spec.type), f["type"].is_null() ? "null" : f["type"].get<std::string>());
    std::vector<std::string> choices;
    if (f["choices"].is_array()) {
      for (const json& c : f["choices"]) choices.push_back(c.is_string() ? c.get<std::string>() : c.dump());
    }
    EXPECT_EQ(SpecChoices(row.spec), choices);
    if (f.contains("no_flag")) {
      EXPECT_EQ(NegatedName(row.spec), f["no_flag"].get<std::string>());
    }
  }
}

TEST(FlagTableTest, CurrentRowsEqualVllmFlagsJson) {
  std::vector<const FlagRow*> rows;
  for (const FlagRow& row : FlagTable()) {
    if (!row.spec.legacy) rows.push_back(&row);
  }
  ExpectRowsMatch(Load("vllm-flags.json"), false, &rows);
  EXPECT_EQ(rows.size(), 254u);
}

TEST(FlagTableTest, LegacyRowsEqualVllmFlagsLegacyJson) {
  std::vector<const FlagRow*> rows;
  for (const FlagRow& row : FlagTable()) {
    if (row.spec.legacy) rows.push_back(&row);
  }
  ExpectRowsMatch(Load("vllm-flags-legacy.json"), true, &rows);
  EXPECT_EQ(rows.size(), 80u);
}

TEST(FlagTableTest, EverySglangFlagNamedByTheTableExistsExactly) {
  std::set<std::string> sglang;
  for (const json& f : Load("sglang-flags.json")) {
    sglang.insert(f["flag"].get<std::string>());
    for (const json& a : f["aliases"]) sglang.insert(a.get<std::string>());
  }
  for (const FlagRow& row : FlagTable()) {
    SCOPED_TRACE(row.spec.flag);
    for (const std::string& flag : SplitString(row.sglang, ' ')) {
      if (flag.empty()) continue;
      EXPECT_TRUE(sglang.count(flag)) << flag;
      EXPECT_NE(FindSglangFlag(flag), nullptr) << flag;
    }
  }
}

TEST(FlagTableTest, RowsAreConsistent) {
  for (const FlagRow& row : FlagTable()) {
    SCOPED_TRACE(row.spec.flag);
    EXPECT_EQ(row.rule == Rule::kCustom, row.handler != nullptr);
    EXPECT_NE(std::string(row.reason), "");
    bool names_flag = row.sglang[0] != '\0';
    if (row.rule == Rule::kDrop) {
      EXPECT_FALSE(names_flag);
    }
    if (row.rule == Rule::kSame || row.rule == Rule::kRename || row.rule == Rule::kSwitch ||
        row.rule == Rule::kNegSwitch) {
      EXPECT_TRUE(names_flag);
      EXPECT_EQ(SplitString(row.sglang, ' ').size(), 1u);
    }
    if (row.rule == Rule::kSame) {
      EXPECT_EQ(std::string(row.sglang), row.spec.flag);
    }
    if (row.rule == Rule::kSwitch || row.rule == Rule::kNegSwitch) {
      EXPECT_EQ(row.spec.kind, ArgKind::kBooleanOptional);
      EXPECT_EQ(FindSglangFlag(row.sglang)->takes_value, false);
    }
    if (row.rule == Rule::kSame || row.rule == Rule::kRename) {
      EXPECT_TRUE(FindSglangFlag(row.sglang)->takes_value);
    }
  }
}

TEST(FlagTableTest, EmbeddedSglangFlagsEqualSglangFlagsJson) {
  json flags = Load("sglang-flags.json");
  ASSERT_EQ(flags.size(), SglangFlags().size());
  for (size_t i = 0; i < flags.size(); ++i) {
    const json& f = flags[i];
    const SglangFlag& embedded = SglangFlags()[i];
    SCOPED_TRACE(f["flag"].get<std::string>());
    EXPECT_EQ(embedded.flag, f["flag"].get<std::string>());
    std::vector<std::string> aliases;
    for (const json& a : f["aliases"]) aliases.push_back(a.get<std::string>());
    EXPECT_EQ(embedded.aliases, JoinStrings(aliases, " "));
    EXPECT_EQ(embedded.nargs, f["nargs"].is_null()     ? std::string()
                              : f["nargs"].is_string() ? f["nargs"].get<std::string>()
                                                       : f["nargs"].dump());
    EXPECT_EQ(embedded.takes_value, f["takes_value"].get<bool>());
    EXPECT_EQ(embedded.deprecated, f["deprecated"].get<bool>());
    EXPECT_EQ(embedded.action, f["action"].get<std::string>());
    EXPECT_EQ(embedded.type, f["type"].is_null() ? std::string() : f["type"].get<std::string>());
    EXPECT_EQ(embedded.dest, f["dest"].get<std::string>());
    std::vector<std::string> choices;
    if (f["choices"].is_array()) {
      for (const json& c : f["choices"]) choices.push_back(c.is_string() ? c.get<std::string>() : c.dump());
    }
    EXPECT_EQ(SglangChoices(embedded), choices);
  }
}

}  // namespace
}  // namespace shim
