// Splits a text/event-stream body into whole frames so a per-frame transform
// can run on them. Only the incomplete tail of the stream is held back.
#pragma once
#include <string>
#include <string_view>

namespace shim {

class SseFrameSplitter {
 public:
  // Appends complete frames found in `data` (each with its blank-line
  // terminator, "\n\n" or "\r\n\r\n") to *frames via fn(std::string* frame);
  // keeps any incomplete frame for the next call.
  template <typename Fn>
  void Feed(std::string_view data, Fn fn) {
    pending_.append(data);
    size_t start = 0;
    while (true) {
      size_t end = FindFrameEnd(start);
      if (end == std::string::npos) break;
      std::string frame = pending_.substr(start, end - start);
      fn(&frame);
      start = end;
    }
    pending_.erase(0, start);
  }
  // The unterminated rest at the end of the stream (passed through unchanged).
  std::string TakeRemainder() { return std::move(pending_); }
  size_t pending_bytes() const { return pending_.size(); }

 private:
  // Index just past the next frame terminator at or after `from`, or npos.
  size_t FindFrameEnd(size_t from) const;
  std::string pending_;
};

}  // namespace shim
