// `vllm-sglang-shim translate`: shows what `vllm serve` would launch, without launching.
#include <iostream>

#include "app/commands.h"
#include "config/settings.h"

namespace shim {

int RunTranslate(const std::vector<std::string>& args) {
  bool json = false;
  EntryPoint entry = EntryPoint::kVllmServe;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    if (args[i] == "--json")
      json = true;
    else if (args[i] == "--api-server")
      entry = EntryPoint::kApiServer;
    else
      break;
  }
  // Accept a pasted command line: `translate vllm serve model ...`.
  if (i < args.size() && args[i] == "vllm") ++i;
  if (i < args.size() && args[i] == "serve") ++i;
  std::vector<std::string> vllm_args(args.begin() + i, args.end());

  Settings settings;
  std::string err;
  if (!LoadSettings(ProcessEnv(), &settings, &err)) {
    std::cerr << "vllm-sglang-shim: error: " << err << "\n";
    return 2;
  }
  Translation translation;
  if (!TranslateVllmArgs(vllm_args, entry, settings, &translation, &err)) {
    std::cerr << "vllm serve: error: " << err << "\n";
    return 2;
  }
  if (json)
    std::cout << TranslationToJson(translation) << "\n";
  else
    std::cout << TranslationToText(translation, settings.launcher);
  return 0;
}

}  // namespace shim
