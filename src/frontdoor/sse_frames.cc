#include "frontdoor/sse_frames.h"

namespace shim {

size_t SseFrameSplitter::FindFrameEnd(size_t from) const {
  for (size_t i = from; i + 1 < pending_.size(); ++i) {
    if (pending_[i] != '\n') continue;
    if (pending_[i + 1] == '\n') return i + 2;
    if (pending_[i + 1] == '\r' && i + 2 < pending_.size() && pending_[i + 2] == '\n') return i + 3;
  }
  return std::string::npos;
}

}  // namespace shim
