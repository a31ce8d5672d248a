#include "rewrite/json_splice.h"

namespace shim {

ObjectSplicer::ObjectSplicer(std::string_view text, const JsonObjectScan& scan)
    : text_(text), scan_(scan), actions_(scan.members.size(), Action::kKeep), replacements_(scan.members.size()) {}

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

bool ObjectSplicer::RebaseScan(JsonObjectScan* scan) const {
  if (!appended_.empty()) return false;
  for (Action action : actions_) {
    if (action == Action::kReplace) return false;
  }
  std::vector<JsonMember>& members = scan->members;
  if (members.empty()) return true;  // nothing removed either
  // The same walk as Build(): text before the first member, then each kept
  // member after the separator that preceded it in the original.
  const size_t tail = scan->close - members.back().value_end;
  size_t pos = members.front().key_begin;
  size_t kept = 0;
  size_t previous_end = 0;  // the original end of member i - 1
  for (size_t i = 0; i < members.size(); ++i) {
    JsonMember& m = members[i];
    const size_t key_begin = m.key_begin;
    const size_t value_end = m.value_end;
    if (actions_[i] != Action::kRemove) {
      if (kept > 0) pos += key_begin - previous_end;
      m.key_begin = pos;
      m.value_begin = pos + (m.value_begin - key_begin);
      m.value_end = pos + (value_end - key_begin);
      pos = m.value_end;
      if (kept != i) members[kept] = std::move(m);
      ++kept;
    }
    previous_end = value_end;
  }
  members.resize(kept);
  scan->close = pos + tail;
  return true;
}

std::string JsonMemberText(std::string_view key, std::string_view value_json) {
  std::string out = DumpJson(nlohmann::json(std::string(key)));
  out.push_back(':');
  out.append(value_json);
  return out;
}

}  // namespace shim
