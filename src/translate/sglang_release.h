// The SGLang release a translation targets. SGLang exits at start on any flag it does not
// know, so the shim must emit only what the installed release accepts. The flag names,
// aliases, arity and choices of each recorded release come from
// data/reference/sglang-flags-by-version.json (embedded at build time; see
// tools/sglang_release_data.py to add a release).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shim {

// One flag as a given release declares it.
struct ReleaseFlag {
  std::string flag;
  std::vector<std::string> aliases;
  std::string nargs;  // "" = one value, "0" = none, "+", "*", "?"
  bool takes_value = true;
  std::vector<std::string> choices;  // empty when free
};

// The flags of one recorded SGLang release.
class SglangRelease {
 public:
  SglangRelease(std::string label, std::string commit, std::string date, std::vector<ReleaseFlag> flags);

  const std::string& label() const { return label_; }    // "v0.5.2", "main@2026-07-20"
  const std::string& commit() const { return commit_; }  // upstream commit the list was read at
  const std::string& date() const { return date_; }      // that commit's date (ISO 8601)

  // The flag whose name or alias is exactly `name` (argparse prefix matching is never relied on).
  const ReleaseFlag* Find(const std::string& name) const;
  // True when the flag exists and `value` is one of its choices (or it has none).
  bool AllowsChoice(const std::string& flag, const std::string& value) const;
  // "a, b, c" for messages; "" when the flag is unknown or free.
  std::string ChoicesText(const std::string& flag) const;

 private:
  std::string label_;
  std::string commit_;
  std::string date_;
  std::vector<ReleaseFlag> flags_;
  std::map<std::string, size_t> index_;  // name and aliases -> flags_ index
};

// Every recorded release, oldest first, parsed from the embedded JSON on first use; the last
// is the newest (the default).
const std::vector<SglangRelease>& SglangReleases();
// The newest, from the generated table: no JSON parsing. Compare releases with
// IsNewestSglangRelease, not by address: SglangReleases().back() is another object.
const SglangRelease& NewestSglangRelease();
bool IsNewestSglangRelease(const SglangRelease& release);
// "SGLang" for the newest release, "SGLang v0.5.2" for an older one: messages name the
// release only when it is not the default.
std::string SglangName(const SglangRelease& release);

// How an installed or requested SGLang version was matched to a recorded release.
struct ReleaseChoice {
  const SglangRelease* release = nullptr;
  std::string requested;  // the version or label as given ("" when unknown)
  // True when the installed SGLang may know flags the recorded list lacks: a version newer
  // than every recorded release, or one that could not be told.
  bool may_be_newer = false;
  std::string note;  // one line for the log and `translate`: what was chosen and why
};

// `version` is a recorded label ("v0.5.4", "main@2026-06-01") or a package version
// ("0.5.14", "v0.5.6.post2", "0.5.16.dev12+g1234"): the newest recorded release at or below
// it; a version older than every recorded release gets the oldest, with a warning in the note.
bool ChooseSglangRelease(const std::string& version, ReleaseChoice* out, std::string* err);
// The newest release, used when the installed version cannot be told (`why` says so).
ReleaseChoice FallbackSglangRelease(const std::string& why);

// A PEP 440 package version as a sortable key: release numbers, then 2*post, one less for a
// pre-release or dev build (which comes before the release it names). "0.5.6.post2" ->
// {0,5,6,4}; "0.5.16.dev3" -> {0,5,16,-1}; "0.5.15.post1.dev2+g12ab" -> {0,5,15,1}.
// std::nullopt when it does not start with a number.
std::optional<std::vector<int>> SglangVersionKey(const std::string& version);

}  // namespace shim
