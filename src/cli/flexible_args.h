// The argv rewriting vLLM's FlexibleArgumentParser.parse_args does before argparse sees
// anything (vllm/utils/argparse_utils.py):
//   1. `vllm serve`: --model X / --model=X is moved to the positional slot (with a warning);
//   2. --config file.yaml is expanded in place (after the positional model), so CLI > config;
//   3. underscores in option names become dashes (up to the first "."), values untouched;
//   4. -O3 / -O=3 / -Odecode / "-O <0..3>" become --optimization-level <v>;
//   5. dotted JSON keys (--kv-transfer-config.kv_role kv_both, -cc.mode 3, key+ appends)
//      are merged into one JSON object per flag and appended as "--flag <json>".
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace shim {

struct ExpandOptions {
  bool serve = true;  // `vllm serve ...` (false: python -m vllm.entrypoints.openai.api_server)
  // Reads --config; defaults to LoadConfigFileArgs. Tests and the fuzzer replace it.
  std::function<bool(const std::string& path, std::vector<std::string>* args, std::string* err)> load_config;
};

struct ExpandedArgv {
  std::vector<std::string> words;
  std::vector<std::string> warnings;
};

// args: the words after "serve" (or after the api_server program name).
bool ExpandVllmArgv(const std::vector<std::string>& args, const ExpandOptions& options, ExpandedArgv* out,
                    std::string* err);

// Step 3 alone: "--max_num_seqs=4" -> "--max-num-seqs=4", "--kv_transfer_config.kv_role"
// -> "--kv-transfer-config.kv_role".
std::string NormalizeOptionName(const std::string& word);

}  // namespace shim
