#include "rewrite/json_splice.h"

namespace shim {

ObjectSplicer::ObjectSplicer(std::string_view text, const JsonObjectScan& scan)
    : text_(text),
      scan_(scan),
      actions_(scan.members.size(), Action::kKeep),
      replacements_(scan.members.size()) {}

void ObjectSplicer::Remove(size_t index) {
  actions_[index] = Action::kRemove;
  replacements_[index].clear();
  edited_ = true;
}

void ObjectSplicer::Replace(size_t index, std::string member_text) {
  actions_[index] = Action::kReplace;
  replacements_[index] = std::move(member_text);
  edited_ = true;
}

void ObjectSplicer::Append(std::string member_text) {
  appended_.push_back(std::move(member_text));
  edited_ = true;
}

std::string ObjectSplicer::Build() const {
  const auto& members = scan_.members;
  size_t extra = 0;
  for (const auto& r : replacements_) extra += r.size();
  for (const auto& a : appended_) extra += a.size() + 1;
  std::string out;
  out.reserve(text_.size() + extra);

  if (members.empty()) {
    // "{" plus any whitespace, then new members, then "}" and what follows.
    out.append(text_.substr(0, scan_.close));
    bool first = true;
    for (const auto& a : appended_) {
      if (!first) out.push_back(',');
      out.append(a);
      first = false;
    }
    out.append(text_.substr(scan_.close));
    return out;
  }

  out.append(text_.substr(0, members.front().key_begin));
  bool wrote_any = false;
  for (size_t i = 0; i < members.size(); ++i) {
    if (actions_[i] == Action::kRemove) continue;
    if (wrote_any) {
      // Reuse the original separator (comma and whitespace) before this member.
      size_t sep_begin = members[i - 1].value_end;
      out.append(text_.substr(sep_begin, members[i].key_begin - sep_begin));
    }
    if (actions_[i] == Action::kReplace) {
      out.append(replacements_[i]);
    } else {
      out.append(text_.substr(members[i].key_begin, members[i].value_end - members[i].key_begin));
    }
    wrote_any = true;
  }
  for (const auto& a : appended_) {
    if (wrote_any) out.push_back(',');
    out.append(a);
    wrote_any = true;
  }
  out.append(text_.substr(members.back().value_end));
  return out;
}

std::string JsonMemberText(std::string_view key, std::string_view value_json) {
  std::string out = DumpJson(nlohmann::json(std::string(key)));
  out.push_back(':');
  out.append(value_json);
  return out;
}

}  // namespace shim
