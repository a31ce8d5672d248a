// vLLM command line -> SGLang command line + what the front door must honour.
#pragma once
#include <string>
#include <vector>

#include "config/settings.h"
#include "translate/sglang_release.h"
#include "translate/translation.h"

namespace shim {

enum class EntryPoint {
  kVllmServe,
  kApiServer
};  // `vllm serve ...` vs `python -m vllm.entrypoints.openai.api_server ...`
// args: the words after "serve" (or after the api_server program name). Returns false with a one-line *err
// (naming the flag and the problem, vLLM argparse style) on bad input; nothing partial in *out then.
// Translates for the release settings.sglang_version names, else the newest recorded one.
bool TranslateVllmArgs(const std::vector<std::string>& args, EntryPoint entry, const Settings& settings,
                       Translation* out, std::string* err);
// Translates for `release` (chosen by the caller, e.g. from the installed SGLang's version).
bool TranslateVllmArgsFor(const ReleaseChoice& release, const std::vector<std::string>& args, EntryPoint entry,
                          const Settings& settings, Translation* out, std::string* err);
// The release settings.sglang_version names, or the newest recorded one when it is unset.
bool ReleaseFromSettings(const Settings& settings, ReleaseChoice* out, std::string* err);
std::string TranslationToJson(const Translation& t);  // the `translate --json` object (shape below)
std::string TranslationToText(
    const Translation& t,
    const std::vector<std::string>&
        launcher);  // human-readable: the full SGLang command line (shell-quoted, secrets redacted via common/redact.h)
                    // then one line per flag: what it became or why dropped
std::string
ServeHelpText();  // `vllm serve --help`: the accepted flags and what each becomes (generated from the table)
std::string TranslationTableMarkdown();  // the README translation table, generated from the same table

// vLLM's default model when none is given (ModelConfig.model at vLLM 9aaf83ef).
inline constexpr const char* kDefaultVllmModel = "Qwen/Qwen3-0.6B";

}  // namespace shim
