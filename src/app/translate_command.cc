// `vllm-sglang-shim translate`: shows what `vllm serve` would launch, without launching.
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "common/strings.h"
#include "config/settings.h"

namespace shim {

int RunTranslate(const std::vector<std::string>& args) {
  bool json = false;
  EntryPoint entry = EntryPoint::kVllmServe;
  std::optional<std::string> sglang_version;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--api-server") {
      entry = EntryPoint::kApiServer;
    } else if (args[i] == "--sglang-version" || StartsWith(args[i], "--sglang-version=")) {
      if (args[i].size() > 16) {
        sglang_version = args[i].substr(17);
      } else if (i + 1 < args.size()) {
        sglang_version = args[++i];
      } else {
        std::cerr << "vllm-sglang-shim translate: error: --sglang-version needs a version or release\n";
        return 2;
      }
    } else {
      break;
    }
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
  // The version given here wins over VLLM_SGLANG_SGLANG_VERSION; without either, the newest
  // recorded release (translate never runs the launcher: what it shows must not depend on it).
  if (sglang_version) settings.sglang_version = sglang_version;
  ReleaseChoice release;
  if (!ReleaseFromSettings(settings, &release, &err)) {
    if (sglang_version) err = "--sglang-version" + err.substr(err.find(':'));
    std::cerr << "vllm-sglang-shim translate: error: " << err << "\n";
    return 2;
  }
  Translation translation;
  if (!TranslateVllmArgsFor(release, vllm_args, entry, settings, &translation, &err)) {
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
