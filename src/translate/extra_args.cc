#include "translate/extra_args.h"

#include <set>
#include <string_view>

#include "common/redact.h"
#include "common/strings.h"
#include "translate/sglang_flags.h"

namespace shim {
namespace {

bool LooksLikeFlag(const std::string& word) {
  return word.size() > 1 && word[0] == '-' && !ParseDouble(word).has_value();
}

// Negative numbers that every Python version's argparse reads as values, not options:
// its _negative_number_matcher was ^-\d+$|^-\d*\.\d+$ and has only grown since
// (underscores, then exponents in 3.14).
bool IsPlainNegativeNumber(const std::string& word) {
  auto digits = [](std::string_view s) { return s.find_first_not_of("0123456789") == std::string_view::npos; };
  if (word.size() < 2 || word[0] != '-') return false;
  std::string_view rest = std::string_view(word).substr(1);
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return digits(rest);
  return digits(rest.substr(0, dot)) && dot + 1 < rest.size() && digits(rest.substr(dot + 1));
}

// A word that starts a new flag in a translation's output: an exact SGLang flag name.
bool IsSglangFlagName(const std::string& word) { return StartsWith(word, "-") && FindSglangFlag(word) != nullptr; }

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

bool AppendSglangFlag(const std::string& flag, const std::vector<std::string>& values, std::vector<std::string>* out) {
  if (values.size() == 1 && StartsWith(values[0], "-")) {
    out->push_back(flag + "=" + values[0]);
    return true;
  }
  for (const std::string& value : values) {
    if (StartsWith(value, "-") && !IsPlainNegativeNumber(value)) return false;
  }
  out->push_back(flag);
  out->insert(out->end(), values.begin(), values.end());
  return true;
}

bool AttachDashValues(std::vector<std::string>* words, std::string* flag_name) {
  const std::vector<std::string>& in = *words;
  std::vector<std::string> out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const SglangFlag* flag = IsSglangFlagName(in[i]) ? FindSglangFlag(in[i]) : nullptr;
    if (!flag) {  // already "--flag=value", or not a flag: the translator's check judges it
      out.push_back(in[i]);
      continue;
    }
    const std::string& word = in[i];
    const std::string nargs = flag->nargs;
    std::vector<std::string> values;
    if (nargs == "") {
      if (i + 1 < in.size()) values.push_back(in[++i]);
    } else if (nargs == "?") {
      if (i + 1 < in.size() && !IsSglangFlagName(in[i + 1])) values.push_back(in[++i]);
    } else if (nargs != "0") {
      while (i + 1 < in.size() && !IsSglangFlagName(in[i + 1])) values.push_back(in[++i]);
    }
    if (!AppendSglangFlag(word, values, &out)) {
      *flag_name = flag->flag;
      return false;
    }
  }
  *words = std::move(out);
  return true;
}

std::vector<std::string> MergeExtraArgs(const std::vector<std::string>& translated,
                                        const std::vector<std::string>& extra, std::vector<std::string>* warnings) {
  std::vector<SglangArgGroup> extra_groups = GroupSglangArgs(extra);
  std::set<std::string> replaced;
  for (size_t g = 0; g < extra_groups.size(); ++g) {
    const SglangArgGroup& group = extra_groups[g];
    if (group.key.empty()) continue;
    replaced.insert(group.key);
    if (FindSglangFlag(group.key)) continue;
    const SglangArgGroup* before = g > 0 ? &extra_groups[g - 1] : nullptr;
    if (before && IsSecretFlag(before->key) && before->words.size() == 1 &&
        before->words[0].find('=') == std::string::npos) {
      // "--api-key -abc": never repeat what is most likely the key itself.
      warnings->push_back("VLLM_SGLANG_EXTRA_ARGS: the word after " + before->key +
                          " begins with '-', so SGLang reads it as a flag, not as the value; write " + before->key +
                          "=VALUE");
      continue;
    }
    warnings->push_back("VLLM_SGLANG_EXTRA_ARGS: " + group.key +
                        " is not a flag of the SGLang version this shim was built against; passed as given");
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
