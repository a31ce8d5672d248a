// Relays a text/event-stream body frame by frame through a per-frame rewrite.
// A frame the rewrite leaves alone is sent as a view of the bytes just read
// (no copy); only an incomplete frame at the end of a read is held back, and
// each complete frame goes out the moment its blank line arrives.
#pragma once
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shim {

class SseFrameRelay {
 public:
  // True with *out set: send *out instead of `frame` (empty drops it).
  // False: send `frame` unchanged. `frame` includes its blank line.
  using Rewrite = std::function<bool(std::string_view frame, std::string* out)>;

  // Splits `pieces` (consecutive body bytes) into frames and appends what to
  // send now to *out. The views stay valid until the next Feed or Finish.
  void Feed(const std::vector<std::string_view>& pieces, const Rewrite& rewrite, std::vector<std::string_view>* out);

  // The unterminated rest at the end of the stream, passed on unchanged.
  std::string_view Finish();

  size_t held_bytes() const { return held_.size(); }

  // An unterminated frame longer than this is sent on unchanged instead of
  // held: holding must stay bounded whatever SGLang sends.
  static constexpr size_t kMaxHeldFrame = 64 * 1024;

 private:
  std::string held_;    // incomplete frame from earlier reads
  std::string joined_;  // held_ + pieces when the input is not one view
  std::string finished_;
  std::deque<std::string> rewritten_;  // deque: views into it survive growth
};

// Index just past the first frame terminator ("\n\n" or "\n\r\n") at or after
// `from`, or npos.
size_t FindSseFrameEnd(std::string_view data, size_t from);

}  // namespace shim
