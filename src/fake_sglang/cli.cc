#include "fake_sglang/cli.h"

#include <nlohmann/json.hpp>
#include <regex>

#include "common/strings.h"
#include "translate/sglang_flags.h"
#include "translate/sglang_release.h"

namespace shim::fake_sglang {
namespace {

// One option string (primary or alias) and the flag it belongs to, in argparse's
// registration order: -h/--help first, then each flag's option strings.
struct OptionString {
  std::string text;
  const SglangFlag* spec;  // nullptr for -h/--help
};

const SglangRelease*& EmulatedRelease() {
  static const SglangRelease* release = nullptr;
  return release;
}

std::vector<OptionString>& OptionStringStore() {
  static std::vector<OptionString> strings;
  return strings;
}

// The newest list's option strings, less those the emulated release lacks.
const std::vector<OptionString>& OptionStrings() {
  std::vector<OptionString>& strings = OptionStringStore();
  if (!strings.empty()) return strings;
  const SglangRelease* release = EmulatedRelease();
  strings = {{"-h", nullptr}, {"--help", nullptr}};
  for (const SglangFlag& spec : SglangFlags()) {
    std::vector<std::string> texts{spec.flag};
    for (const std::string& alias : SplitString(spec.aliases, ' ')) {
      if (!alias.empty()) texts.push_back(alias);
    }
    for (const std::string& text : texts) {
      if (!release || release->Find(text)) strings.push_back({text, &spec});
    }
  }
  return strings;
}

// The flag's choices: the emulated release's when there is one.
std::vector<std::string> ChoicesOf(const SglangFlag& spec) {
  if (const SglangRelease* release = EmulatedRelease()) {
    if (const ReleaseFlag* flag = release->Find(spec.flag)) return flag->choices;
  }
  if (*spec.choices == '\0') return {};
  return SplitString(spec.choices, '|');
}

const OptionString* FindExact(std::string_view text) {
  for (const OptionString& option : OptionStrings()) {
    if (option.text == text) return &option;
  }
  return nullptr;
}

// "--model-path/--model", the name argparse uses in "argument X: ..." messages.
std::string ArgumentName(const SglangFlag* spec) {
  if (spec == nullptr) return "-h/--help";
  std::string name = spec->flag;
  for (const std::string& alias : SplitString(spec->aliases, ' ')) {
    if (!alias.empty()) name += "/" + alias;
  }
  return name;
}

bool LooksLikeNegativeNumber(std::string_view text) {
  static const std::regex negative(R"(^-\d+$|^-\d*\.\d+$)");
  return std::regex_match(text.begin(), text.end(), negative);
}

// What argparse's _parse_optional makes of one argument.
struct Classified {
  enum Kind { kPositional, kOption, kUnknownOption, kAmbiguous } kind = kPositional;
  const OptionString* option = nullptr;
  std::optional<std::string> explicit_value;  // from --flag=value
  std::string ambiguity;                      // "--a, --b" for kAmbiguous
};

Classified Classify(const std::string& arg) {
  Classified result;
  if (arg.empty() || arg[0] != '-') return result;
  if (const OptionString* exact = FindExact(arg)) {
    result.kind = Classified::kOption;
    result.option = exact;
    return result;
  }
  if (arg.size() == 1) return result;
  std::string prefix = arg;
  std::optional<std::string> explicit_value;
  if (size_t eq = arg.find('='); eq != std::string::npos) {
    prefix = arg.substr(0, eq);
    explicit_value = arg.substr(eq + 1);
    if (const OptionString* exact = FindExact(prefix)) {
      result.kind = Classified::kOption;
      result.option = exact;
      result.explicit_value = explicit_value;
      return result;
    }
  }
  // allow_abbrev=True: a unique prefix of a long option selects it.
  std::vector<const OptionString*> matches;
  std::optional<std::string> match_value = explicit_value;
  if (StartsWith(arg, "--")) {
    for (const OptionString& option : OptionStrings()) {
      if (StartsWith(option.text, prefix)) matches.push_back(&option);
    }
  } else {
    // Single dash: "-hx" is "-h" with explicit argument "x"; "-he" may prefix nothing here.
    std::string short_prefix = arg.substr(0, 2);
    for (const OptionString& option : OptionStrings()) {
      if (option.text == short_prefix) {
        matches.push_back(&option);
        match_value = arg.substr(2);
      } else if (StartsWith(option.text, arg)) {
        matches.push_back(&option);
      }
    }
  }
  if (matches.size() > 1) {
    result.kind = Classified::kAmbiguous;
    for (const OptionString* match : matches) {
      if (!result.ambiguity.empty()) result.ambiguity += ", ";
      result.ambiguity += match->text;
    }
    return result;
  }
  if (matches.size() == 1) {
    result.kind = Classified::kOption;
    result.option = matches[0];
    result.explicit_value = match_value;
    return result;
  }
  if (LooksLikeNegativeNumber(arg)) return result;
  if (arg.find(' ') != std::string::npos) return result;
  result.kind = Classified::kUnknownOption;
  return result;
}

std::string JoinChoicesRepr(const SglangFlag& spec, bool numeric) {
  std::string out;
  for (const std::string& choice : ChoicesOf(spec)) {
    if (!out.empty()) out += ", ";
    out += numeric ? choice : PythonRepr(choice);
  }
  return out;
}

// Applies the flag's type, then its choices (argparse's _get_value then _check_value).
bool ConvertValue(const SglangFlag& spec, const std::string& raw, std::string* value, std::string* err) {
  std::string_view type = spec.type;
  std::string text = raw;
  bool numeric = false;
  if (type == "int") {
    auto parsed = ParseInt(TrimSpaces(raw));
    if (!parsed) {
      *err = "invalid int value: " + PythonRepr(raw);
      return false;
    }
    text = std::to_string(*parsed);
    numeric = true;
  } else if (type == "float") {
    if (!ParseDouble(TrimSpaces(raw))) {
      *err = "invalid float value: " + PythonRepr(raw);
      return false;
    }
  } else if (type == "json" || type == "json_list") {
    if (nlohmann::json::parse(raw, nullptr, false).is_discarded()) {
      *err = "invalid loads value: " + PythonRepr(raw);
      return false;
    }
  } else if (type == "human_readable_int") {
    // SGLang accepts "32k", "1M", "1Ki" as well as plain integers.
    static const std::regex human(R"(^\s*\d+(\.\d+)?\s*([kKmMgGtT]i?)?\s*$)");
    if (!std::regex_match(raw, human)) {
      *err = "invalid human_readable_int value: " + PythonRepr(raw);
      return false;
    }
  }
  if (std::vector<std::string> choices = ChoicesOf(spec); !choices.empty()) {
    bool found = false;
    for (const std::string& choice : choices) {
      if (choice == text) found = true;
    }
    if (!found) {
      *err = "invalid choice: " + (numeric ? text : PythonRepr(text)) + " (choose from " +
             JoinChoicesRepr(spec, numeric) + ")";
      return false;
    }
  }
  *value = text;
  return true;
}

std::string ErrorMessage(const std::string& text) {
  return SglangUsage() + std::string(kSglangProg) + ": error: " + text + "\n";
}

std::string HelpText() {
  std::string out = SglangUsage();
  out += "\noptions:\n  -h, --help            show this help message and exit\n";
  for (const SglangFlag& spec : SglangFlags()) {
    out += "  " + ArgumentName(&spec);
    if (spec.takes_value) {
      std::string metavar = ToLower(spec.dest);
      for (char& c : metavar) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out += " " + metavar;
    }
    if (*spec.choices != '\0') out += "  {" + std::string(spec.choices) + "}";
    out += "\n";
  }
  return out;
}

}  // namespace

std::optional<std::string> ParsedArgs::Get(const std::string& dest) const {
  auto it = values_.find(dest);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::List(const std::string& dest) const {
  auto it = values_.find(dest);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

bool ParsedArgs::Flag(const std::string& dest) const {
  auto it = values_.find(dest);
  return it != values_.end() && !(it->second.size() == 1 && it->second[0] == "false");
}

void EmulateSglangRelease(const SglangRelease* release) {
  EmulatedRelease() = release;
  OptionStringStore().clear();
}

std::optional<long long> ParsedArgs::Int(const std::string& dest) const {
  auto value = Get(dest);
  if (!value) return std::nullopt;
  return ParseInt(*value);
}

std::string PythonRepr(std::string_view text) {
  bool has_single = text.find('\'') != std::string_view::npos;
  bool has_double = text.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

std::string SglangUsage() {
  static const std::string usage = [] {
    // argparse lists every optional as "[--flag METAVAR]" (the required one without brackets)
    // and wraps at 78 columns, indenting continuation lines under the first option.
    std::vector<std::string> parts{"[-h]"};
    for (const SglangFlag& spec : SglangFlags()) {
      std::string metavar;
      if (*spec.choices != '\0') {
        metavar = "{" + std::string(spec.choices) + "}";
        for (char& c : metavar) {
          if (c == '|') c = ',';
        }
      } else {
        metavar = spec.dest;
        for (char& c : metavar) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      std::string_view nargs = spec.nargs;
      std::string body = spec.flag;
      if (std::string_view(spec.action) == "BooleanOptionalAction") {
        body += " | " + std::string(spec.aliases);
      } else if (spec.takes_value) {
        if (nargs == "+")
          body += " " + metavar + " [" + metavar + " ...]";
        else if (nargs == "*")
          body += " [" + metavar + " ...]";
        else if (nargs == "?")
          body += " [" + metavar + "]";
        else
          body += " " + metavar;
      }
      parts.push_back(std::string_view(spec.flag) == "--model-path" ? body : "[" + body + "]");
    }
    std::string head = "usage: " + std::string(kSglangProg) + " ";
    std::string indent(head.size(), ' ');
    std::string out = head;
    size_t column = head.size();
    bool first = true;
    for (const std::string& part : parts) {
      if (!first && column + 1 + part.size() > 78) {
        out += "\n" + indent;
        column = indent.size();
        first = true;
      }
      if (!first) {
        out += " ";
        ++column;
      }
      out += part;
      column += part.size();
      first = false;
    }
    return out + "\n";
  }();
  return usage;
}

CliOutcome ParseSglangArgs(const std::vector<std::string>& args, ParsedArgs* out, std::string* message) {
  std::vector<std::string> extras;
  bool positional_only = false;
  size_t i = 0;
  while (i < args.size()) {
    const std::string& arg = args[i];
    if (positional_only) {
      extras.push_back(arg);
      ++i;
      continue;
    }
    if (arg == "--") {
      positional_only = true;
      ++i;
      continue;
    }
    Classified c = Classify(arg);
    if (c.kind == Classified::kPositional || c.kind == Classified::kUnknownOption) {
      extras.push_back(arg);
      ++i;
      continue;
    }
    if (c.kind == Classified::kAmbiguous) {
      *message = ErrorMessage("ambiguous option: " + arg + " could match " + c.ambiguity);
      return CliOutcome::kError;
    }
    const SglangFlag* spec = c.option->spec;
    ++i;
    if (spec == nullptr || !spec->takes_value) {
      if (c.explicit_value) {
        *message = ErrorMessage("argument " + ArgumentName(spec) + ": ignored explicit argument " +
                                PythonRepr(*c.explicit_value));
        return CliOutcome::kError;
      }
      if (spec == nullptr) {
        *message = HelpText();
        return CliOutcome::kHelp;
      }
      bool negated = std::string_view(spec->action) == "BooleanOptionalAction" && StartsWith(c.option->text, "--no-");
      out->Set(spec->dest, {negated ? "false" : "true"});
      continue;
    }
    // Collect the raw values this option consumes.
    std::vector<std::string> raw;
    std::string_view nargs = spec->nargs;
    if (c.explicit_value) {
      raw.push_back(*c.explicit_value);
    } else {
      size_t max = (nargs == "+" || nargs == "*") ? args.size() : 1;
      while (raw.size() < max && i < args.size() && args[i] != "--" &&
             Classify(args[i]).kind == Classified::kPositional) {
        raw.push_back(args[i]);
        ++i;
      }
      if (raw.empty() && (nargs.empty() || nargs == "+")) {
        *message = ErrorMessage("argument " + ArgumentName(spec) + ": " +
                                (nargs == "+" ? "expected at least one argument" : "expected one argument"));
        return CliOutcome::kError;
      }
    }
    std::vector<std::string> values;
    for (const std::string& value : raw) {
      std::string converted, err;
      if (!ConvertValue(*spec, value, &converted, &err)) {
        *message = ErrorMessage("argument " + ArgumentName(spec) + ": " + err);
        return CliOutcome::kError;
      }
      values.push_back(converted);
    }
    out->Set(spec->dest, std::move(values));
  }
  if (!out->Has("model_path")) {
    *message = ErrorMessage("the following arguments are required: --model-path/--model");
    return CliOutcome::kError;
  }
  if (!extras.empty()) {
    *message = ErrorMessage("unrecognized arguments: " + JoinStrings(extras, " "));
    return CliOutcome::kError;
  }
  return CliOutcome::kOk;
}

}  // namespace shim::fake_sglang
