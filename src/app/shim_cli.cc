// The `vllm-sglang-shim` personality: serve, api-server and translate.
#include <iostream>

#include "app/commands.h"
#include "version.h"

namespace shim {
namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: vllm-sglang-shim {serve,api-server,translate} ...\n\n"
         "Runs SGLang wherever vLLM is expected. Version " SHIM_VERSION
         ".\n\n"
         "commands:\n"
         "  serve [model] [vLLM flags]        same as `vllm serve`\n"
         "  api-server --model M [vLLM flags]  same as `python -m vllm.entrypoints.openai.api_server`\n"
         "  translate [--json] [--api-server] [--sglang-version V] [vLLM serve args]\n"
         "                                    print the SGLang command line and what became of each flag\n"
         "  flag-table                        print the vLLM→SGLang flag table (Markdown, as in the README)\n"
         "  --version                         print the version\n";
}

}  // namespace

int RunShimCli(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    PrintUsage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--version" || command == "-v") {
    std::cout << "vllm-sglang-shim " << SHIM_VERSION << "\n";
    return 0;
  }
  if (command == "serve") return RunVllmCli(args);  // identical to `vllm serve`, help included
  if (command == "api-server") return RunServe(rest, EntryPoint::kApiServer);
  if (command == "translate") return RunTranslate(rest);
  if (command == "flag-table") {
    std::cout << TranslationTableMarkdown();
    return 0;
  }
  PrintUsage(std::cerr);
  std::cerr << "vllm-sglang-shim: error: unknown command '" << command << "'\n";
  return 2;
}

}  // namespace shim
