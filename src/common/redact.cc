#include "common/redact.h"

#include "common/strings.h"

namespace shim {

bool IsSecretFlag(const std::string& flag) {
  if (!StartsWith(flag, "--")) return false;
  std::string name = ToLower(flag.substr(2));
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  // Secrets are named after what they are, on both the vLLM and SGLang side
  // (--api-key, --admin-api-key, --hf-token). Whole words only: --max-num-batched-tokens
  // and --tokenizer are not secrets. Nor are these numeric flags that end in "-token"
  // (data/reference/sglang-flags.json, vllm-flags-legacy.json): the shim passes vLLM's
  // histogram bounds with the first, and a log must show them.
  for (const char* numeric :
       {"bucket-time-to-first-token", "kt-max-deferred-experts-per-token", "max-prompt-adapter-token"}) {
    if (name == numeric) return false;
  }
  for (const char* word : {"api-key", "token", "secret", "password"}) {
    if (name == word || EndsWith(name, std::string("-") + word)) return true;
  }
  return false;
}

std::vector<std::string> RedactArgv(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  bool redact_next = false;
  bool first_value = false;
  for (const std::string& arg : argv) {
    // The word right after a secret flag is its value even when it begins with
    // a single '-' (base64url keys do: "--api-key -abc"); later words are
    // values until the next option (multi-value flags: --api-key a b).
    if (redact_next && (first_value ? !StartsWith(arg, "--") : !StartsWith(arg, "-"))) {
      out.push_back("***");
      first_value = false;
      continue;
    }
    redact_next = false;
    first_value = false;
    size_t eq = arg.find('=');
    std::string flag = eq == std::string::npos ? arg : arg.substr(0, eq);
    if (IsSecretFlag(flag)) {
      if (eq == std::string::npos) {
        redact_next = true;
        first_value = true;
        out.push_back(arg);
      } else {
        out.push_back(flag + "=***");
      }
      continue;
    }
    out.push_back(arg);
  }
  return out;
}

}  // namespace shim
