// `vllm serve --config file.yaml`: vLLM's FlexibleArgumentParser.load_config_file
// (vllm/utils/argparse_utils.py) turns each top-level key into command-line words:
//   key: true        -> --key
//   key: false       -> (dropped; YAML cannot switch a default-on flag off)
//   key: [a, b]      -> --key a b      (an empty list is dropped)
//   key: {a: 1}      -> --key '{"a": 1}'
//   key: other       -> --key <str(value)>
// Later normalisation turns key underscores into dashes, so either spelling works.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace shim {

// Only .yaml/.yml paths are accepted, as in vLLM. Returns false with a one-line *err.
bool LoadConfigFileArgs(const std::string& path, std::vector<std::string>* args, std::string* err);

// The same conversion from YAML text already in memory (tests and the fuzzer use it).
bool ConfigYamlToArgs(std::string_view yaml_text, std::vector<std::string>* args, std::string* err);

}  // namespace shim
