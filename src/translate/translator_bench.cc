// Start-up cost of translating a typical production-stack command line.
#include <benchmark/benchmark.h>

#include "translate/translator.h"

namespace shim {
namespace {

void BM_TranslateHelmCommand(benchmark::State& state) {
  const std::vector<std::string> args{"meta-llama/Llama-3.1-8B-Instruct",
                                      "--host",
                                      "0.0.0.0",
                                      "--port",
                                      "8000",
                                      "--no-enable-prefix-caching",
                                      "--max-model-len",
                                      "4096",
                                      "--max-num-seqs",
                                      "32",
                                      "--gpu_memory_utilization",
                                      "0.8",
                                      "--max_loras",
                                      "4",
                                      "--kv-transfer-config",
                                      R"({"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"})"};
  Settings settings;
  for (auto _ : state) {
    Translation t;
    std::string err;
    bool ok = TranslateVllmArgs(args, EntryPoint::kVllmServe, settings, &t, &err);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_TranslateHelmCommand);

}  // namespace
}  // namespace shim
