#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "translate/flag_table.h"
#include "translate/translator_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT
using nlohmann::json;

TEST(RenderTest, JsonShapeAndRedaction) {
  Translation t = MustTranslate({"m", "--api-key", "sk-secret", "--served-model-name", "a", "b", "--swap-space", "4"});
  json j = json::parse(TranslationToJson(t));
  EXPECT_EQ(TranslationToJson(t).find("sk-secret"), std::string::npos);
  EXPECT_EQ(j["sglang_argv"][0], "--model-path");
  EXPECT_EQ(j["served_model_names"], json({"a", "b"}));
  EXPECT_EQ(j["backend"], json({{"host", "127.0.0.1"}, {"port", 8001}}));
  EXPECT_EQ(j["frontend"], json({{"host", "0.0.0.0"}, {"port", 8000}}));
  ASSERT_EQ(j["flags"].size(), 3u);
  EXPECT_EQ(j["flags"][0]["flag"], "--api-key");
  EXPECT_EQ(j["flags"][0]["action"], "passed");
  EXPECT_EQ(j["flags"][0]["sglang"], json({"--api-key", "***"}));
  EXPECT_EQ(j["flags"][2]["action"], "dropped");
  EXPECT_FALSE(j["flags"][2]["reason"].get<std::string>().empty());
  EXPECT_FALSE(j["warnings"].empty());
  // The real key stays in the translation for the launcher and the front door.
  EXPECT_EQ(t.frontend.api_keys, Words{"sk-secret"});
}

TEST(RenderTest, TextStartsWithTheRedactedCommandLine) {
  Translation t = MustTranslate({"m", "--api-key", "sk-secret", "--chat-template", "/t/my template.jinja"});
  std::string text = TranslationToText(t, {"python3", "-m", "sglang.launch_server"});
  EXPECT_EQ(text.find("sk-secret"), std::string::npos);
  std::string first = text.substr(0, text.find('\n'));
  EXPECT_EQ(first.rfind("python3 -m sglang.launch_server --model-path m --host 127.0.0.1 --port 8001", 0), 0u) << first;
  EXPECT_NE(first.find("'/t/my template.jinja'"), std::string::npos);
  EXPECT_NE(text.find("  --chat-template: passed -> --chat-template"), std::string::npos);
}

TEST(RenderTest, FlagsTheShimAddsAreExplained) {
  Translation t = MustTranslate({"m"});
  std::string text = TranslationToText(t, {"python3"});
  EXPECT_NE(text.find("\n  --bucket-time-to-first-token: added -> --bucket-time-to-first-token 0.001 0.005 "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(" 640 2560 (vLLM's histogram buckets, so quantile panels written for vLLM read the same le "
                      "values)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  --bucket-inter-token-latency: added -> "), std::string::npos);
  EXPECT_NE(text.find("\n  --bucket-e2e-request-latency: added -> "), std::string::npos);
  EXPECT_NE(text.find("\n  --enable-metrics: added -> --enable-metrics ("), std::string::npos);
  json j = json::parse(TranslationToJson(t));
  ASSERT_EQ(j["added"].size(), 4u);
  EXPECT_EQ(j["added"][0]["flag"], "--bucket-time-to-first-token");
  EXPECT_EQ(j["added"][0]["sglang"][1], "0.001");
  EXPECT_EQ(j["added"][3]["flag"], "--enable-metrics");
  EXPECT_EQ(j["added"][3]["sglang"], json({"--enable-metrics"}));
  for (const json& added : j["added"]) EXPECT_FALSE(added["reason"].get<std::string>().empty());
}

TEST(RenderTest, HelpAndMarkdownCoverEveryRow) {
  std::string help = ServeHelpText();
  std::string markdown = TranslationTableMarkdown();
  for (const FlagRow& row : FlagTable()) {
    EXPECT_NE(help.find(row.spec.flag), std::string::npos) << row.spec.flag;
    EXPECT_NE(markdown.find("`" + std::string(row.spec.flag)), std::string::npos) << row.spec.flag;
  }
  EXPECT_NE(help.find("--gpu-memory-utilization FLOAT"), std::string::npos);
  EXPECT_NE(markdown.find("| `--max-num-seqs` | `--max-running-requests` |"), std::string::npos);
  EXPECT_EQ(std::count(markdown.begin(), markdown.end(), '\n'), static_cast<long>(FlagTable().size() + 2));
}

}  // namespace
}  // namespace shim
