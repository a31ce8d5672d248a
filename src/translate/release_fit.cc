#include "translate/release_fit.h"

#include "common/strings.h"
#include "translate/extra_args.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

// The first recorded release after `release` that has `flag`, for the refusal's advice.
std::string FirstReleaseWith(const SglangRelease& release, const std::string& flag) {
  bool after = false;
  for (const SglangRelease& candidate : SglangReleases()) {
    if (after && candidate.Find(flag)) return candidate.label();
    if (candidate.label() == release.label()) after = true;
  }
  return "";
}

// The name `release` knows the flag by: as written, else the newest list's name or one of
// its aliases (a flag renamed between releases keeps its meaning). "" when it has none.
std::string NameInRelease(const SglangRelease& release, const std::string& written) {
  if (release.Find(written)) return written;
  const SglangFlag* newest = FindSglangFlag(written);
  if (!newest) return "";
  if (release.Find(newest->flag)) return newest->flag;
  for (const std::string& alias : SplitString(newest->aliases, ' ')) {
    if (!alias.empty() && release.Find(alias)) return alias;
  }
  return "";
}

std::string Refusal(const SglangRelease& release, const std::string& source, const std::string& what,
                    const std::string& why, const std::string& flag) {
  std::string newer = FirstReleaseWith(release, flag);
  return "argument " + source + ": SGLang " + release.label() + " has " + what + " (" + why + "); " +
         (newer.empty() ? std::string("no recorded SGLang release has it")
                        : "use an SGLang image of " + newer + " or later") +
         ", or leave the flag out";
}

}  // namespace

bool FitWordsToRelease(const SglangRelease& release, const std::string& source, bool secret,
                       const std::vector<std::string>& words, FitResult* out, std::string* err) {
  FitResult result;
  for (SglangArgGroup& group : GroupSglangArgs(words)) {
    if (group.key.empty()) {  // a stray word: the translator's own check refuses it
      result.kept.insert(result.kept.end(), group.words.begin(), group.words.end());
      continue;
    }
    std::string& first = group.words[0];
    const size_t eq = first.find('=');
    const std::string written = first.substr(0, eq);
    const std::string name = NameInRelease(release, written);
    const ReleaseGap* gap = FindReleaseGap(group.key);
    if (name.empty()) {
      if (gap && gap->may_drop) {
        result.dropped.push_back("SGLang " + release.label() + " has no " + group.key + " (" + gap->why + ")");
        continue;
      }
      *err = Refusal(release, source, "no " + group.key, gap ? gap->why : "the translation needs it", group.key);
      return false;
    }
    if (name != written) first = name + first.substr(written.size());
    // Values: "--flag=v" carries one; otherwise the words after the flag.
    std::vector<std::string> values;
    if (eq != std::string::npos) values.push_back(first.substr(eq + 1));
    values.insert(values.end(), group.words.begin() + 1, group.words.end());
    const ReleaseFlag* flag = release.Find(name);
    bool drop_group = false;
    for (const std::string& value : values) {
      if (flag->choices.empty() || release.AllowsChoice(name, value)) continue;
      if (gap && gap->may_drop) {
        result.dropped.push_back("SGLang " + release.label() + "'s " + name + " has no choice '" + value + "' (" +
                                 gap->why + ")");
        drop_group = true;
        break;
      }
      std::string shown = secret ? std::string("that value") : "no choice '" + value + "'";
      *err = "argument " + source + ": SGLang " + release.label() + "'s " + name + " has " + shown +
             " (choices: " + release.ChoicesText(name) + "); use a newer SGLang image, or another value";
      return false;
    }
    if (!drop_group) result.kept.insert(result.kept.end(), group.words.begin(), group.words.end());
  }
  *out = std::move(result);
  return true;
}

bool CheckExtraArgsForRelease(const ReleaseChoice& choice, const std::vector<std::string>& extra,
                              std::vector<std::string>* warnings, std::string* err) {
  const SglangRelease& release = *choice.release;
  for (const SglangArgGroup& group : GroupSglangArgs(extra)) {
    if (group.key.empty()) continue;
    const std::string written = group.words[0].substr(0, group.words[0].find('='));
    if (release.Find(written)) continue;
    if (!choice.may_be_newer) {
      *err =
          "VLLM_SGLANG_EXTRA_ARGS: SGLang " + release.label() + " has no flag " + written + " (it would exit at start)";
      return false;
    }
    // The newest list already warns about flags it lacks (MergeExtraArgs).
    if (!IsNewestSglangRelease(release) && FindSglangFlag(written)) {
      warnings->push_back("VLLM_SGLANG_EXTRA_ARGS: " + written + " is not in the flag list of SGLang " +
                          release.label() + "; passed as given (the installed SGLang may be newer)");
    }
  }
  return true;
}

}  // namespace shim
