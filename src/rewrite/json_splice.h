// Byte-faithful edits of a root JSON object: members are removed, replaced or
// appended, and everything else is copied from the original text unchanged.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rewrite/json_scanner.h"

namespace shim {

class ObjectSplicer {
 public:
  // `text` and `scan` must outlive the splicer; `scan` describes `text`.
  ObjectSplicer(std::string_view text, const JsonObjectScan& scan);

  // `index` is a position in scan.members.
  void Remove(size_t index);
  // Replaces the whole member (key and value) with `member_text`, which must be
  // a serialised `"key":value` pair.
  void Replace(size_t index, std::string member_text);
  // Adds a serialised `"key":value` pair before the closing brace.
  void Append(std::string member_text);

  bool HasEdits() const { return edited_; }
  // The edited document.
  std::string Build() const;
  // Turns *scan, the scan this splicer was made with, into a scan of what
  // Build() returns, without scanning again. Only removals can be followed
  // this way: with a replacement or an appended member it returns false and
  // leaves *scan alone.
  bool RebaseScan(JsonObjectScan* scan) const;

 private:
  enum class Action { kKeep, kRemove, kReplace };
  std::string_view text_;
  const JsonObjectScan& scan_;
  std::vector<Action> actions_;
  std::vector<std::string> replacements_;
  std::vector<std::string> appended_;
  bool edited_ = false;
};

// `"key":` followed by `value_json`, with the key escaped as JSON.
std::string JsonMemberText(std::string_view key, std::string_view value_json);

}  // namespace shim
