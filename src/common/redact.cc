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
  // and --tokenizer are not secrets.
  for (const char* word : {"api-key", "token", "secret", "password"}) {
    if (name == word || EndsWith(name, std::string("-") + word)) return true;
  }
  return false;
}

std::vector<std::string> RedactArgv(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  bool redact_next = false;
  for (const std::string& arg : argv) {
    if (redact_next && !StartsWith(arg, "-")) {
      out.push_back("***");
      continue;  // multi-value secret flags (--api-key a b) keep redacting
    }
    redact_next = false;
    size_t eq = arg.find('=');
    std::string flag = eq == std::string::npos ? arg : arg.substr(0, eq);
    if (IsSecretFlag(flag)) {
      if (eq == std::string::npos) {
        redact_next = true;
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
