// Every vLLM flag and choice, translated for every recorded SGLang release: what is emitted
// must exist in that release's list (read here straight from
// data/reference/sglang-flags-by-version.json, the lists of SGLang's server_args.py at the
// commits it names), and what is refused is refused on one line by a written rule.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/strings.h"
#include "translate/extra_args.h"
#include "translate/release_fit.h"
#include "translate/translator_test_util.h"
#include "translate/vllm_flag_samples_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT

struct ListedFlag {
  std::set<std::string> choices;
};
using FlagList = std::map<std::string, ListedFlag>;  // names and aliases

std::map<std::string, FlagList> ListsByRelease() {
  std::map<std::string, FlagList> lists;
  const json data = Load("sglang-flags-by-version.json");
  for (const auto& [label, entry] : data.items()) {
    FlagList& list = lists[label];
    for (const json& f : entry["flags"]) {
      ListedFlag listed;
      if (f["choices"].is_array()) {
        for (const json& c : f["choices"]) listed.choices.insert(c.is_string() ? c.get<std::string>() : c.dump());
      }
      list[f["flag"].get<std::string>()] = listed;
      for (const json& a : f["aliases"]) list[a.get<std::string>()] = listed;
    }
  }
  return lists;
}

const ReleaseChoice& ChoiceFor(const std::string& label) {
  static std::map<std::string, ReleaseChoice> choices;
  auto it = choices.find(label);
  if (it != choices.end()) return it->second;
  ReleaseChoice choice;
  std::string err;
  EXPECT_TRUE(ChooseSglangRelease(label, &choice, &err)) << err;
  return choices[label] = choice;
}

struct SweepCounts {
  int translated = 0;
  int refused = 0;
};

// Translates `args` for `label`: either every emitted word is in the list, or the refusal is
// one line naming the release, from a written gap rule.
void Check(const std::string& label, const FlagList& list, const Words& args, SweepCounts* counts) {
  SCOPED_TRACE(label + ": " + JoinStrings(args, " "));
  Translation t;
  std::string err;
  if (!TranslateVllmArgsFor(ChoiceFor(label), args, EntryPoint::kVllmServe, Settings(), &t, &err)) {
    ++counts->refused;
    EXPECT_EQ(err.find('\n'), std::string::npos) << err;
    EXPECT_EQ(err.find("internal error"), std::string::npos) << err;
    EXPECT_EQ(err.find("the translation needs it"), std::string::npos) << "no gap rule: " << err;
    return;
  }
  ++counts->translated;
  EXPECT_EQ(t.sglang_release, label);
  for (const SglangArgGroup& group : GroupSglangArgs(t.sglang_argv)) {
    ASSERT_FALSE(group.key.empty()) << group.words[0];
    const std::string& first = group.words[0];
    const size_t eq = first.find('=');
    const std::string name = first.substr(0, eq);
    auto it = list.find(name);
    ASSERT_NE(it, list.end()) << name << " is not a flag of SGLang " << label;
    if (it->second.choices.empty()) continue;
    std::vector<std::string> values(group.words.begin() + 1, group.words.end());
    if (eq != std::string::npos) values.push_back(first.substr(eq + 1));
    for (const std::string& value : values) {
      EXPECT_TRUE(it->second.choices.count(value)) << name << " " << value << " is not a choice in " << label;
    }
  }
}

// vLLM parser names (vllm/tool_parsers/__init__.py, vllm/reasoning/__init__.py at vLLM 9aaf83ef)
// whose SGLang spelling differs, or that SGLang has under the same name in some release.
const Words kToolParsers = {"hermes",     "llama3_json", "llama4_pythonic", "deepseek_v3",  "deepseek_v31", "openai",
                            "minimax_m2", "qwen3_coder", "qwen3_xml",       "kimi_k2",      "glm45",        "glm47",
                            "mistral",    "pythonic",    "step3",           "hunyuan_a13b", "granite"};
const Words kReasoningParsers = {"deepseek_r1", "deepseek_v3", "qwen3",       "glm45",   "openai_gptoss", "minimax_m2",
                                 "kimi_k2",     "step3",       "nemotron_v3", "mistral", "granite"};
const Words kQuantizations = {
    "fp8",      "awq",          "gptq",  "awq_marlin", "gptq_marlin", "bitsandbytes", "gguf", "compressed-tensors",
    "modelopt", "modelopt_fp4", "mxfp4", "w8a8_int8",  "quark"};

TEST(ReleaseSweepTest, EveryFlagAndChoiceFitsEveryRecordedRelease) {
  const std::map<std::string, FlagList> lists = ListsByRelease();
  ASSERT_EQ(lists.size(), SglangReleases().size());
  std::vector<Words> cases;
  for (const char* file : {"vllm-flags.json", "vllm-flags-legacy.json"}) {
    for (const json& f : Load(file)) {
      const std::string flag = f["flag"].get<std::string>();
      if (flag == "--config" || flag == "--model") continue;
      Words args{"org/model"};
      Words sample = ArgsFor(f);
      args.insert(args.end(), sample.begin(), sample.end());
      cases.push_back(args);
      if (!f["choices"].is_array()) continue;
      for (const json& c : f["choices"]) {
        Words with_choice{"org/model", flag, c.is_string() ? c.get<std::string>() : c.dump()};
        cases.push_back(with_choice);
      }
    }
  }
  for (const std::string& name : kToolParsers) {
    cases.push_back({"org/model", "--enable-auto-tool-choice", "--tool-call-parser", name});
  }
  for (const std::string& name : kReasoningParsers) cases.push_back({"org/model", "--reasoning-parser", name});
  for (const std::string& name : kQuantizations) cases.push_back({"org/model", "--quantization", name});
  for (const auto& [label, list] : lists) {
    SweepCounts counts;
    for (const Words& args : cases) Check(label, list, args, &counts);
    // Most of the command line fits every release; a refusal is the exception.
    EXPECT_GT(counts.translated, counts.refused * 10) << label;
    std::cout << "[ sweep    ] " << label << ": " << counts.translated << " translated, " << counts.refused
              << " refused\n";
  }
}

TEST(ReleaseSweepTest, EveryWrittenGapIsAFlagSomeReleaseLacks) {
  const std::map<std::string, FlagList> lists = ListsByRelease();
  for (const char* flag : {"--enable-trace", "--dcp-size", "--sampling-defaults", "--default-chat-template-kwargs",
                           "--limit-mm-data-per-request", "--fastapi-root-path", "--use-ray"}) {
    ASSERT_NE(FindReleaseGap(flag), nullptr) << flag;
    bool lacking = false;
    for (const auto& [label, list] : lists) lacking = lacking || !list.count(flag);
    EXPECT_TRUE(lacking) << flag;
  }
}

}  // namespace
}  // namespace shim
