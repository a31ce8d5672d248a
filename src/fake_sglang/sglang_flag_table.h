// SGLang's command-line flags, embedded so fake-sglang accepts exactly what
// `python -m sglang.launch_server` accepts (python/sglang/srt/server_args.py).
// The table is generated from data/reference/sglang-flags.json by tools/gen_sglang_flag_table.py.
#pragma once
#include <span>

namespace shim::fake_sglang {

struct SglangFlagSpec {
  const char* flag;         // primary option string, e.g. "--model-path"
  const char* aliases;      // other option strings joined by '|', "" when none
  const char* action;       // argparse action class short name ("store", "store_true", ...)
  const char* nargs;        // "" (one value), "0", "+", "*", "?"
  const char* type;         // "str", "int", "float", "json", ... or "" for zero-arg actions
  const char* choices;      // allowed values joined by '|', nullptr when unrestricted
  const char* dest;         // argparse destination attribute
  bool takes_value;
};

std::span<const SglangFlagSpec> SglangFlagTable();

}  // namespace shim::fake_sglang
