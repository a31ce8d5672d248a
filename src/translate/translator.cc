#include "translate/translator.h"

#include <cctype>
#include <set>

#include "cli/flexible_args.h"
#include "cli/vllm_arg_parser.h"
#include "common/redact.h"
#include "common/strings.h"
#include "translate/added_flags.h"
#include "translate/extra_args.h"
#include "translate/flag_handlers.h"
#include "translate/flag_table.h"
#include "translate/release_fit.h"
#include "translate/sglang_flags.h"
#include "translate/translate_context.h"

namespace shim {
namespace {

using Action = FlagOutcome::Action;

constexpr const char* kBackendHost = "127.0.0.1";
constexpr int kDefaultVllmPort = 8000;  // FrontendArgs.port

// The table's generic rules; kCustom rows go to their handler.
bool ApplyRow(const FlagRow& row, const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome,
              std::string* err) {
  const bool single_none = flag.values.size() == 1 && IsNoneValue(flag.values[0]);
  switch (row.rule) {
    case Rule::kDrop:
      SetOutcome(outcome, Action::kDropped, {});
      return true;
    case Rule::kSame:
    case Rule::kRename: {
      if (single_none) {
        SetOutcome(outcome, Action::kDropped, {}, "set to None: SGLang's default applies");
        return true;
      }
      std::vector<std::string> words;
      if (!AppendSglangFlag(row.sglang, flag.values, &words)) {
        *err = "argument " + flag.spelling + ": SGLang's " + row.sglang +
               " cannot take several values when one of them begins with '-'";
        return false;
      }
      SetOutcome(outcome, row.rule == Rule::kSame ? Action::kPassed : Action::kTranslated, std::move(words));
      return true;
    }
    case Rule::kSwitch:
      if (flag.negated) {
        SetOutcome(outcome, Action::kDropped, {}, "off by default in SGLang");
      } else {
        SetOutcome(outcome, std::string(row.sglang) == row.spec.flag ? Action::kPassed : Action::kTranslated,
                   {row.sglang});
      }
      return true;
    case Rule::kNegSwitch:
      if (flag.negated) {
        SetOutcome(outcome, Action::kTranslated, {row.sglang});
      } else {
        SetOutcome(outcome, Action::kDropped, {}, "on by default in SGLang");
      }
      return true;
    case Rule::kCustom:
      return row.handler(flag, ctx, outcome, err);
  }
  return true;
}

void ResolveModel(const ParsedArgs& parsed, EntryPoint entry, const TranslateContext& ctx, Translation* t) {
  std::optional<std::string> from_flag = ctx.Value("--model");
  if (entry == EntryPoint::kVllmServe && parsed.model_tag) {
    t->frontend.model = *parsed.model_tag;
  } else if (from_flag) {
    t->frontend.model = *from_flag;
  } else {
    t->frontend.model = kDefaultVllmModel;
    t->warnings.push_back(std::string("no model given: using vLLM's default ") + kDefaultVllmModel);
  }
  if (entry == EntryPoint::kApiServer && parsed.model_tag) {
    // api_server.py parses the positional but never copies it into args.model.
    t->warnings.push_back("positional argument '" + *parsed.model_tag +
                          "' is ignored by the api_server entry point; give the model with --model");
  }
}

bool ResolveBackend(const Settings& settings, Translation* t, std::string* err) {
  long long port = settings.backend_port ? *settings.backend_port : t->frontend.listen.port + 1LL;
  if (port < 1 || port > 65535) {
    *err = settings.backend_port ? "VLLM_SGLANG_BACKEND_PORT: port must be between 1 and 65535"
                                 : "argument --port: the SGLang backend needs port+1 (" + std::to_string(port) +
                                       "), which is above 65535; choose a lower --port or set VLLM_SGLANG_BACKEND_PORT";
    return false;
  }
  if (port == t->frontend.listen.port) {
    *err = "VLLM_SGLANG_BACKEND_PORT: the backend port must differ from --port (" + std::to_string(port) + ")";
    return false;
  }
  t->frontend.backend = Endpoint{kBackendHost, static_cast<int>(port)};
  return true;
}

// An extra --host/--port moves SGLang: keep the front door pointed at it. An extra
// --is-embedding makes the model a pooling one.
bool FollowExtraEndpoint(const std::vector<std::string>& argv, Translation* t, std::string* err) {
  for (const SglangArgGroup& group : GroupSglangArgs(argv)) {
    // SGLang then serves a pooling model: the front door serves vLLM's pooling routes.
    if (group.key == "--is-embedding") t->frontend.pooling = true;
    std::string value;
    if (group.words.size() == 2)
      value = group.words[1];
    else if (group.words.size() == 1 && group.words[0].find('=') != std::string::npos)
      value = group.words[0].substr(group.words[0].find('=') + 1);
    else
      continue;
    if (group.key == "--port") {
      std::optional<long long> port = ParseInt(value);
      if (!port || *port < 1 || *port > 65535) {
        *err = "VLLM_SGLANG_EXTRA_ARGS: --port must be between 1 and 65535, got '" + value + "'";
        return false;
      }
      t->frontend.backend.port = static_cast<int>(*port);
    } else if (group.key == "--host") {
      t->frontend.backend.host = value;
    }
  }
  return true;
}

// A flag given in VLLM_SGLANG_EXTRA_ARGS replaced the shim's own (MergeExtraArgs): the shim no
// longer adds it, so `translate` does not explain it as added.
void DropReplacedAddedFlags(const std::vector<std::string>& extra_args, Translation* t) {
  std::set<std::string> given;
  for (const SglangArgGroup& group : GroupSglangArgs(extra_args)) given.insert(group.key);
  std::erase_if(t->added, [&](const AddedFlag& added) { return given.count(added.flag) != 0; });
}

// Every flag the table emits must be an exact SGLang flag: SGLang accepts ambiguous
// prefixes silently, so a wrong name could change meaning instead of failing. Every value
// must belong to a flag. `source` says what produced the words; a secret's words are never
// quoted.
bool CheckSglangWords(const std::string& source, bool secret, const std::vector<std::string>& words, std::string* err) {
  for (const SglangArgGroup& group : GroupSglangArgs(words)) {
    if (!group.key.empty() && FindSglangFlag(group.key)) continue;
    std::string what = secret              ? std::string("a word")
                       : group.key.empty() ? "the stray word '" + group.words[0] + "'"
                                           : group.key;
    *err = "internal error: the translation of " + source + " produced " + what +
           ", which SGLang would not read as intended";
    return false;
  }
  return true;
}

bool IsTokenChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// Replaces every whole-token occurrence of a secret in *text with "***" (a secret "ab" is
// hidden in "'ab'" and "--api-key=ab", not in "tab").
void HideSecrets(const std::vector<std::string>& secrets, std::string* text) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text->find(secret); pos != std::string::npos; pos = text->find(secret, pos)) {
      size_t end = pos + secret.size();
      bool whole = (pos == 0 || !IsTokenChar((*text)[pos - 1]) || !IsTokenChar(secret.front())) &&
                   (end == text->size() || !IsTokenChar((*text)[end]) || !IsTokenChar(secret.back()));
      if (!whole) {
        ++pos;
        continue;
      }
      text->replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
}

// Fits each outcome's SGLang words to the release: drops what only costs speed or
// observability (with a warning), refuses what would change results.
bool FitOutcomesToRelease(const SglangRelease& release, Translation* t, std::string* err) {
  for (FlagOutcome& outcome : t->flags) {
    if (outcome.sglang.empty()) continue;
    FitResult fit;
    if (!FitWordsToRelease(release, outcome.flag, IsSecretFlag(outcome.flag), outcome.sglang, &fit, err)) return false;
    if (!fit.dropped.empty()) {
      for (const std::string& line : fit.dropped) t->warnings.push_back(outcome.flag + ": dropped: " + line);
      outcome.reason = "dropped: " + JoinStrings(fit.dropped, "; ");
      if (fit.kept.empty()) outcome.action = Action::kDropped;
    }
    outcome.sglang = std::move(fit.kept);
  }
  return true;
}

// TranslateVllmArgs without the final scrub; *secrets gets every secret value it parses.
bool Translate(const ReleaseChoice& release, const std::vector<std::string>& args, EntryPoint entry,
               const Settings& settings, Translation* out, std::string* err, std::vector<std::string>* secrets) {
  ExpandOptions expand_options;
  expand_options.serve = entry == EntryPoint::kVllmServe;
  ExpandedArgv expanded;
  if (!ExpandVllmArgv(args, expand_options, &expanded, err)) return false;
  ParsedArgs parsed;
  ParseOptions parse_options;
  parse_options.strict = settings.strict;
  parse_options.secrets = secrets;
  if (!ParseVllmArgs(expanded.words, FlagSpecs(), parse_options, &parsed, err)) return false;
  const std::vector<FlagRow>& table = FlagTable();

  Translation t;
  t.sglang_release = release.release->label();
  t.sglang_release_note = release.note;
  t.warnings = expanded.warnings;
  t.warnings.insert(t.warnings.end(), parsed.warnings.begin(), parsed.warnings.end());
  for (const std::string& unknown : parsed.unknown) {
    t.warnings.push_back("unrecognized vLLM argument dropped: " + unknown +
                         " (VLLM_SGLANG_STRICT=1 makes this an error)");
  }
  t.frontend.listen = Endpoint{"0.0.0.0", kDefaultVllmPort};

  TranslateContext ctx;
  ctx.settings = &settings;
  ctx.parsed = &parsed;
  ctx.out = &t;
  ctx.sglang = release.release;
  ResolveModel(parsed, entry, ctx, &t);
  if (t.frontend.model.empty()) {
    *err = "argument model_tag: the model must not be empty";
    return false;
  }
  const ParsedFlag* served = ctx.Find("--served-model-name");
  t.frontend.served_model_names = served ? served->values : std::vector<std::string>{t.frontend.model};

  for (const ParsedFlag& flag : parsed.flags) {
    const FlagRow& row = table[flag.spec];
    ctx.current_outcome = t.flags.size();
    t.flags.push_back(FlagOutcome{flag.spelling, Action::kDropped, {}, row.reason});
    FlagOutcome outcome = t.flags.back();
    if (!ApplyRow(row, flag, &ctx, &outcome, err)) return false;
    t.flags[ctx.current_outcome] = std::move(outcome);
    if (row.spec.legacy) {
      t.warnings.push_back(flag.spelling + " was removed from vLLM; " +
                           (t.flags.back().action == Action::kDropped ? "ignored" : "translated") + " (" + row.reason +
                           ")");
    }
  }
  if (!FinishSpeculative(&ctx, err)) return false;
  if (ctx.Enabled("--enable-log-outputs") && !ctx.Enabled("--enable-log-requests")) {
    *err = "argument --enable-log-outputs: requires --enable-log-requests";
    return false;
  }

  // Values that begin with '-' are attached to their flag ("--api-key=-abc"): SGLang's argparse
  // would read a separate such word as an option.
  for (FlagOutcome& outcome : t.flags) {
    std::string sglang_flag;
    if (!AttachDashValues(&outcome.sglang, &sglang_flag)) {
      *err = "argument " + outcome.flag + ": SGLang's " + sglang_flag +
             " cannot take several values when one of them begins with '-'";
      return false;
    }
  }
  if (!FitOutcomesToRelease(*release.release, &t, err)) return false;
  std::vector<std::string> argv;
  AppendSglangFlag("--model-path", {t.frontend.model}, &argv);
  if (!CheckSglangWords("the model", false, argv, err)) return false;
  if (!ResolveBackend(settings, &t, err)) return false;
  argv.insert(argv.end(), {"--host", kBackendHost, "--port", std::to_string(t.frontend.backend.port)});
  for (const FlagOutcome& outcome : t.flags) {
    if (!CheckSglangWords(outcome.flag, IsSecretFlag(outcome.flag), outcome.sglang, err)) return false;
    argv.insert(argv.end(), outcome.sglang.begin(), outcome.sglang.end());
  }
  if (t.frontend.api_keys.empty() && !settings.vllm_api_keys.empty()) {
    // vLLM reads VLLM_API_KEY only when --api-key is absent.
    t.frontend.api_keys = settings.vllm_api_keys;
    std::vector<std::string> words;
    AppendSglangFlag("--api-key", {settings.vllm_api_keys.front()}, &words);
    if (!CheckSglangWords("VLLM_API_KEY", true, words, err)) return false;
    argv.insert(argv.end(), words.begin(), words.end());
  }
  for (AddedFlag& added : ShimAddedFlags()) {
    FitResult fit;
    if (!FitWordsToRelease(*release.release, added.flag, false, added.sglang, &fit, err)) return false;
    for (const std::string& line : fit.dropped) t.warnings.push_back(added.flag + " not added: " + line);
    if (fit.kept.empty()) continue;
    added.sglang = std::move(fit.kept);
    if (!CheckSglangWords(added.flag, false, added.sglang, err)) return false;
    argv.insert(argv.end(), added.sglang.begin(), added.sglang.end());
    t.added.push_back(std::move(added));
  }

  if (!settings.extra_args.empty()) {
    if (!CheckExtraArgsForRelease(release, settings.extra_args, &t.warnings, err)) return false;
    argv = MergeExtraArgs(argv, settings.extra_args, &t.warnings);
    if (!FollowExtraEndpoint(settings.extra_args, &t, err)) return false;
    DropReplacedAddedFlags(settings.extra_args, &t);
  }
  t.sglang_argv = std::move(argv);
  *out = std::move(t);
  return true;
}

}  // namespace

