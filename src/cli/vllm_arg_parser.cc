#include "cli/vllm_arg_parser.h"

#include <map>
#include <utility>
#include <nlohmann/json.hpp>

#include "cli/human_readable_int.h"
#include "cli/json_arg.h"
#include "common/redact.h"
#include "common/strings.h"

namespace shim {
namespace {

struct Target {
  size_t spec = 0;
  bool negated = false;
  std::string name;  // the option string matched
};

class OptionIndex {
 public:
  explicit OptionIndex(const std::vector<VllmFlagSpec>& specs) {
    for (size_t i = 0; i < specs.size(); ++i) {
      const VllmFlagSpec& spec = specs[i];
      auto& table = spec.legacy ? legacy_ : current_;
      Add(&table, spec.flag, i, false);
      for (const std::string& alias : SpecAliases(spec)) {
        // -O is not a real option: flexible_args rewrites -O3/-O=3/"-O 3"; what remains
        // ("-O '{json}'") is the legacy compilation-config alias.
        if (!spec.legacy && alias == "-O") continue;
        Add(&table, alias, i, false);
      }
      std::string negated = NegatedName(spec);
      if (!negated.empty()) Add(&table, negated, i, true);
    }
  }

  // Exact match, then a unique prefix among current options, then among legacy ones.
  // *ambiguous lists the candidates when a prefix matches several current options.
  std::optional<Target> Find(const std::string& name, std::vector<std::string>* ambiguous) const {
    if (auto it = current_.find(name); it != current_.end()) return it->second;
    if (auto it = legacy_.find(name); it != legacy_.end()) return it->second;
    if (name.size() < 2 || name[0] != '-') return std::nullopt;
    for (const auto* table : {&current_, &legacy_}) {
      std::vector<const Target*> hits;
      std::vector<std::string> names;
      for (auto it = table->lower_bound(name); it != table->end() && StartsWith(it->first, name); ++it) {
        // "--x" abbreviates only long options; "-x" only single-dash ones.
        if (StartsWith(name, "--") != StartsWith(it->first, "--")) continue;
        hits.push_back(&it->second);
        names.push_back(it->first);
      }
      if (hits.size() == 1) return *hits[0];
      if (hits.size() > 1) {
        *ambiguous = names;
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

 private:
  static void Add(std::map<std::string, Target>* table, const std::string& name, size_t spec, bool negated) {
    table->emplace(name, Target{spec, negated, name});  // first row wins ("--preemption_mode" duplicates)
  }
  std::map<std::string, Target> current_;
  std::map<std::string, Target> legacy_;
};

bool IsNegativeNumber(const std::string& word) {
  return word.size() > 1 && word[0] == '-' && ParseDouble(word).has_value();
}

// argparse's _parse_optional: does this word start an option (known or not)?
bool LooksLikeOption(const std::string& word, const OptionIndex& index) {
  if (word.size() < 2 || word[0] != '-') return false;
  std::vector<std::string> ambiguous;
  std::string name = word.substr(0, word.find('='));
  if (index.Find(name, &ambiguous) || !ambiguous.empty()) return true;
  if (IsNegativeNumber(word)) return false;
  if (word.find(' ') != std::string::npos) return false;
  return true;
}

std::string Quote(const std::string& value) { return "'" + value + "'"; }

// `next`: the word after the flag, when there is one.
bool ExpectedValueCount(ArgKind kind, size_t count, const std::string& flag, const std::string* next,
                        std::string* err) {
  if ((kind == ArgKind::kValue || kind == ArgKind::kAppend) && count != 1) {
    *err = "argument " + flag + ": expected one argument";
  } else if (kind == ArgKind::kOneOrMore && count == 0) {
    *err = "argument " + flag + ": expected at least one argument";
  } else {
    return true;
  }
  // argparse's message, plus how to give a value that begins with '-' (an API key may).
  if (next && StartsWith(*next, "-") && !StartsWith(*next, "--"))
    *err += " (write a value that begins with '-' as " + flag + "=VALUE)";
  return false;
}

// How a message names the word after a secret flag's values (--api-key k1 -k2, --api-key=k1
// k2): most likely another key, so never the word itself.
std::string HiddenWord(const std::string& secret_flag) {
  return "*** (the word after " + secret_flag +
         " is not shown: it may be a secret; write a key that begins with '-' as " + secret_flag + "=KEY)";
}

}  // namespace

bool IsNoneValue(const std::string& value) { return value.empty() || value == "None"; }

bool CheckFlagValue(const VllmFlagSpec& spec, const std::string& raw, std::string* err) {
  const std::string flag = spec.flag;
  std::vector<std::string> choices = SpecChoices(spec);
  if (!choices.empty()) {
    std::string value = raw;
    if (flag == "--moe-backend" || flag == "--linear-backend") {
      // vllm/config/kernel.py lower-cases and turns '-' into '_' before the check.
      value = ToLower(value);
      for (char& c : value) {
        if (c == '-') c = '_';
      }
    }
    for (const std::string& choice : choices) {
      if (choice == value) return true;
    }
    std::vector<std::string> quoted;
    for (const std::string& choice : choices) quoted.push_back(Quote(choice));
    *err = "argument " + flag + ": invalid choice: " + Quote(raw) + " (choose from " + JoinStrings(quoted, ", ") + ")";
    return false;
  }
  if (spec.legacy) return true;  // removed flags: their value is dropped, never read
  bool none_ok = IsNoneValue(raw);
  std::string why;
  switch (spec.type) {
    case ValueType::kInt:
      if (none_ok || ParseInt(TrimSpaces(raw))) return true;
      *err = "argument " + flag + ": invalid int value: " + Quote(raw);
      return false;
    case ValueType::kFloat:
      if (none_ok || ParseDouble(TrimSpaces(raw))) return true;
      *err = "argument " + flag + ": invalid float value: " + Quote(raw);
      return false;
    case ValueType::kHumanInt: {
      long long ignored = 0;
      if (none_ok || ParseHumanReadableInt(raw, &ignored, &why)) return true;
      *err = "argument " + flag + ": " + why;
      return false;
    }
    case ValueType::kHumanIntOrAuto: {
      long long ignored = 0;
      bool is_auto = false;
      if (none_ok || ParseHumanReadableIntOrAuto(raw, &ignored, &is_auto, &why)) return true;
      *err = "argument " + flag + ": " + why;
      return false;
    }
    case ValueType::kJson: {
      if (none_ok) return true;
      bool too_deep = false;
      nlohmann::json parsed = ParseJsonArg(raw, &too_deep);
      if (too_deep) {
        *err = "argument " + flag + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return false;
      }
      if (!parsed.is_discarded()) return true;
      *err = "argument " + flag + ": invalid JSON value: " + Quote(raw.size() > 200 ? raw.substr(0, 200) + "..." : raw);
      return false;
    }
    default:
      return true;
  }
}

bool ParseVllmArgs(const std::vector<std::string>& words, const std::vector<VllmFlagSpec>& specs,
                   const ParseOptions& options, ParsedArgs* out, std::string* err) {
  OptionIndex index(specs);
  ParsedArgs result;
  std::map<size_t, size_t> position;  // spec index -> slot in result.flags
  bool options_ended = false;         // after "--" every word is positional
  std::string after_secret;           // a secret flag whose values just ended: the next word is hidden

  auto add_positional = [&](const std::string& word, const std::string& hidden_after) -> bool {
    if (!result.model_tag) {
      result.model_tag = word;
      return true;
    }
    // A stray word is a mistake on every vLLM version (e.g. `--enforce-eager true`),
    // unlike an unknown flag, which may come from a newer or older stack.
    *err = "unrecognized arguments: " + (hidden_after.empty() ? word : HiddenWord(hidden_after));
    return false;
  };

  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const std::string hidden_after = std::exchange(after_secret, "");
    if (options_ended || !LooksLikeOption(word, index)) {
      if (word == "--" && !options_ended) {
        options_ended = true;
        continue;
      }
      if (!add_positional(word, hidden_after)) return false;
      continue;
    }
    if (word == "--") {
      options_ended = true;
      continue;
    }
    std::string name = word;
    std::optional<std::string> explicit_value;
    std::vector<std::string> ambiguous;
    std::optional<Target> target = index.Find(name, &ambiguous);
    if (!target && ambiguous.empty()) {
      size_t eq = word.find('=');
      if (eq != std::string::npos) {
        name = word.substr(0, eq);
        explicit_value = word.substr(eq + 1);
        target = index.Find(name, &ambiguous);
      } else if (word.size() > 2 && word[1] != '-') {
        // "-qfp8": a one-letter option with its value attached.
        std::vector<std::string> unused;
        std::optional<Target> shortopt = index.Find(word.substr(0, 2), &unused);
        if (shortopt && shortopt->name.size() == 2 && TakesValue(specs[shortopt->spec].kind)) {
          target = shortopt;
          name = word.substr(0, 2);
          explicit_value = word.substr(2);
        }
      }
    }
    if (!ambiguous.empty()) {
      *err = "ambiguous option: " + (hidden_after.empty() ? name : HiddenWord(hidden_after)) + " could match " +
             JoinStrings(ambiguous, ", ");
      return false;
    }
    if (!target) {
      if (options.strict) {
        *err = "unrecognized arguments: " + (hidden_after.empty() ? RedactArgv({word})[0] : HiddenWord(hidden_after));
        return false;
      }
      std::vector<std::string> dropped{word};
      // Without the flag's definition its values are the words up to the next option.
      while (word.find('=') == std::string::npos && i + 1 < words.size() && !LooksLikeOption(words[i + 1], index)) {
        dropped.push_back(words[++i]);
      }
      // An unknown flag named like a secret (--admin-api-key X) has its value hidden too.
      result.unknown.push_back(hidden_after.empty() ? JoinStrings(RedactArgv(dropped), " ") : HiddenWord(hidden_after));
      continue;
    }

    const VllmFlagSpec& spec = specs[target->spec];
    const std::string display = target->negated ? NegatedName(spec) : std::string(spec.flag);
    std::vector<std::string> values;
    if (!TakesValue(spec.kind)) {
      if (explicit_value) {
        *err = "argument " + display + ": ignored explicit argument " + Quote(*explicit_value);
        return false;
      }
    } else if (explicit_value) {
      values.push_back(*explicit_value);
    } else {
      size_t limit = spec.kind == ArgKind::kOneOrMore ? words.size() : 1;
      while (values.size() < limit && i + 1 < words.size() && !LooksLikeOption(words[i + 1], index) &&
             words[i + 1] != "--") {
        values.push_back(words[++i]);
      }
    }
    const std::string* next = explicit_value || i + 1 >= words.size() ? nullptr : &words[i + 1];
    if (spec.kind != ArgKind::kOptionalValue && !ExpectedValueCount(spec.kind, values.size(), display, next, err)) {
      return false;
    }
    if (IsSecretFlag(spec.flag)) {
      after_secret = display;
      if (options.secrets) options.secrets->insert(options.secrets->end(), values.begin(), values.end());
    }
    for (const std::string& value : values) {
      if (!CheckFlagValue(spec, value, err)) return false;
    }

    auto slot = position.find(target->spec);
    if (slot == position.end()) {
      position[target->spec] = result.flags.size();
      result.flags.push_back(ParsedFlag{target->spec, display, target->negated, std::move(values)});
      continue;
    }
    ParsedFlag& existing = result.flags[slot->second];
    if (spec.kind == ArgKind::kAppend) {
      existing.values.insert(existing.values.end(), values.begin(), values.end());
      continue;
    }
    result.warnings.push_back(display + " is given more than once; the last value wins");
    existing.spelling = display;
    existing.negated = target->negated;
    existing.values = std::move(values);
  }
  *out = std::move(result);
  return true;
}

}  // namespace shim
