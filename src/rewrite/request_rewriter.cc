#include "rewrite/request_rewriter.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "rewrite/audio_parts.h"
#include "rewrite/error_shape.h"
#include "rewrite/json_key_edit.h"
#include "rewrite/json_scanner.h"
#include "rewrite/json_splice.h"
#include "rewrite/structured_outputs.h"

namespace shim {
namespace {

// Values compared against a rule's literal are small; bigger ones differ.
constexpr size_t kMaxComparedValue = 256;

// One request being rewritten: the scan, which members are still present, and
// the edits made so far.
class Rewrite {
 public:
  Rewrite(std::string_view body, const JsonObjectScan& scan)
      : body_(body), scan_(scan), live_(scan.members.size(), true), splicer_(body, scan) {
    // Member indices sorted by (key, position): every lookup below is a binary
    // search plus the occurrences of one key, never a pass over the whole
    // object (hostile bodies may have millions of members). One allocation.
    by_key_.resize(scan.members.size());
    for (size_t i = 0; i < by_key_.size(); ++i) {
      by_key_[i] = i;
      key_mask_ |= KeyBit(scan.members[i].key);
    }
    std::sort(by_key_.begin(), by_key_.end(), [&](size_t a, size_t b) {
      int c = scan.members[a].key.compare(scan.members[b].key);
      return c != 0 ? c < 0 : a < b;
    });
  }

  const JsonMember& Member(size_t i) const { return scan_.members[i]; }
  std::string_view Value(size_t i) const { return scan_.members[i].Value(body_); }

  // The occurrence of `key` that Python's json would keep (the last).
  std::optional<size_t> Find(std::string_view key) const {
    auto [first, last] = Occurrences(key);
    for (auto it = last; it != first;) {
      --it;
      if (live_[*it]) return *it;
    }
    return std::nullopt;
  }

  // Removes every occurrence of `key` except `keep`; returns how many went.
  int RemoveAll(std::string_view key, std::optional<size_t> keep = std::nullopt) {
    auto [first, last] = Occurrences(key);
    int removed = 0;
    for (auto it = first; it != last; ++it) {
      if (live_[*it] && (!keep || *keep != *it)) {
        live_[*it] = false;
        splicer_.Remove(*it);
        ++removed;
      }
    }
    return removed;
  }

  // Every distinct key, with the index of its last occurrence.
  template <typename Fn>
  void ForEachKey(Fn&& fn) const {
    for (size_t k = 0; k < by_key_.size(); ++k) {
      const std::string& key = scan_.members[by_key_[k]].key;
      if (k + 1 < by_key_.size() && scan_.members[by_key_[k + 1]].key == key) continue;
      fn(std::string_view(key), by_key_[k]);
    }
  }

  void Replace(size_t i, std::string member_text) { splicer_.Replace(i, std::move(member_text)); }
  void Append(std::string member_text) { splicer_.Append(std::move(member_text)); }

  // The member's own key bytes and colon, followed by a new value.
  std::string WithNewValue(size_t i, std::string_view value_json) const {
    const JsonMember& m = scan_.members[i];
    std::string out(body_.substr(m.key_begin, m.value_begin - m.key_begin));
    out.append(value_json);
    return out;
  }

  bool HasEdits() const { return splicer_.HasEdits(); }
  std::string Build() const { return splicer_.Build(); }
  // Only after the last edit: turns the scan this was made with into one of Build()'s text.
  bool RebaseScan(JsonObjectScan* scan) const { return splicer_.RebaseScan(scan); }

 private:
  std::string_view body_;
  const JsonObjectScan& scan_;
  std::vector<bool> live_;
  ObjectSplicer splicer_;
  std::vector<size_t> by_key_;

  // A one-word summary of the keys present: most rules name a key the body
  // lacks, and this answers that without a search.
  uint64_t key_mask_ = 0;
  static uint64_t KeyBit(std::string_view key) {
    if (key.empty()) return 1;
    return uint64_t{1} << ((key.size() * 7 + static_cast<unsigned char>(key.front()) * 3 +
                            static_cast<unsigned char>(key.back())) &
                           63);
  }

