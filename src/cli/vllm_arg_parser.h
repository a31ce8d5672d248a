// argparse as vLLM configures it, over already-normalised words (flexible_args.h):
// exact option strings, unique-prefix abbreviations (allow_abbrev=True), "--flag=value",
// short aliases with attached values ("-tp=2", "-q fp8"), --X/--no-X booleans, nargs "+"
// and "?", append actions, argparse's negative-number rule, and type/choices checks.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/vllm_flag_spec.h"

namespace shim {

struct ParsedFlag {
  size_t spec = 0;                  // index into the spec list given to ParseVllmArgs
  std::string spelling;             // canonical name used: "--x", "--no-x", or a legacy name
  bool negated = false;             // given as --no-X
  std::vector<std::string> values;  // raw values (empty for booleans)
};

struct ParsedArgs {
  std::optional<std::string> model_tag;  // the positional model
  std::vector<ParsedFlag> flags;         // first-occurrence order; a repeat replaces (append: adds)
  std::vector<std::string> unknown;      // unknown options dropped (non-strict), with their values
  std::vector<std::string> warnings;
};

struct ParseOptions {
  bool strict = false;  // unknown options and stray positionals are errors
  // When set, receives the values of secret flags (--api-key, --hf-token; common/redact.h) as
  // they are parsed, also when parsing then fails, so that the caller can keep them out of
  // the error message.
  std::vector<std::string>* secrets = nullptr;
};

// Returns false with one argparse-style line in *err ("argument --port: invalid int value: 'x'").
bool ParseVllmArgs(const std::vector<std::string>& words, const std::vector<VllmFlagSpec>& specs,
                   const ParseOptions& options, ParsedArgs* out, std::string* err);

// Checks one value against a spec's type and choices (as argparse's type= and choices= do).
bool CheckFlagValue(const VllmFlagSpec& spec, const std::string& value, std::string* err);

// vLLM's T | None fields read "" and "None" as unset.
bool IsNoneValue(const std::string& value);

}  // namespace shim
