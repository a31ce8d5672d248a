// Keeps secrets out of logs: API keys and tokens in command lines and headers.
#pragma once
#include <string>
#include <vector>

namespace shim {

// Returns argv with the value of every secret-bearing flag (--api-key, --hf-token,
// --admin-api-key, ...) replaced by "***", in both "--flag value" and
// "--flag=value" forms.
std::vector<std::string> RedactArgv(const std::vector<std::string>& argv);

// True for flag names whose value is a secret (matched after "--", dashes or underscores).
bool IsSecretFlag(const std::string& flag);

}  // namespace shim
