#include "translate/translator.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "translate/translator_test_util.h"

namespace shim {
namespace {

using namespace shim::testing;  // NOLINT
using Action = FlagOutcome::Action;

TEST(TranslatorTest, DefaultsAddOnlyTheFixedFlags) {
  Translation t = MustTranslate({"org/m"});
  EXPECT_EQ(t.sglang_argv, WithAddedTail({"--model-path", "org/m", "--host", "127.0.0.1", "--port", "8001"}));
  EXPECT_EQ(t.frontend.listen.host, "0.0.0.0");
  EXPECT_EQ(t.frontend.listen.port, 8000);
  EXPECT_EQ(t.frontend.backend.host, "127.0.0.1");
  EXPECT_EQ(t.frontend.backend.port, 8001);
  EXPECT_EQ(t.frontend.model, "org/m");
  EXPECT_EQ(t.frontend.served_model_names, Words{"org/m"});
  EXPECT_TRUE(t.flags.empty());
}

TEST(TranslatorTest, NoModelUsesVllmDefault) {
  Translation t = MustTranslate({});
  EXPECT_EQ(t.frontend.model, "Qwen/Qwen3-0.6B");
  ASSERT_FALSE(t.warnings.empty());
}

TEST(TranslatorTest, ModelOptionWithServeAndApiServer) {
  Translation serve = MustTranslate({"--model", "a/b", "--port", "9000"});
  EXPECT_EQ(serve.frontend.model, "a/b");
  EXPECT_EQ(serve.frontend.backend.port, 9001);
  Translation api = MustTranslate({"--model", "a/b", "ignored/positional"}, Settings(), EntryPoint::kApiServer);
  EXPECT_EQ(api.frontend.model, "a/b");
  EXPECT_EQ(api.sglang_argv[1], "a/b");
  EXPECT_EQ(Outcome(api, "--model")->action, Action::kTranslated);
  Translation api_default = MustTranslate({"--port", "8080"}, Settings(), EntryPoint::kApiServer);
  EXPECT_EQ(api_default.frontend.model, "Qwen/Qwen3-0.6B");
}

// production-stack @a6c01db0 helm/tests/deployment-vllm-multi_test.yaml, "should render a basic model with
// custom values".
TEST(TranslatorTest, HelmBasicModel) {
  Translation t = MustTranslate({"facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000"});
  EXPECT_EQ(t.sglang_argv,
            WithAddedTail({"--model-path", "facebook/opt-125m", "--host", "127.0.0.1", "--port", "8001"}));
  EXPECT_EQ(Outcome(t, "--host")->action, Action::kDropped);
}

// production-stack @a6c01db0 helm/tests/deployment-vllm-multi_test.yaml, "should render a model with custom vllmConfig
// and lmcache".
TEST(TranslatorTest, HelmCustomVllmConfigAndLmcache) {
  Translation t = MustTranslate({"facebook/opt-125m", "--host", "0.0.0.0", "--port", "8000", "--enable-prefix-caching",
                                 "--max-model-len", "1024", "--gpu_memory_utilization", "0.8", "--kv-transfer-config",
                                 R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"})"});
  EXPECT_EQ(Middle(t), (Words{"--context-length", "1024", "--mem-fraction-static", "0.75", "--enable-lmcache"}));
  EXPECT_EQ(Outcome(t, "--enable-prefix-caching")->action, Action::kDropped);
}

// production-stack @a6c01db0 tutorials/assets/values-04-multiple-models.yaml, model "llama3", as
// helm/templates/deployment-vllm-multi.yaml renders it (tests/deploy/deploy_chart.py does the same).
TEST(TranslatorTest, HelmMultipleModelsTutorial) {
  Translation t = MustTranslate({"meta-llama/Llama-3.1-8B-Instruct", "--host", "0.0.0.0", "--port", "8000",
                                 "--no-enable-prefix-caching", "--max-model-len", "4096", "--max-num-seqs", "32",
                                 "--gpu_memory_utilization", "0.8", "--max_loras", "4"});
  EXPECT_EQ(Middle(t), (Words{"--disable-radix-cache", "--context-length", "4096", "--max-running-requests", "32",
                              "--mem-fraction-static", "0.75", "--max-loras-per-batch", "4"}));
}

// production-stack gateway example: python3 -m vllm.entrypoints.openai.api_server ... (abbreviated --max-num-seq).
TEST(TranslatorTest, GatewayApiServerExample) {
  Translation t = MustTranslate({"--model", "m", "--port", "8000", "--max-num-seq", "1024", "--compilation-config", "3",
                                 "--enable-lora", "--max-loras", "2", "--max-lora-rank", "32", "--max-cpu-loras", "12"},
                                Settings(), EntryPoint::kApiServer);
  EXPECT_EQ(Middle(t), (Words{"--max-running-requests", "1024", "--enable-lora", "--lora-target-modules", "all",
                              "--max-loras-per-batch", "2", "--max-lora-rank", "32", "--max-loaded-loras", "12"}));
  EXPECT_TRUE(t.frontend.enable_lora);
}

TEST(TranslatorTest, SimpleRenamesAndSwitches) {
  Translation t = MustTranslate({"m",
                                 "--seed",
                                 "7",
                                 "-tp",
                                 "2",
                                 "-pp",
                                 "2",
                                 "-dp",
                                 "2",
                                 "--enforce-eager",
                                 "--max-num-batched-tokens",
                                 "8k",
                                 "--block-size",
                                 "32",
                                 "--trust-remote-code",
                                 "--dtype",
                                 "bfloat16",
                                 "--revision",
                                 "main",
                                 "--download-dir",
                                 "/d",
                                 "--load-format",
                                 "safetensors",
                                 "--tokenizer",
                                 "tok/x",
                                 "--uvicorn-log-level",
                                 "debug",
                                 "--enable-sleep-mode",
                                 "--enable-log-requests",
                                 "--no-trust-remote-code"});
  EXPECT_EQ(Middle(t), (Words{"--random-seed",
                              "7",
                              "--tp-size",
                              "2",
                              "--pp-size",
                              "2",
                              "--dp-size",
                              "2",
                              "--disable-cuda-graph",
                              "--chunked-prefill-size",
                              "8000",
                              "--page-size",
                              "32",
                              "--dtype",
                              "bfloat16",
                              "--revision",
                              "main",
                              "--download-dir",
                              "/d",
                              "--load-format",
                              "safetensors",
                              "--tokenizer-path",
                              "tok/x",
                              "--log-level-http",
                              "debug",
                              "--enable-memory-saver",
                              "--log-requests"}));
  EXPECT_EQ(Outcome(t, "--no-trust-remote-code")->action, Action::kDropped);
  EXPECT_EQ(Outcome(t, "--dtype")->action, Action::kPassed);
  EXPECT_EQ(Outcome(t, "--seed")->action, Action::kTranslated);
}

TEST(TranslatorTest, MaxModelLen) {
  EXPECT_EQ(Middle(MustTranslate({"m", "--max-model-len", "32k"})), (Words{"--context-length", "32000"}));
  EXPECT_EQ(MustTranslate({"m", "--max-model-len", "32k"}).frontend.max_model_len, 32000);
  for (const char* automatic : {"auto", "-1"}) {
    Translation t = MustTranslate({"m", "--max-model-len", automatic});
    EXPECT_TRUE(Middle(t).empty());
    EXPECT_FALSE(t.frontend.max_model_len);
  }
  EXPECT_NE(MustFail({"m", "--max-model-len", "0"}).find("--max-model-len"), std::string::npos);
}

TEST(TranslatorTest, GpuMemoryUtilizationLeavesRoomForActivations) {
  auto fraction = [](const char* value) { return Middle(MustTranslate({"m", "--gpu-memory-utilization", value}))[1]; };
  EXPECT_EQ(fraction("0.9"), "0.85");
  EXPECT_EQ(fraction("0.4"), "0.35");
  EXPECT_EQ(fraction("0.08"), "0.05");
  EXPECT_EQ(fraction("1"), "0.95");
  EXPECT_NE(MustFail({"m", "--gpu-memory-utilization", "0"}).find("--gpu-memory-utilization"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--gpu-memory-utilization", "1.5"}).find("--gpu-memory-utilization"), std::string::npos);
}

TEST(TranslatorTest, ChunkedPrefillAndBatchedTokens) {
  EXPECT_EQ(Middle(MustTranslate({"m", "--no-enable-chunked-prefill"})), (Words{"--chunked-prefill-size=-1"}));
  EXPECT_TRUE(Middle(MustTranslate({"m", "--enable-chunked-prefill"})).empty());
  EXPECT_EQ(Middle(MustTranslate({"m", "--max_num_batched_tokens", "4096", "--no-enable-chunked-prefill"})),
            (Words{"--max-prefill-tokens", "4096", "--chunked-prefill-size=-1"}));
}

TEST(TranslatorTest, ExpertParallelUsesTensorParallelSize) {
  EXPECT_EQ(Middle(MustTranslate({"m", "-ep", "-tp", "4"})), (Words{"--ep-size", "4", "--tp-size", "4"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--enable-expert-parallel"})), (Words{"--ep-size", "1"}));
  EXPECT_TRUE(Middle(MustTranslate({"m", "--no-enable-expert-parallel"})).empty());
}

TEST(TranslatorTest, ServedModelNamesFirstToSglangAllToFrontDoor) {
  Translation t = MustTranslate({"Qwen/Qwen3-8B", "--served-model-name", "Qwen/Qwen3-8B", "qwen3"});
  EXPECT_EQ(Middle(t), (Words{"--served-model-name", "Qwen/Qwen3-8B"}));
  EXPECT_EQ(t.frontend.served_model_names, (Words{"Qwen/Qwen3-8B", "qwen3"}));
  EXPECT_EQ(Outcome(t, "--served-model-name")->action, Action::kTranslated);
}

TEST(TranslatorTest, ParsersAreRenamedAndUnknownOnesRejected) {
  Translation t = MustTranslate(
      {"m", "--enable-auto-tool-choice", "--tool-call-parser", "llama3_json", "--reasoning-parser", "deepseek_r1"});
  EXPECT_EQ(Middle(t), (Words{"--tool-call-parser", "llama3", "--reasoning-parser", "deepseek-r1"}));
  EXPECT_EQ(*t.frontend.tool_call_parser, "llama3");
  EXPECT_EQ(*t.frontend.reasoning_parser, "deepseek-r1");
  EXPECT_EQ(Outcome(t, "--enable-auto-tool-choice")->action, Action::kDropped);
  EXPECT_EQ(Middle(MustTranslate({"m", "--tool-call-parser", "hermes"})), (Words{"--tool-call-parser", "hermes"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--tool-call-parser", "openai", "--reasoning-parser", "openai_gptoss"})),
            (Words{"--tool-call-parser", "gpt-oss", "--reasoning-parser", "gpt-oss"}));
  std::string err = MustFail({"m", "--tool-call-parser", "granite"});
  EXPECT_NE(err.find("--tool-call-parser"), std::string::npos);
  EXPECT_NE(err.find("'granite'"), std::string::npos);
  EXPECT_NE(err.find("qwen25"), std::string::npos);  // lists what SGLang has
  EXPECT_NE(MustFail({"m", "--reasoning-parser", "holo2"}).find("--reasoning-parser"), std::string::npos);
  EXPECT_EQ(MustFail({"m", "--enable-auto-tool-choice"}),
            "argument --enable-auto-tool-choice: requires --tool-call-parser");
}

TEST(TranslatorTest, KvCacheDtypeAndQuantization) {
  EXPECT_EQ(Middle(MustTranslate({"m", "--kv-cache-dtype", "fp8"})), (Words{"--kv-cache-dtype", "fp8_e4m3"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--kv-cache-dtype", "fp8_e5m2"})), (Words{"--kv-cache-dtype", "fp8_e5m2"}));
  Translation dropped = MustTranslate({"m", "--kv-cache-dtype", "float16"});
  EXPECT_TRUE(Middle(dropped).empty());
  EXPECT_FALSE(dropped.warnings.empty());
  EXPECT_EQ(Middle(MustTranslate({"m", "-q", "awq"})), (Words{"--quantization", "awq"}));
  EXPECT_NE(MustFail({"m", "--quantization", "tensorrt"}).find("argument --quantization"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--load-format", "tensorizer"}).find("argument --load-format"), std::string::npos);
}

TEST(TranslatorTest, Lora) {
  Translation runtime_only = MustTranslate({"m", "--enable-lora"});
  EXPECT_EQ(Middle(runtime_only), (Words{"--enable-lora", "--max-lora-rank", "16", "--lora-target-modules", "all"}));
  Translation with_modules =
      MustTranslate({"m", "--enable-lora", "--lora-modules", "sql=/a/sql",
                     R"({"name":"chat","path":"/a/chat","base_model_name":"m"})", "--max-loras", "4", "--max-cpu-loras",
                     "8", "--max-lora-rank", "64", "--lora-target-modules", "q_proj", "v_proj"});
  EXPECT_EQ(Middle(with_modules),
            (Words{"--enable-lora", "--lora-paths", "sql=/a/sql", "chat=/a/chat", "--max-loras-per-batch", "4",
                   "--max-loaded-loras", "8", "--max-lora-rank", "64", "--lora-target-modules", "q_proj", "v_proj"}));
  ASSERT_EQ(with_modules.frontend.lora_modules.size(), 2u);
  EXPECT_EQ(with_modules.frontend.lora_modules[1].name, "chat");
  EXPECT_EQ(*with_modules.frontend.lora_modules[1].base_model_name, "m");
  EXPECT_NE(MustFail({"m", "--lora-modules", "no-equals-sign"}).find("--lora-modules"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--lora-target-modules", "not_a_module"}).find("--lora-target-modules"), std::string::npos);
}

TEST(TranslatorTest, SpeculativeConfig) {
  EXPECT_EQ(
      Middle(MustTranslate(
          {"m", "--speculative-config", R"({"method":"eagle3","model":"d/e3","num_speculative_tokens":3})"})),
      (Words{"--speculative-algorithm", "EAGLE3", "--speculative-draft-model-path", "d/e3", "--speculative-num-steps",
             "3", "--speculative-eagle-topk", "1", "--speculative-num-draft-tokens", "4"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "-sc.method", "ngram", "-sc.num_speculative_tokens", "5"})),
            (Words{"--speculative-algorithm", "NGRAM", "--speculative-num-draft-tokens", "5"}));
  EXPECT_EQ(
      Middle(MustTranslate({"m", "--speculative-config", R"({"method":"deepseek_mtp","num_speculative_tokens":1})"})),
      (Words{"--speculative-algorithm", "NEXTN", "--speculative-num-steps", "1", "--speculative-eagle-topk", "1",
             "--speculative-num-draft-tokens", "2"}));
  Translation legacy = MustTranslate({"m", "--speculative-model", "d/eagle-x", "--num-speculative-tokens", "2"});
  EXPECT_EQ(Middle(legacy), (Words{"--speculative-algorithm", "EAGLE", "--speculative-draft-model-path", "d/eagle-x",
                                   "--speculative-num-steps", "2", "--speculative-eagle-topk", "1",
                                   "--speculative-num-draft-tokens", "3"}));
  EXPECT_NE(MustFail({"m", "--speculative-config", R"({"method":"medusa","model":"x"})"}).find("medusa"),
            std::string::npos);
  EXPECT_NE(MustFail({"m", "--speculative-config", "{oops"}).find("argument --speculative-config"), std::string::npos);
}

TEST(TranslatorTest, KvTransferConfig) {
  EXPECT_EQ(Middle(MustTranslate({"m", "--kv-transfer-config.kv_connector", "LMCacheConnectorV1",
                                  "--kv-transfer-config.kv_role", "kv_both"})),
            (Words{"--enable-lmcache"}));
  Translation offload =
      MustTranslate({"m", "--kv-transfer-config", R"({"kv_connector":"OffloadingConnector","kv_role":"kv_both"})"});
  EXPECT_TRUE(Middle(offload).empty());
  EXPECT_FALSE(offload.warnings.empty());
  EXPECT_NE(MustFail({"m", "--kv-transfer-config", R"({"kv_connector": )"}).find("argument --kv-transfer-config"),
            std::string::npos);
}

TEST(TranslatorTest, FrontDoorOptions) {
  Translation t =
      MustTranslate({"m", "--root-path", "/api", "--shutdown-timeout", "30", "--enable-request-id-headers",
                     "--disable-uvicorn-access-log", "--chat-template", "/t/c.jinja", "--host", "10.0.0.1"});
  EXPECT_EQ(Middle(t), (Words{"--fastapi-root-path", "/api", "--chat-template", "/t/c.jinja"}));
  EXPECT_EQ(t.frontend.root_path, "/api");
  EXPECT_EQ(*t.frontend.shutdown_timeout, std::chrono::seconds(30));
  EXPECT_TRUE(t.frontend.enable_request_id_headers);
  EXPECT_TRUE(t.frontend.disable_uvicorn_access_log);
  EXPECT_EQ(*t.frontend.chat_template, "/t/c.jinja");
  EXPECT_EQ(t.frontend.listen.host, "10.0.0.1");
  EXPECT_NE(MustFail({"m", "--ssl-keyfile", "/k.pem"}).find("TLS"), std::string::npos);
}

TEST(TranslatorTest, OtherCustomRows) {
  EXPECT_EQ(Middle(MustTranslate({"m", "--hf-overrides", R"({"rope_theta": 1000})"})),
            (Words{"--json-model-override-args", R"({"rope_theta":1000})"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--generation-config", "vllm"})), (Words{"--sampling-defaults", "openai"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--generation-config", "auto"})), (Words{"--sampling-defaults", "model"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--limit-mm-per-prompt", R"({"image": 2, "video": {"count": 1}})"})),
            (Words{"--limit-mm-data-per-request", R"({"image":2,"video":1})"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--limit-mm-per-prompt.image", "3"})),
            (Words{"--limit-mm-data-per-request", R"({"image":3})"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--runner", "pooling"})), (Words{"--is-embedding"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--cpu-offload-gb", "2.5"})), (Words{"--cpu-offload-gb", "3"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--master-addr", "10.0.0.2", "--master-port", "1234", "--nnodes", "2"})),
            (Words{"--dist-init-addr", "10.0.0.2:1234", "--nnodes", "2"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--distributed-executor-backend", "ray"})), (Words{"--use-ray"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--attention-backend", "FLASHINFER"})),
            (Words{"--attention-backend", "flashinfer"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--otlp-traces-endpoint", "http://127.0.0.1:4317"})),
            (Words{"--otlp-traces-endpoint", "http://127.0.0.1:4317", "--enable-trace"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--scheduling-policy", "priority"})), (Words{"--enable-priority-scheduling"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--tokenizer-mode", "slow"})), (Words{"--tokenizer-mode", "slow"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--cudagraph-capture-sizes", "1", "2", "4"})),
            (Words{"--cuda-graph-bs", "1", "2", "4"}));
}

TEST(TranslatorTest, HfTokenGoesToTheEnvironmentOnly) {
  Translation t = MustTranslate({"m", "--hf-token", "hf_secret"});
  EXPECT_TRUE(Middle(t).empty());
  ASSERT_EQ(t.sglang_env.size(), 1u);
  EXPECT_EQ(t.sglang_env[0].first, "HF_TOKEN");
  EXPECT_EQ(TranslationToJson(t).find("hf_secret"), std::string::npos);
  EXPECT_EQ(TranslationToText(t, {"python3"}).find("hf_secret"), std::string::npos);
}

TEST(TranslatorTest, LegacyFlagsAreAcceptedWithAWarning) {
  Translation t =
      MustTranslate({"m", "--swap-space", "4", "--disable-log-requests", "--device", "cuda", "--task", "embed"});
  EXPECT_EQ(Middle(t), (Words{"--device", "cuda", "--is-embedding"}));
  int legacy_warnings = 0;
  for (const std::string& w : t.warnings) legacy_warnings += w.find("removed from vLLM") != std::string::npos;
  EXPECT_EQ(legacy_warnings, 4);
  Settings strict;
  strict.strict = true;
  EXPECT_TRUE(Middle(MustTranslate({"m", "--swap-space", "4"}, strict)).empty());
}

TEST(TranslatorTest, UnknownFlagsWarnOrFailWhenStrict) {
  Translation t = MustTranslate({"m", "--no-such-flag", "1", "--dtype", "auto"});
  EXPECT_EQ(Middle(t), (Words{"--dtype", "auto"}));
  bool reported = false;
  for (const std::string& w : t.warnings) reported |= w.find("--no-such-flag 1") != std::string::npos;
  EXPECT_TRUE(reported);
  Settings strict;
  strict.strict = true;
  EXPECT_EQ(MustFail({"m", "--no-such-flag", "1"}, strict), "unrecognized arguments: --no-such-flag");
}

TEST(TranslatorTest, BadInputIsOneLineErrorNamingTheFlag) {
  EXPECT_EQ(MustFail({"m", "--port", "http"}), "argument --port: invalid int value: 'http'");
  EXPECT_NE(MustFail({"m", "--port", "65535"}).find("argument --port"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--port", "0"}).find("argument --port"), std::string::npos);
  EXPECT_EQ(MustFail({"m", "--max-model-len"}), "argument --max-model-len: expected one argument");
  EXPECT_NE(MustFail({"m", "--compilation-config", "{"}).find("argument --compilation-config: invalid JSON"),
            std::string::npos);
  EXPECT_NE(MustFail({"m", "--config", "/nonexistent/c.yaml"}).find("argument --config"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--config", "/tmp/c.txt"}).find("yaml"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--enforce-eager=1"}).find("argument --enforce-eager"), std::string::npos);
  EXPECT_NE(MustFail({"m", "--max"}).find("ambiguous option"), std::string::npos);
}

TEST(TranslatorTest, ConfigFileIsReadAndCommandLineWins) {
  std::string path = ::testing::TempDir() + "/translator_test_config.yaml";
  {
    std::ofstream out(path);
    out << "max_model_len: 2048\nenforce-eager: true\nenable-prefix-caching: false\nserved-model-name: [a, b]\n";
  }
  Translation t = MustTranslate({"m", "--config", path, "--max-model-len", "4096"});
  EXPECT_EQ(Middle(t), (Words{"--context-length", "4096", "--disable-cuda-graph", "--served-model-name", "a"}));
  EXPECT_EQ(t.frontend.served_model_names, (Words{"a", "b"}));
  std::remove(path.c_str());
}

TEST(TranslatorTest, BackendPortAndApiKeysFromSettings) {
  Settings settings;
  settings.backend_port = 30000;
  settings.vllm_api_keys = {"k1", "k2"};
  Translation t = MustTranslate({"m", "--port", "65535"}, settings);
  EXPECT_EQ(t.frontend.backend.port, 30000);
  EXPECT_EQ(t.frontend.api_keys, (Words{"k1", "k2"}));
  EXPECT_EQ(Middle(t), (Words{"--api-key", "k1"}));
  // --api-key wins over VLLM_API_KEY.
  Translation flag = MustTranslate({"m", "--api-key", "a1", "a2"}, settings);
  EXPECT_EQ(flag.frontend.api_keys, (Words{"a1", "a2"}));
  EXPECT_EQ(Middle(flag), (Words{"--api-key", "a1"}));
  settings.backend_port = 8000;
  EXPECT_NE(MustFail({"m"}, settings).find("VLLM_SGLANG_BACKEND_PORT"), std::string::npos);
}

TEST(TranslatorTest, ExtraArgsReplaceTranslatedFlags) {
  Settings settings;
  settings.extra_args = {"--tensor-parallel-size", "8",      "--mem-fraction-static=0.7",
                         "--enable-torch-compile", "--port", "31000"};
  Translation t = MustTranslate({"m", "-tp", "2", "--gpu-memory-utilization", "0.9", "--max-num-seqs", "4"}, settings);
  Words want = WithAddedTail({"--model-path", "m", "--host", "127.0.0.1", "--max-running-requests", "4"});
  want.insert(want.end(), {"--tensor-parallel-size", "8", "--mem-fraction-static=0.7", "--enable-torch-compile",
                           "--port", "31000"});
  EXPECT_EQ(t.sglang_argv, want);
  EXPECT_EQ(t.frontend.backend.port, 31000);
}

// A base64url API key begins with '-' one time in 64. SGLang's argparse would read a separate
// "-abc123" as an option, so the key is attached: --api-key=-abc123.
TEST(TranslatorTest, ApiKeyBeginningWithDash) {
  const std::string key = "-abc123";
  Settings from_env;
  from_env.vllm_api_keys = {key};
  for (const auto& [args, settings] : std::vector<std::pair<Words, Settings>>{
           {{"m"}, from_env}, {{"m", "--api-key=" + key}, Settings()}, {{"m", "--api_key=" + key}, from_env}}) {
    SCOPED_TRACE(args.back());
    Translation t = MustTranslate(args, settings);
    EXPECT_EQ(Middle(t), Words{"--api-key=" + key});
    EXPECT_EQ(t.frontend.api_keys, Words{key});
    EXPECT_EQ(TranslationToText(t, {"python3"}).find("abc123"), std::string::npos);
    EXPECT_EQ(TranslationToJson(t).find("abc123"), std::string::npos);
    for (const std::string& w : t.warnings) EXPECT_EQ(w.find("abc123"), std::string::npos) << w;
  }
  // Two words: argparse (and so vLLM) refuses, without quoting the key.
  std::string err = MustFail({"m", "--api-key", key});
  EXPECT_EQ(err.rfind("argument --api-key: expected at least one argument", 0), 0u) << err;
  EXPECT_EQ(err.find("abc123"), std::string::npos) << err;
  // A negative number is a value for argparse: accepted, and attached all the same.
  EXPECT_EQ(Middle(MustTranslate({"m", "--api-key", "-123"})), Words{"--api-key=-123"});
  // Only the first key reaches SGLang; the front door checks both.
  Translation two = MustTranslate({"m", "--api-key", "k1", "--api-key=-k2"});
  EXPECT_EQ(two.frontend.api_keys, Words{"-k2"});  // argparse: a repeated option replaces
}

// The same rule for every value the translation emits.
TEST(TranslatorTest, EveryValueBeginningWithDashIsAttached) {
  Translation t = MustTranslate({"m", "--served-model-name=-alias", "--chat-template=-t.jinja", "--seed", "-5",
                                 "--root-path=-r", "--lora-modules", R"({"name": "-a", "path": "/p"})"});
  EXPECT_EQ(Middle(t), (Words{"--served-model-name=-alias", "--chat-template=-t.jinja", "--random-seed=-5",
                              "--fastapi-root-path=-r", "--lora-paths=-a=/p"}));
  EXPECT_EQ(t.frontend.served_model_names, Words{"-alias"});
  Translation api = MustTranslate({"--model=-m"}, Settings(), EntryPoint::kApiServer);
  EXPECT_EQ(api.sglang_argv[0], "--model-path=-m");
  // A value that looks like an SGLang flag stays a value.
  EXPECT_EQ(Middle(MustTranslate({"m", "--cuda-graph-sizes=--port"})), Words{"--cuda-graph-bs=--port"});
  // Several values: plain negative numbers stay separate words (argparse reads them as values) ...
  EXPECT_EQ(Middle(MustTranslate({"m", "--cudagraph-capture-sizes", "-1", "2"})),
            (Words{"--cuda-graph-bs", "-1", "2"}));
  // ... anything else beginning with '-' cannot be written: a clear error naming both flags.
  EXPECT_EQ(
      MustFail({"m", "--lora-modules", R"({"name": "-a", "path": "/p"})", "b=/q"}),
      "argument --lora-modules: SGLang's --lora-paths cannot take several values when one of them begins with '-'");
}

// No message quotes an API key, even one repeated elsewhere on the command line.
TEST(TranslatorTest, MessagesNeverQuoteApiKeys) {
  Settings settings;
  settings.vllm_api_keys = {"-SeCrEt1"};
  Translation t = MustTranslate({"m", "--no-such-flag=-SeCrEt1", "--tokenizer-mode=-SeCrEt1"}, settings);
  ASSERT_FALSE(t.warnings.empty());
  for (const std::string& w : t.warnings) EXPECT_EQ(w.find("SeCrEt"), std::string::npos) << w;
  settings.strict = true;
  EXPECT_EQ(MustFail({"m", "--no-such-flag=-SeCrEt1"}, settings), "unrecognized arguments: --no-such-flag=***");
  EXPECT_EQ(MustFail({"m", "--api-key", "SeCrEt2", "--port", "SeCrEt2"}), "argument --port: invalid int value: '***'");
  // A bad config file: the value after --api-key is not quoted either.
  std::string path = ::testing::TempDir() + "/translator_test_key.yaml";
  {
    std::ofstream out(path);
    out << "api_key: -SeCrEt3\n";
  }
  std::string err = MustFail({"m", "--config", path});
  EXPECT_NE(err.find("argument --api-key"), std::string::npos) << err;
  EXPECT_EQ(err.find("SeCrEt"), std::string::npos) << err;
  std::remove(path.c_str());
}

// The argv fuzzer found `vllm serve m --hf-overrides.a+ $'\xaf'` aborting the binary (nlohmann
// type_error.316 while dumping). vLLM accepts such bytes; SGLang gets U+FFFD in their place.
TEST(TranslatorTest, JsonWithBytesThatAreNotUtf8) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(Middle(MustTranslate({"m", "--hf-overrides.a+", "\xAF"})),
            (Words{"--json-model-override-args", "{\"a\":[\"" + replacement + "\"]}"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--hf-overrides", "{\"a\": \"\xAF\"}"})),
            (Words{"--json-model-override-args", "{\"a\":\"" + replacement + "\"}"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--limit-mm-per-prompt", "{\"im\xAF\": 2}"})),
            (Words{"--limit-mm-data-per-request", "{\"im" + replacement + "\":2}"}));
  EXPECT_EQ(Middle(MustTranslate({"m", "--speculative-config", "{\"method\": \"eagle\", \"model\": \"d\xAF\"}"})),
            (Words{"--speculative-algorithm", "EAGLE", "--speculative-draft-model-path", "d" + replacement}));
  Translation lora = MustTranslate({"m", "--lora-modules", "{\"name\": \"a\xAF\", \"path\": \"/p\"}"});
  EXPECT_EQ(lora.frontend.lora_modules[0].name, "a" + replacement);
  // Rendering never throws either.
  Translation raw = MustTranslate({"m\xAF", "--served-model-name", "\xAF", "--no-such-flag", "\xAF"});
  EXPECT_NE(TranslationToJson(raw).find(replacement), std::string::npos);
  EXPECT_FALSE(TranslationToText(raw, {"python3"}).empty());
}

TEST(TranslatorTest, JsonNestedTooDeepIsAnErrorNamingTheFlag) {
  const std::string deep = std::string(600, '[') + std::string(600, ']');
  EXPECT_EQ(MustFail({"m", "--hf-overrides", "{\"a\": " + deep + "}"}),
            "argument --hf-overrides: JSON nested deeper than 512 levels");
  EXPECT_EQ(MustFail({"m", "--speculative-config", deep}),
            "argument --speculative-config: JSON nested deeper than 512 levels");
  EXPECT_EQ(MustFail({"m", "--hf-overrides.a", deep}), "argument --hf-overrides: JSON nested deeper than 512 levels");
}
}  // namespace
}  // namespace shim
