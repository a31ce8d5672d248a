// vllm-sglang-shim: one executable, two personalities chosen by argv[0].
// Started as `vllm` (a symlink) it behaves as vLLM's CLI; under any other name
// it offers the shim's own subcommands.
#include <csignal>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.h"

int main(int argc, char** argv) {
  // Writes to a vanished client are handled as errors, never as a signal.
  std::signal(SIGPIPE, SIG_IGN);
  std::string_view program = argc > 0 ? argv[0] : "vllm-sglang-shim";
  size_t slash = program.rfind('/');
  if (slash != std::string_view::npos) program.remove_prefix(slash + 1);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (program == "vllm") return shim::RunVllmCli(args);
  return shim::RunShimCli(args);
}
