// Text, JSON, help and README renderings of a translation and of the table.
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/redact.h"
#include "common/strings.h"
#include "translate/flag_table.h"
#include "translate/translator.h"

namespace shim {
namespace {

using nlohmann::json;

std::string ValueHint(const VllmFlagSpec& spec) {
  switch (spec.kind) {
    case ArgKind::kStoreTrue:
    case ArgKind::kBooleanOptional:
      return "";
    case ArgKind::kOneOrMore:
      return " VALUE [VALUE ...]";
    case ArgKind::kOptionalValue:
      return " [VALUE]";
    default:
      break;
  }
  switch (spec.type) {
    case ValueType::kInt:
      return " INT";
    case ValueType::kFloat:
      return " FLOAT";
    case ValueType::kJson:
      return " JSON";
    case ValueType::kHumanInt:
      return " N[k|K|m|M|g|G]";
    case ValueType::kHumanIntOrAuto:
      return " N|auto";
    default:
      return " VALUE";
  }
}

std::string OptionStrings(const VllmFlagSpec& spec) {
  std::string text = spec.flag;
  std::string negated = NegatedName(spec);
  if (!negated.empty()) text += ", " + negated;
  for (const std::string& alias : SpecAliases(spec)) text += ", " + alias;
  return text;
}

std::string Becomes(const FlagRow& row) {
  switch (row.rule) {
    case Rule::kDrop:
      return "dropped: " + std::string(row.reason);
    case Rule::kSame:
      return "passed as " + std::string(row.sglang);
    case Rule::kRename:
      return "-> " + std::string(row.sglang);
    case Rule::kSwitch:
    case Rule::kNegSwitch:
    case Rule::kCustom:
      return row.reason;
  }
  return row.reason;
}

std::string MarkdownCell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string TranslationToJson(const Translation& t) {
  json flags = json::array();
  for (const FlagOutcome& outcome : t.flags) {
    std::vector<std::string> words = RedactArgv(outcome.sglang);
    flags.push_back({{"flag", outcome.flag},
                     {"action", ActionName(outcome.action)},
                     {"sglang", words},
                     {"reason", outcome.reason}});
  }
  json added = json::array();
  for (const AddedFlag& flag : t.added) {
    added.push_back({{"flag", flag.flag}, {"sglang", RedactArgv(flag.sglang)}, {"reason", flag.reason}});
  }
  json env = json::object();
  for (const auto& [name, value] : t.sglang_env) env[name] = "***";  // only secrets go through the environment
  json out = {
      {"sglang_argv", RedactArgv(t.sglang_argv)},
      {"sglang_release", {{"label", t.sglang_release}, {"note", t.sglang_release_note}}},
      {"served_model_names", t.frontend.served_model_names},
      {"model", t.frontend.model},
      {"backend", {{"host", t.frontend.backend.host}, {"port", t.frontend.backend.port}}},
      {"frontend", {{"host", t.frontend.listen.host}, {"port", t.frontend.listen.port}}},
      {"flags", flags},
      {"added", added},
      {"warnings", t.warnings},
      {"sglang_env", env},
  };
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

std::string TranslationToText(const Translation& t, const std::vector<std::string>& launcher) {
  std::vector<std::string> command = launcher;
  command.insert(command.end(), t.sglang_argv.begin(), t.sglang_argv.end());
  std::ostringstream out;
  out << ShellJoin(RedactArgv(command)) << "\n";
  for (const FlagOutcome& outcome : t.flags) {
    out << "  " << outcome.flag << ": " << ActionName(outcome.action);
    if (!outcome.sglang.empty()) out << " -> " << ShellJoin(RedactArgv(outcome.sglang));
    if (!outcome.reason.empty()) out << " (" << outcome.reason << ")";
    out << "\n";
  }
  for (const AddedFlag& flag : t.added) {
    out << "  " << flag.flag << ": added -> " << ShellJoin(RedactArgv(flag.sglang)) << " (" << flag.reason << ")\n";
  }
  out << "sglang release: " << t.sglang_release_note << "\n";
  for (const std::string& warning : t.warnings) out << "warning: " << warning << "\n";
  return out.str();
}

std::string ServeHelpText() {
  std::ostringstream out;
  out << "usage: vllm serve [model_tag] [options]\n\n"
         "Runs SGLang (python3 -m sglang.launch_server) behind a vLLM-compatible front door.\n"
         "vLLM flags are parsed as vLLM does (dashes or underscores, --flag=value, unique prefixes,\n"
         "--config file.yaml) and translated; each line says what the flag becomes.\n\n"
         "options:\n";
  bool legacy_header = false;
  for (const FlagRow& row : FlagTable()) {
    if (row.spec.legacy && !legacy_header) {
      out << "\nremoved from vLLM, still accepted (with a warning):\n";
      legacy_header = true;
    }
    out << "  " << OptionStrings(row.spec) << ValueHint(row.spec) << "\n      " << Becomes(row) << "\n";
  }
  return out.str();
}

std::string TranslationTableMarkdown() {
  std::ostringstream out;
  out << "| vLLM flag | SGLang | notes |\n|---|---|---|\n";
  for (const FlagRow& row : FlagTable()) {
    std::string sglang = row.sglang[0] ? "`" + JoinStrings(SplitString(row.sglang, ' '), "` `") + "`" : "(dropped)";
    std::string flag = "`" + OptionStrings(row.spec) + "`";
    std::string notes = row.reason;
    if (row.spec.legacy) notes = "legacy: " + notes;
    out << "| " << MarkdownCell(flag) << " | " << MarkdownCell(sglang) << " | " << MarkdownCell(notes) << " |\n";
  }
  return out.str();
}

}  // namespace shim