  using Iter = std::vector<size_t>::const_iterator;
  std::pair<Iter, Iter> Occurrences(std::string_view key) const {
    if ((key_mask_ & KeyBit(key)) == 0) return {by_key_.end(), by_key_.end()};
    auto first = std::lower_bound(by_key_.begin(), by_key_.end(), key, [&](size_t i, std::string_view k) {
      return std::string_view(scan_.members[i].key) < k;
    });
    auto last = first;
    while (last != by_key_.end() && scan_.members[*last].key == key) ++last;
    return {first, last};
  }
};

// True when `value` equals one of the '|'-separated JSON literals in `allowed`
// (numerically for numbers, so 1 and 1.0 agree).
bool ValueMatchesAny(std::string_view value, std::string_view allowed) {
  while (!allowed.empty()) {
    size_t bar = allowed.find('|');
    std::string_view literal = allowed.substr(0, bar);
    allowed = bar == std::string_view::npos ? std::string_view() : allowed.substr(bar + 1);
    if (value == literal) return true;
    if (value.size() > kMaxComparedValue) continue;
    nlohmann::json a, b;
    if (ParseJsonValue(value, 8, &a) && ParseJsonValue(literal, 8, &b) && a == b) return true;
  }
  return false;
}

RequestRewrite Reject(std::string_view param, const std::string& message) {
  RequestRewrite result;
  result.outcome = RequestRewrite::kReject;
  result.status = 400;
  result.body = VllmErrorBody(400, message, VllmErrorTypeForStatus(400), param);
  return result;
}

std::string UnsupportedMessage(const FieldRule& rule) {
  // Built with append: GCC 12 warns falsely (-Wrestrict) on long '+' chains.
  std::string message = "'";
  message.append(rule.key).append("' is not supported by this server (");
  message.append(rule.why).append("); omit it or send its default (");
  for (char c : rule.arg) message.push_back(c == '|' ? '/' : c);
  message.append(")");
  if (!rule.unless_true.empty()) message.append(" unless '").append(rule.unless_true).append("' is true");
  message.append(".");
  return message;
}

bool IsTrue(const Rewrite& rw, std::string_view key) {
  auto i = rw.Find(key);
  return i && rw.Member(*i).kind == JsonKind::kTrue;
}

// True when no rule can touch this body: no null member, no member named by
// a rule of this route or by the strip list. Most requests are like that, and
// then the sort and the per-rule lookups below are skipped.
bool NothingToRewrite(const JsonObjectScan& scan, RouteKind route, const RewriteOptions& options) {
  for (const JsonMember& member : scan.members) {
    if (member.kind == JsonKind::kNull) return false;
    if (route == RouteKind::kChatCompletions) {
      for (const std::string& key : options.strip_params) {
        if (member.key == key) return false;
      }
    }
    for (const FieldRule& rule : FieldRules()) {
      if (rule.key == member.key && RuleAppliesTo(rule, route)) return false;
    }
  }
  return true;
}

// A note for the debug log, when notes are wanted: the parts are joined only then.
template <typename... Parts>
void Note(const RewriteOptions& options, RequestRewrite* result, const Parts&... parts) {
  if (!options.explain) return;
  std::string note;
  (note.append(parts), ...);
  result->notes.push_back(std::move(note));
}

}  // namespace

RouteKind ClassifyRoute(std::string_view method, std::string_view path) {
  size_t query = path.find('?');
  if (query != std::string_view::npos) path = path.substr(0, query);
  for (const RouteRule& route : RouteRules()) {
    if (route.method == method && route.path == path) return route.kind;
  }
  return RouteKind::kOther;
}

RequestRewrite RewriteRequestBody(RouteKind route, std::string_view body, const RewriteOptions& options) {
  RequestRewrite result;
  if (route == RouteKind::kOther) return result;
  JsonObjectScan scan;
  std::string scan_error;
  if (!ScanTopLevelObject(body, &scan, &scan_error)) {
    Note(options, &result, "body is not a JSON object (", scan_error, "); forwarded unchanged");
    return result;
  }
  // input_audio content parts (chat only): a body without the bytes costs one memmem.
  const bool audio = route == RouteKind::kChatCompletions && ContainsBytes(body, "input_audio");
  if (!audio && NothingToRewrite(scan, route, options)) {
    result.scan = std::move(scan);
    return result;
  }
  Rewrite rw(body, scan);

  // 1. Nulls: OpenAI SDKs send them, SGLang rejects null for fields such as
  //    chat logprobs (SGLang @8905cbd4 python/sglang/srt/entrypoints/openai/protocol.py;
  //    docs/rewriting.md, rule 1). Absent means "default" to both.
  std::vector<std::string_view> null_keys;
  rw.ForEachKey([&](std::string_view key, size_t last) {
    if (rw.Member(last).kind == JsonKind::kNull) null_keys.push_back(key);
  });
  int nulls = 0;
  for (std::string_view key : null_keys) nulls += rw.RemoveAll(key);
  if (nulls) Note(options, &result, "removed ", std::to_string(nulls), " null field(s)");

  // 2. The strip list (chat only), the original tool's behaviour.
  if (route == RouteKind::kChatCompletions) {
    for (const std::string& key : options.strip_params) {
      if (!key.empty() && rw.RemoveAll(key) > 0) Note(options, &result, "stripped ", key);
    }
  }

  // 3. Table rules. Rejections first, so a rejected request costs no copy.
  struct Constraint {
    const FieldRule* rule;
    size_t index;
  };
  std::vector<Constraint> constraints;
  for (const FieldRule& rule : FieldRules()) {
    if (!RuleAppliesTo(rule, route)) continue;
    auto i = rw.Find(rule.key);
    if (!i) continue;
    switch (rule.action) {
      case FieldAction::kRejectUnlessDefault:
        if (!ValueMatchesAny(rw.Value(*i), rule.arg) && (rule.unless_true.empty() || !IsTrue(rw, rule.unless_true))) {
          return Reject(rule.key, UnsupportedMessage(rule));
        }
        break;
      case FieldAction::kStructuredOutputs:
      case FieldAction::kGuidedJson:
      case FieldAction::kGuidedRegex:
      case FieldAction::kGuidedChoice:
      case FieldAction::kGuidedGrammar:
        constraints.push_back({&rule, *i});
        break;
      default:
        break;
    }
  }

  // 4. Structured outputs: at most one source, translated in place.
  if (constraints.size() > 1) {
    return Reject(constraints[1].rule->key, "only one structured-output constraint may be given, but '" +
                                                std::string(constraints[0].rule->key) + "' and '" +
                                                std::string(constraints[1].rule->key) + "' are both set");
  }
  if (constraints.size() == 1) {
    const Constraint& c = constraints.front();
    std::vector<SglangMember> members;
    std::string err;
    if (!TranslateConstraint(c.rule->action, rw.Value(c.index), route, &members, &err)) {
      return Reject(c.rule->key, err);
    }
    if (!members.empty()) {
      for (std::string_view key : kSglangConstraintKeys) {
        auto found = rw.Find(key);
        if (!found) continue;
        size_t i = *found;
        // A plain-text response_format is no constraint; ours replaces it.
        bool plain_text =
            key == "response_format" && rw.Member(i).kind == JsonKind::kObject &&
            rw.Value(i).size() <= kMaxComparedValue && [&] {
              nlohmann::json format;
              return ParseJsonValue(rw.Value(i), 8, &format) && format.value("type", nlohmann::json()) == "text";
            }();
        if (!plain_text) {
          return Reject(c.rule->key, "'" + std::string(c.rule->key) + "' and '" + std::string(key) +
                                         "' both constrain the output; send only one");
        }
      }
      for (const SglangMember& m : members) rw.RemoveAll(m.key);
      rw.RemoveAll(c.rule->key, c.index);
      rw.Replace(c.index, JsonMemberText(members[0].key, members[0].value_json));
      for (size_t k = 1; k < members.size(); ++k) {
        rw.Append(JsonMemberText(members[k].key, members[k].value_json));
      }
      Note(options, &result, "translated ", c.rule->key, " to ", members[0].key);
    } else {
      // Options only (e.g. disable_any_whitespace): nothing SGLang can use.
      rw.RemoveAll(c.rule->key);
      Note(options, &result, "dropped ", c.rule->key, " (no constraint)");
    }
  }

  // 4b. input_audio content parts become SGLang's audio_url parts (audio_parts.h).
  if (audio) {
    if (auto i = rw.Find("messages"); i && rw.Member(*i).kind == JsonKind::kArray) {
      AudioPartsRewrite parts = RewriteInputAudioParts(rw.Value(*i));
      if (parts.outcome == AudioPartsRewrite::kInvalid) return Reject("messages", parts.message);
      if (parts.outcome == AudioPartsRewrite::kRewritten) {
        rw.RemoveAll("messages", *i);
        rw.Replace(*i, rw.WithNewValue(*i, parts.messages));
        Note(options, &result, "rewrote ", std::to_string(parts.parts), " input_audio part(s) to audio_url");
      }
    }
  }

  // 5. Renames and value maps.
  for (const FieldRule& rule : FieldRules()) {
    if (!RuleAppliesTo(rule, route)) continue;
    if (rule.action != FieldAction::kRename && rule.action != FieldAction::kReplaceValue) continue;
    auto i = rw.Find(rule.key);
    if (!i) continue;
    if (rule.action == FieldAction::kRename) {
      rw.RemoveAll(rule.arg);
      rw.RemoveAll(rule.key, *i);
      rw.Replace(*i, JsonMemberText(rule.arg, rw.Value(*i)));
      Note(options, &result, "renamed ", rule.key, " to ", rule.arg);
    } else if (ValueMatchesAny(rw.Value(*i), rule.arg)) {
      rw.RemoveAll(rule.key, *i);
      rw.Replace(*i, rw.WithNewValue(*i, rule.arg2));
      Note(options, &result, "mapped ", rule.key, " ", rule.arg, " to ", rule.arg2);
    }
  }

  if (!rw.HasEdits()) {
    result.scan = std::move(scan);
    return result;
  }
  result.outcome = RequestRewrite::kRewritten;
  result.body = rw.Build();
  if (rw.RebaseScan(&scan)) result.scan = std::move(scan);
  return result;
}

}  // namespace shim
