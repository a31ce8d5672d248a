#include "translate/extra_args.h"

#include <set>

#include "common/strings.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

bool LooksLikeFlag(const std::string& word) {
  return word.size() > 1 && word[0] == '-' && !ParseDouble(word).has_value();
}

}  // namespace

std::vector<SglangArgGroup> GroupSglangArgs(const std::vector<std::string>& argv) {
  std::vector<SglangArgGroup> groups;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (!LooksLikeFlag(word)) {
      groups.push_back({"", {word}});
      continue;
    }
    size_t eq = word.find('=');
    std::string name = word.substr(0, eq);
    const SglangFlag* flag = FindSglangFlag(name);
    SglangArgGroup group{flag ? flag->flag : name, {word}};
    if (eq == std::string::npos) {
      std::string nargs = flag ? flag->nargs : "*";
      size_t limit = nargs == "0" ? 0 : (nargs == "" || nargs == "?") ? 1 : argv.size();
      size_t taken = 0;
      while (taken < limit && i + 1 < argv.size() && !LooksLikeFlag(argv[i + 1])) {
        group.words.push_back(argv[++i]);
        ++taken;
      }
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

std::vector<std::string> MergeExtraArgs(const std::vector<std::string>& translated, const std::vector<std::string>& extra,
                                        std::vector<std::string>* warnings) {
  std::vector<SglangArgGroup> extra_groups = GroupSglangArgs(extra);
  std::set<std::string> replaced;
  for (const SglangArgGroup& group : extra_groups) {
    if (group.key.empty()) continue;
    replaced.insert(group.key);
    if (!FindSglangFlag(group.key)) {
      warnings->push_back("VLLM_SGLANG_EXTRA_ARGS: " + group.key +
                          " is not a flag of the SGLang version this shim was built against; passed as given");
    }
  }
  std::vector<std::string> out;
  for (const SglangArgGroup& group : GroupSglangArgs(translated)) {
    if (!group.key.empty() && replaced.count(group.key)) continue;
    out.insert(out.end(), group.words.begin(), group.words.end());
  }
  for (const SglangArgGroup& group : extra_groups) out.insert(out.end(), group.words.begin(), group.words.end());
  return out;
}

}  // namespace shim
