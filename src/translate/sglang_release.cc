#include "translate/sglang_release.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "translate/sglang_flags.h"
#include "translate/sglang_releases_json.h"

namespace shim {
namespace {

// Which recorded list a package version gets: the newest list certainly older than the
// release, so the shim never emits a flag the release lacks. After v0.5.6.post2 SGLang tags
// releases on branches, so the lists of main are matched to versions by date: a version
// maps to a snapshot of main only when it was released after that snapshot. Dates from
// upstream: v0.5.9 was out by 2026-03-05, v0.5.13 by 2026-06-17, v0.5.15 by 2026-07-13
// ("chore: bump docs install version to 0.5.15"), and main@2026-07-20 (8905cbd4) precedes
// v0.5.16. When a boundary was unsure, the older list was chosen: it can only drop a flag.
struct VersionFloor {
  const char* version;
  const char* label;
};
constexpr VersionFloor kVersionFloors[] = {
    {"0.5.2", "v0.5.2"},           {"0.5.4", "v0.5.4"},           {"0.5.6.post2", "v0.5.6.post2"},
    {"0.5.9", "main@2026-01-14"},  {"0.5.11", "main@2026-03-01"}, {"0.5.13", "main@2026-04-15"},
    {"0.5.15", "main@2026-06-01"}, {"0.5.16", "main@2026-07-20"},
};

std::vector<SglangRelease> LoadReleases() {
  std::vector<SglangRelease> releases;
  nlohmann::json data = nlohmann::json::parse(SglangReleasesJson(), nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) return releases;  // the build embeds a checked file; tests cover it
  for (const auto& [label, entry] : data.items()) {
    std::vector<ReleaseFlag> flags;
    for (const nlohmann::json& f : entry.value("flags", nlohmann::json::array())) {
      ReleaseFlag flag;
      flag.flag = f.value("flag", "");
      for (const nlohmann::json& a : f.value("aliases", nlohmann::json::array()))
        flag.aliases.push_back(a.get<std::string>());
      flag.takes_value = f.value("takes_value", true);
      const nlohmann::json& nargs = f["nargs"];
      flag.nargs = nargs.is_null() ? "" : nargs.is_string() ? nargs.get<std::string>() : nargs.dump();
      if (f["choices"].is_array()) {
        for (const nlohmann::json& c : f["choices"])
          flag.choices.push_back(c.is_string() ? c.get<std::string>() : c.dump());
      }
      flags.push_back(std::move(flag));
    }
    releases.emplace_back(label, entry.value("upstream_commit", ""), entry.value("commit_date", ""), std::move(flags));
  }
  return releases;  // nlohmann keeps keys sorted; reordered by date below
}

// The newest recorded release is also the generated table the translator checks its output
// against (sglang_flags.h); sglang_release_test.cc checks both say the same.
constexpr const char* kNewestLabel = "main@2026-07-20";
constexpr const char* kNewestCommit = "8905cbd42f4a27dbecad6487cd3904278756fef8";
constexpr const char* kNewestDate = "2026-07-20T16:14:12-07:00";

const SglangRelease* FindRelease(const std::string& label) {
  if (label == kNewestLabel) return &NewestSglangRelease();  // without parsing the older lists
  for (const SglangRelease& release : SglangReleases()) {
    if (release.label() == label) return &release;
  }
  return nullptr;
}

std::string RecordedLabels() {
  std::vector<std::string> labels;
  for (const SglangRelease& release : SglangReleases()) labels.push_back(release.label());
  return JoinStrings(labels, ", ");
}

}  // namespace

SglangRelease::SglangRelease(std::string label, std::string commit, std::string date, std::vector<ReleaseFlag> flags)
    : label_(std::move(label)), commit_(std::move(commit)), date_(std::move(date)), flags_(std::move(flags)) {
  for (size_t i = 0; i < flags_.size(); ++i) {
    index_.emplace(flags_[i].flag, i);
    for (const std::string& alias : flags_[i].aliases) index_.emplace(alias, i);
  }
}

const ReleaseFlag* SglangRelease::Find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &flags_[it->second];
}

bool SglangRelease::AllowsChoice(const std::string& flag, const std::string& value) const {
  const ReleaseFlag* found = Find(flag);
  if (!found) return false;
  if (found->choices.empty()) return true;
  for (const std::string& choice : found->choices) {
    if (choice == value) return true;
  }
  return false;
}

std::string SglangRelease::ChoicesText(const std::string& flag) const {
  const ReleaseFlag* found = Find(flag);
  return found ? JoinStrings(found->choices, ", ") : "";
}

const std::vector<SglangRelease>& SglangReleases() {
  static const std::vector<SglangRelease> kReleases = [] {
    std::vector<SglangRelease> releases = LoadReleases();
    std::stable_sort(releases.begin(), releases.end(),
                     [](const SglangRelease& a, const SglangRelease& b) { return a.date() < b.date(); });
    return releases;
  }();
  return kReleases;
}

