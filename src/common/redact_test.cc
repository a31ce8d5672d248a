#include "common/redact.h"

#include <gtest/gtest.h>

namespace shim {
namespace {

TEST(Redact, HidesSecretValuesInBothForms) {
  std::vector<std::string> argv{"--model-path",    "m",   "--api-key", "sk-1", "--hf_token=hf_abc",
                                "--admin-api-key", "adm", "--port",    "8001"};
  EXPECT_EQ(RedactArgv(argv), (std::vector<std::string>{"--model-path", "m", "--api-key", "***", "--hf_token=***",
                                                        "--admin-api-key", "***", "--port", "8001"}));
}

TEST(Redact, HidesEveryValueOfAMultiValueKey) {
  EXPECT_EQ(RedactArgv({"--api-key", "a", "b", "--x"}), (std::vector<std::string>{"--api-key", "***", "***", "--x"}));
}

TEST(Redact, HidesAKeyThatBeginsWithADash) {
  // base64url keys begin with '-' one time in 64; written as two words (in
  // VLLM_SGLANG_EXTRA_ARGS, say) the key is still the flag's value.
  EXPECT_EQ(RedactArgv({"--api-key", "-abc123", "--port", "1"}),
            (std::vector<std::string>{"--api-key", "***", "--port", "1"}));
  EXPECT_EQ(RedactArgv({"--admin-api-key", "-x", "-y"}), (std::vector<std::string>{"--admin-api-key", "***", "-y"}));
}

TEST(Redact, LeavesLookAlikeFlagsAlone) {
  EXPECT_FALSE(IsSecretFlag("--max-num-batched-tokens"));
  EXPECT_FALSE(IsSecretFlag("--tokenizer"));
  EXPECT_FALSE(IsSecretFlag("--tokenizer-mode"));
  EXPECT_TRUE(IsSecretFlag("--hf-token"));
  EXPECT_TRUE(IsSecretFlag("--API_KEY"));
  // Numeric flags named "...-token".
  EXPECT_FALSE(IsSecretFlag("--bucket-time-to-first-token"));
  EXPECT_FALSE(IsSecretFlag("--bucket_time_to_first_token"));
  EXPECT_FALSE(IsSecretFlag("--kt-max-deferred-experts-per-token"));
  EXPECT_FALSE(IsSecretFlag("--max-prompt-adapter-token"));
  EXPECT_EQ(RedactArgv({"--bucket-time-to-first-token", "0.001", "2560"}),
            (std::vector<std::string>{"--bucket-time-to-first-token", "0.001", "2560"}));
}

}  // namespace
}  // namespace shim
