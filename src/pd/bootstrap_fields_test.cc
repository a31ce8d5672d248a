#include "pd/bootstrap_fields.h"

#include <gtest/gtest.h>

namespace shim::pd {
namespace {

using nlohmann::json;

std::string Rewrite(const std::string& body, const BootstrapTarget& target) {
  JsonObjectScan scan;
  std::string err;
  EXPECT_TRUE(ScanTopLevelObject(body, &scan, &err)) << err;
  return WithBootstrapFields(body, scan, target);
}

TEST(BootstrapFieldsTest, SetsTheThreeFieldsAndDropsKvTransferParams) {
  const std::string body = R"({"model":"m","messages":[{"role":"user","content":"hi \u00e9"}],"stream":true,)"
                           R"("kv_transfer_params":{"remote_host":"10.0.0.1","remote_port":8998,"bootstrap_room":7}})";
  std::string out = Rewrite(body, {"10.0.0.1", 8998, 7});
  json parsed = json::parse(out);
  EXPECT_FALSE(parsed.contains("kv_transfer_params"));
  EXPECT_EQ(parsed["bootstrap_host"], "10.0.0.1");
  EXPECT_EQ(parsed["bootstrap_port"], 8998);
  EXPECT_EQ(parsed["bootstrap_room"], 7);
  // The rest of the body is relayed byte for byte.
  EXPECT_NE(out.find(R"("messages":[{"role":"user","content":"hi \u00e9"}],"stream":true)"), std::string::npos);
}

TEST(BootstrapFieldsTest, BootstrapFieldsFromTheClientAreReplaced) {
  std::string out = Rewrite(R"({"prompt":"x","bootstrap_host":"evil.example","bootstrap_port":1,"bootstrap_room":2,)"
                            R"("bootstrap_room":3})",
                            {"prefill", 8998, 42});
  json parsed = json::parse(out);
  EXPECT_EQ(parsed,
            json::parse(R"({"prompt":"x","bootstrap_host":"prefill","bootstrap_port":8998,"bootstrap_room":42})"));
  EXPECT_EQ(out.find("evil"), std::string::npos);
}

TEST(BootstrapFieldsTest, AnEmptyObjectGetsTheFields) {
  EXPECT_EQ(json::parse(Rewrite("{}", {"h", 1, 0})),
            json::parse(R"({"bootstrap_host":"h","bootstrap_port":1,"bootstrap_room":0})"));
}

}  // namespace
}  // namespace shim::pd