// Built from the generated table, so that a start on the newest release (the default, and
// every SGLang from 0.5.16 on) never parses the embedded JSON (about 30 ms of CPU and 3 MB).
const SglangRelease& NewestSglangRelease() {
  static const SglangRelease kNewest = [] {
    std::vector<ReleaseFlag> flags;
    for (const SglangFlag& spec : SglangFlags()) {
      ReleaseFlag flag;
      flag.flag = spec.flag;
      for (const std::string& alias : SplitString(spec.aliases, ' ')) {
        if (!alias.empty()) flag.aliases.push_back(alias);
      }
      flag.nargs = spec.nargs;
      flag.takes_value = spec.takes_value;
      if (spec.choices[0] != '\0') flag.choices = SplitString(spec.choices, '|');
      flags.push_back(std::move(flag));
    }
    return SglangRelease(kNewestLabel, kNewestCommit, kNewestDate, std::move(flags));
  }();
  return kNewest;
}

bool IsNewestSglangRelease(const SglangRelease& release) { return release.label() == kNewestLabel; }

std::string SglangName(const SglangRelease& release) {
  return IsNewestSglangRelease(release) ? std::string("SGLang") : "SGLang " + release.label();
}

std::optional<std::vector<int>> SglangVersionKey(const std::string& version) {
  std::string text = version;
  if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.erase(0, 1);
  text = text.substr(0, text.find('+'));  // local version: same release
  std::vector<int> key;
  size_t i = 0;
  auto number = [&](int* out) {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    long long n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = std::min(n * 10 + (text[i] - '0'), 1000000LL);
      ++i;
    }
    *out = static_cast<int>(n);
    return true;
  };
  int part = 0;
  if (!number(&part)) return std::nullopt;
  key.push_back(part);
  while (i + 1 < text.size() && text[i] == '.' && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
    ++i;
    number(&part);
    key.push_back(part);
  }
  while (key.size() < 3) key.push_back(0);
  int post = 0;
  std::string rest = text.substr(i);
  if (!rest.empty() && rest[0] == '.') rest.erase(0, 1);
  if (StartsWith(rest, "post")) {
    i = text.size() - rest.size() + 4;
    int n = 0;
    number(&n);
    post = 2 * n;
    rest = text.substr(i);
    if (!rest.empty() && rest[0] == '.') rest.erase(0, 1);
  }
  // Anything else (dev, rc, a, b) comes before the release it names.
  if (!rest.empty()) post -= 1;
  key.push_back(post);
  return key;
}

bool ChooseSglangRelease(const std::string& version, ReleaseChoice* out, std::string* err) {
  ReleaseChoice choice;
  choice.requested = version;
  if (const SglangRelease* exact = FindRelease(version)) {
    choice.release = exact;
    choice.note = "translating for SGLang release " + exact->label() + ", as given";
    *out = std::move(choice);
    return true;
  }
  std::optional<std::vector<int>> key = SglangVersionKey(version);
  if (!key) {
    *err = "SGLang version '" + version + "' is neither a version such as 0.5.14 nor a recorded release (" +
           RecordedLabels() + ")";
    return false;
  }
  const VersionFloor* floor = nullptr;
  for (const VersionFloor& candidate : kVersionFloors) {
    if (*SglangVersionKey(candidate.version) <= *key) floor = &candidate;
  }
  if (!floor) {
    // No list says what it accepts; the oldest is the closest guess, and the log says so.
    floor = &kVersionFloors[0];
    choice.release = FindRelease(floor->label);
    if (!choice.release) {
      *err = "internal error: no recorded SGLang release " + std::string(floor->label);
      return false;
    }
    choice.note = "SGLang " + version + " is older than every recorded release: translating for the oldest, " +
                  choice.release->label() + "; SGLang may still refuse a flag";
    *out = std::move(choice);
    return true;
  }
  choice.release = FindRelease(floor->label);
  if (!choice.release) {
    *err = "internal error: no recorded SGLang release " + std::string(floor->label);
    return false;
  }
  const bool exact = *SglangVersionKey(floor->version) == *key && choice.release->label()[0] == 'v';
  choice.may_be_newer = !exact;
  choice.note = "SGLang " + version + ": translating for release " + choice.release->label() +
                (exact ? "" : " (the newest recorded list at or below it)");
  *out = std::move(choice);
  return true;
}

ReleaseChoice FallbackSglangRelease(const std::string& why) {
  ReleaseChoice choice;
  choice.release = &NewestSglangRelease();
  choice.may_be_newer = true;
  choice.note = why + "; translating for the newest recorded SGLang release, " + choice.release->label();
  return choice;
}

}  // namespace shim
