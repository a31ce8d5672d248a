// Parses `sglang.launch_server` arguments the way SGLang's argparse parser does
// (python/sglang/srt/server_args.py: prepare_server_args → parser.parse_args, allow_abbrev=True),
// so a translation SGLang would refuse is refused here too, with the same message and exit code 2.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shim {
class SglangRelease;
}

namespace shim::fake_sglang {

// argparse's prog for SGLang's server parser (prepare_server_args uses "sglang serve").
inline constexpr std::string_view kSglangProg = "sglang serve";

// Values by argparse dest. A store_true flag that was given holds {"true"}; a
// BooleanOptionalAction holds {"true"} or {"false"}; list-valued flags hold every value.
class ParsedArgs {
 public:
  bool Has(const std::string& dest) const { return values_.count(dest) != 0; }
  std::optional<std::string> Get(const std::string& dest) const;
  std::vector<std::string> List(const std::string& dest) const;
  bool Flag(const std::string& dest) const;  // given and not "false"
  std::optional<long long> Int(const std::string& dest) const;
  void Set(const std::string& dest, std::vector<std::string> values) { values_[dest] = std::move(values); }
  const std::map<std::string, std::vector<std::string>>& all() const { return values_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

enum class CliOutcome { kOk, kHelp, kError };

// On kError, *message holds what argparse prints to stderr (usage line, then
// "<prog>: error: ..."); the caller exits 2. On kHelp, *message holds the help text; exit 0.
CliOutcome ParseSglangArgs(const std::vector<std::string>& args, ParsedArgs* out, std::string* message);

// Parse as `release` would (its flags, aliases and choices; FAKE_SGLANG_RELEASE), or as the
// newest recorded release when nullptr.
void EmulateSglangRelease(const SglangRelease* release);

// argparse's usage line, wrapped as argparse wraps it.
std::string SglangUsage();

// Python's repr() of a str, as argparse uses it in messages ('x', or "x" when x holds a quote).
std::string PythonRepr(std::string_view text);

}  // namespace shim::fake_sglang
