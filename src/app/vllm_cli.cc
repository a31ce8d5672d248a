// The `vllm` personality: vLLM's top-level CLI (vllm/entrypoints/cli/main.py),
// of which only `serve` is provided.
#include <cstdio>
#include <iostream>

#include "app/commands.h"
#include "common/strings.h"
#include "version.h"

namespace shim {
namespace {

// vLLM's other subcommands (vllm/entrypoints/cli/__init__.py at 9aaf83ef).
constexpr const char* kUnprovided[] = {"chat", "complete", "bench", "collect-env", "run-batch", "launch"};

void PrintUsage(std::ostream& out) {
  out << "usage: vllm [-h] [-v] {serve} ...\n\n"
         "vLLM CLI, provided by vllm-sglang-shim " SHIM_VERSION
         ": `vllm serve` runs SGLang.\n\n"
         "positional arguments:\n"
         "  {serve}\n"
         "    serve        Launch a local OpenAI-compatible API server (backed by SGLang).\n\n"
         "options:\n"
         "  -h, --help     show this help message and exit\n"
         "  -v, --version  show program's version number and exit\n";
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help" || StartsWith(a, "--help=")) return true;
  }
  return false;
}

}  // namespace

int RunVllmCli(const std::vector<std::string>& args) {
  if (args.empty()) {
    PrintUsage(std::cout);  // vLLM prints help when no subcommand is given
    return 0;
  }
  const std::string& command = args[0];
  if (command == "-h" || command == "--help") {
    PrintUsage(std::cout);
    return 0;
  }
  if (command == "-v" || command == "--version") {
    std::cout << SHIM_VERSION << "\n";
    return 0;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "serve") {
    if (WantsHelp(rest)) {
      std::cout << ServeHelpText();
      return 0;
    }
    return RunServe(rest, EntryPoint::kVllmServe);
  }
  for (const char* name : kUnprovided) {
    if (command == name) {
      std::cerr << "vllm: '" << command
                << "' is not provided by vllm-sglang-shim, which runs SGLang for `vllm serve` only\n";
      return 2;
    }
  }
  PrintUsage(std::cerr);
  std::cerr << "vllm: error: argument subparser: invalid choice: '" << command << "' (choose from 'serve')\n";
  return 2;
}

}  // namespace shim
