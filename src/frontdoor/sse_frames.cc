#include "frontdoor/sse_frames.h"

namespace shim {

size_t FindSseFrameEnd(std::string_view data, size_t from) {
  for (size_t i = data.find('\n', from); i != std::string_view::npos && i + 1 < data.size();
       i = data.find('\n', i + 1)) {
    if (data[i + 1] == '\n') return i + 2;
    if (data[i + 1] == '\r' && i + 2 < data.size() && data[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

void SseFrameRelay::Feed(const std::vector<std::string_view>& pieces, const Rewrite& rewrite,
                         std::vector<std::string_view>* out) {
  std::string_view work;
  if (held_.empty() && pieces.size() == 1) {
    work = pieces.front();
  } else {
    joined_.swap(held_);
    held_.clear();
    for (std::string_view piece : pieces) joined_.append(piece);
    work = joined_;
  }
  size_t rewritten_used = 0;
  size_t start = 0;
  bool last_is_input = false;  // out->back() is a view of `work` that may grow
  while (true) {
    size_t end = FindSseFrameEnd(work, start);
    if (end == std::string_view::npos) break;
    std::string_view frame = work.substr(start, end - start);
    if (rewritten_used == rewritten_.size()) rewritten_.emplace_back();
    std::string& replacement = rewritten_[rewritten_used];
    replacement.clear();
    if (rewrite && rewrite(frame, &replacement)) {
      ++rewritten_used;
      if (!replacement.empty()) out->push_back(replacement);
      last_is_input = false;
    } else if (last_is_input && out->back().data() + out->back().size() == frame.data()) {
      out->back() = std::string_view(out->back().data(), out->back().size() + frame.size());
    } else {
      out->push_back(frame);
      last_is_input = true;
    }
    start = end;
  }
  std::string_view tail = work.substr(start);
  if (tail.size() > kMaxHeldFrame) {
    // No event is this long; pass it on as it is rather than hold it unbounded.
    out->push_back(tail);
    return;
  }
  held_.assign(tail);
}

std::string_view SseFrameRelay::Finish() {
  finished_.swap(held_);
  held_.clear();
  return finished_;
}

}  // namespace shim