bool ReleaseFromSettings(const Settings& settings, ReleaseChoice* out, std::string* err) {
  if (!settings.sglang_version) {
    *out = ReleaseChoice{
        &NewestSglangRelease(), "", true,
        "no SGLang version given: translating for the newest recorded release, " + NewestSglangRelease().label()};
    return true;
  }
  if (ChooseSglangRelease(*settings.sglang_version, out, err)) return true;
  *err = "VLLM_SGLANG_SGLANG_VERSION: " + *err;
  return false;
}

bool TranslateVllmArgs(const std::vector<std::string>& args, EntryPoint entry, const Settings& settings,
                       Translation* out, std::string* err) {
  ReleaseChoice release;
  if (!ReleaseFromSettings(settings, &release, err)) return false;
  return TranslateVllmArgsFor(release, args, entry, settings, out, err);
}

bool TranslateVllmArgsFor(const ReleaseChoice& release, const std::vector<std::string>& args, EntryPoint entry,
                          const Settings& settings, Translation* out, std::string* err) {
  err->clear();
  // No message quotes an API key (or another secret): the structured checks never build one
  // from a secret, and this catches a secret repeated elsewhere on the command line.
  std::vector<std::string> secrets = settings.vllm_api_keys;
  Translation t;
  if (!Translate(release, args, entry, settings, &t, err, &secrets)) {
    HideSecrets(secrets, err);
    return false;
  }
  for (std::string& warning : t.warnings) HideSecrets(secrets, &warning);
  for (FlagOutcome& outcome : t.flags) HideSecrets(secrets, &outcome.reason);
  *out = std::move(t);
  return true;
}

}  // namespace shim
