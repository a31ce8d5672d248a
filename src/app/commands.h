// The shim's command-line entry points, one per file.
#pragma once
#include <string>
#include <vector>

#include "translate/translator.h"

namespace shim {

// `vllm serve ...`, `vllm-sglang-shim serve ...` and `... api-server ...`:
// translate, launch SGLang, serve the front door until SGLang exits or a signal
// ends the process. Returns the process exit code.
int RunServe(const std::vector<std::string>& args, EntryPoint entry);

// `vllm-sglang-shim translate [--json] [--api-server] <vllm serve args>`.
int RunTranslate(const std::vector<std::string>& args);

// The two personalities, chosen by the name the binary was started as.
int RunVllmCli(const std::vector<std::string>& args);
int RunShimCli(const std::vector<std::string>& args);

}  // namespace shim
