#include "loadgen/sse_events.h"

namespace shim::loadgen {

void SseEventReader::Feed(std::string_view bytes, const std::function<void(std::string_view)>& on_data) {
  while (!bytes.empty()) {
    size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      if (partial_line_.size() + bytes.size() > max_event_bytes_) {
        partial_line_.clear();
        discarding_ = true;
      } else if (!discarding_) {
        partial_line_.append(bytes);
      }
      return;
    }
    std::string_view piece = bytes.substr(0, newline);
    bytes.remove_prefix(newline + 1);
    if (discarding_) {
      // The rest of an oversized line: drop it, then drop the event it belongs to.
      discarding_ = false;
      partial_line_.clear();
      data_.clear();
      has_data_ = false;
      ++oversized_;
      continue;
    }
    if (partial_line_.empty()) {
      HandleLine(piece, on_data);
    } else {
      partial_line_.append(piece);
      std::string line = std::move(partial_line_);
      partial_line_.clear();
      HandleLine(line, on_data);
    }
  }
}

void SseEventReader::HandleLine(std::string_view line, const std::function<void(std::string_view)>& on_data) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {  // blank line: the event is complete
    if (has_data_) on_data(data_);
    data_.clear();
    has_data_ = false;
    return;
  }
  if (line.substr(0, 5) != "data:") return;  // comments, event:, id:, retry:
  std::string_view value = line.substr(5);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (data_.size() + value.size() > max_event_bytes_) {
    ++oversized_;
    data_.clear();
    has_data_ = false;
    return;
  }
  if (has_data_) data_.push_back('\n');
  data_.append(value);
  has_data_ = true;
}

namespace {

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) ++pos;
  return pos;
}

// Position just after `"key"` followed by optional spaces and ':' and spaces,
// searching from `from`; npos when absent.
size_t FindValueOf(std::string_view data, std::string_view quoted_key, size_t from) {
  while (true) {
    size_t at = data.find(quoted_key, from);
    if (at == std::string_view::npos) return at;
    size_t pos = SkipSpaces(data, at + quoted_key.size());
    if (pos < data.size() && data[pos] == ':') return SkipSpaces(data, pos + 1);
    from = at + 1;
  }
}

bool NonEmptyStringAt(std::string_view data, size_t pos) {
  return pos + 1 < data.size() && data[pos] == '"' && data[pos + 1] != '"';
}

}  // namespace

std::optional<int64_t> FindFakeSentNs(std::string_view data) {
  size_t pos = FindValueOf(data, "\"fake_sent_ns\"", 0);
  if (pos == std::string_view::npos) return std::nullopt;
  int64_t value = 0;
  size_t digits = 0;
  while (pos < data.size() && data[pos] >= '0' && data[pos] <= '9' && digits < 19) {
    value = value * 10 + (data[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return value;
}

bool CarriesText(std::string_view data) {
  for (std::string_view key : {std::string_view("\"content\""), std::string_view("\"text\"")}) {
    size_t from = 0;
    while (true) {
      size_t pos = FindValueOf(data, key, from);
      if (pos == std::string_view::npos) break;
      if (NonEmptyStringAt(data, pos)) return true;
      from = pos;
    }
  }
  return false;
}

}  // namespace shim::loadgen
