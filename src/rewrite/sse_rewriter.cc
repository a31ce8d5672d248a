#include "rewrite/sse_rewriter.h"

#include <cstring>

#include "rewrite/error_shape.h"
#include "rewrite/json_scanner.h"

namespace shim {
namespace {

// Whitespace tolerated between the tokens of an error frame's first bytes.
constexpr size_t kMaxPrefixSpaces = 16;

// Matches `prefix` against a frame start. Steps: a literal, or "spaces".
// Returns kNeedMore while `prefix` is a proper prefix of an error frame start.
class PrefixMatcher {
 public:
  explicit PrefixMatcher(std::string_view prefix) : text_(prefix) {}

  // 1: matched; 0: need more bytes; -1: mismatch.
  int Literal(std::string_view word) {
    size_t avail = text_.size() - pos_;
    size_t n = avail < word.size() ? avail : word.size();
    if (text_.compare(pos_, n, word.substr(0, n)) != 0) return -1;
    pos_ += n;
    return n == word.size() ? 1 : 0;
  }
  // Skips spaces and tabs; 0 when the text ends inside them.
  int Spaces() {
    size_t start = pos_;
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    if (pos_ - start > kMaxPrefixSpaces) return -1;
    return pos_ < text_.size() ? 1 : 0;
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Offset of the first '\n' (or '\r' when `has_cr`) at or after `from`; the
// chunk size when there is none.
size_t FindLineEnd(std::string_view chunk, size_t from, bool has_cr) {
  const char* base = chunk.data();
  size_t n = chunk.size();
  const void* nl = std::memchr(base + from, '\n', n - from);
  size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - base) : n;
  if (has_cr) {
    const void* cr = std::memchr(base + from, '\r', end - from);
    if (cr) end = static_cast<size_t>(static_cast<const char*>(cr) - base);
  }
  return end;
}

}  // namespace

SseErrorRewriter::Verdict SseErrorRewriter::Classify(std::string_view prefix) {
  PrefixMatcher m(prefix);
  int r;
  if ((r = m.Literal("data:")) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
  if ((r = m.Spaces()) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
  if ((r = m.Literal("{")) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
  if ((r = m.Spaces()) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
  size_t key_at = m.pos();
  // Nested SGLang error: {"error": ...}.
  r = m.Literal("\"error\"");
  if (r == 1) return Verdict::kErrorCandidate;
  bool error_open = r == 0;
  // Flat SGLang error: {"object": "error", ...}. Ordinary chunks may also
  // start with "object" (e.g. "chat.completion.chunk"): look at the value.
  m.set_pos(key_at);
  r = m.Literal("\"object\"");
  if (r == 1) {
    if ((r = m.Spaces()) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
    if ((r = m.Literal(":")) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
    if ((r = m.Spaces()) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
    if ((r = m.Literal("\"error\"")) <= 0) return r == 0 ? Verdict::kNeedMore : Verdict::kOrdinary;
    return Verdict::kErrorCandidate;
  }
  if (r == 0 || error_open) return Verdict::kNeedMore;
  return Verdict::kOrdinary;
}

bool SseErrorRewriter::EndsFrame(char c) {
  if (c == '\n' && after_cr_) {  // second half of "\r\n"
    after_cr_ = false;
    return false;
  }
  if (c == '\n' || c == '\r') {
    bool blank = line_len_ == 0;
    line_len_ = 0;
    after_cr_ = c == '\r';
    return blank;
  }
  after_cr_ = false;
  ++line_len_;
  return false;
}

void SseErrorRewriter::EmitChunkRange(size_t begin, size_t end) {
  if (begin == end) return;
  if (!copying_ && begin == view_len_) {
    view_len_ = end;
    return;
  }
  if (!copying_) {
    out_.assign(chunk_.substr(0, view_len_));
    copying_ = true;
  }
  out_.append(chunk_.substr(begin, end - begin));
}

void SseErrorRewriter::EmitOther(std::string_view bytes) {
  if (bytes.empty()) return;
  if (!copying_) {
    out_.assign(chunk_.substr(0, view_len_));
    copying_ = true;
  }
  out_.append(bytes);
}

void SseErrorRewriter::FlushHeldUnchanged() {
  if (held_origin_ != kNotInChunk) {
    EmitChunkRange(held_origin_, held_origin_ + held_.size());
  } else {
    EmitOther(held_);
  }
  held_.clear();
}

void SseErrorRewriter::FinishHeldFrame() {
  std::string rewritten;
  if (RewriteSseErrorFrame(held_, &rewritten)) {
    EmitOther(rewritten);
    held_.clear();
  } else {
    FlushHeldUnchanged();
  }
}

std::string_view SseErrorRewriter::Feed(std::string_view chunk) {
  chunk_ = chunk;
  out_.clear();
  copying_ = false;
  view_len_ = 0;
  held_origin_ = kNotInChunk;
  const size_t n = chunk.size();
  // SGLang ends lines with "\n"; only look for "\r" when the chunk has one.
  const bool has_cr = n > 0 && std::memchr(chunk.data(), '\r', n) != nullptr;
  size_t run_begin = 0;  // start of bytes passing straight through
  size_t i = 0;
  while (i < n) {
    switch (phase_) {
      case Phase::kFrameStart: {
        char c = chunk[i];
        if (c == '\n' || c == '\r') {  // blank lines between frames pass
          ++i;
          break;
        }
        EmitChunkRange(run_begin, i);
        phase_ = Phase::kDeciding;
        held_.clear();
        held_origin_ = i;
        line_len_ = 0;
        after_cr_ = false;
        break;
      }
      case Phase::kDeciding: {
        char c = chunk[i++];
        held_.push_back(c);
        Verdict verdict = Classify(held_);
        if (verdict == Verdict::kNeedMore) break;
        // Replay the held bytes through the line tracker.
        bool ended = false;
        for (char h : held_) ended = EndsFrame(h) || ended;
        if (verdict == Verdict::kOrdinary) {
          FlushHeldUnchanged();
          phase_ = ended ? Phase::kFrameStart : Phase::kPassing;
          run_begin = i;
        } else {
          phase_ = Phase::kHolding;
        }
        break;
      }
      case Phase::kPassing: {
        // Jump from line end to line end; the bytes between are only counted.
        while (i < n) {
          size_t next = FindLineEnd(chunk, i, has_cr);
          if (next > i) {
            line_len_ += next - i;
            after_cr_ = false;
          }
          i = next;
          if (i >= n) break;
          if (EndsFrame(chunk[i++])) {
            phase_ = Phase::kFrameStart;
            break;
          }
        }
        break;
      }
      case Phase::kHolding: {
        char c = chunk[i++];
        held_.push_back(c);
        if (EndsFrame(c)) {
          FinishHeldFrame();
          phase_ = Phase::kFrameStart;
          run_begin = i;
        } else if (held_.size() > kMaxHeldFrame) {
          FlushHeldUnchanged();
          phase_ = Phase::kPassing;
          run_begin = i;
        }
        break;
      }
    }
  }
  if (phase_ == Phase::kFrameStart || phase_ == Phase::kPassing) EmitChunkRange(run_begin, n);
  // Held bytes of this chunk are copied into held_ already; the next call
  // cannot view them in its own chunk.
  held_origin_ = kNotInChunk;
  return copying_ ? std::string_view(out_) : chunk.substr(0, view_len_);
}

std::string_view SseErrorRewriter::Finish() {
  chunk_ = {};
  out_.clear();
  copying_ = false;
  view_len_ = 0;
  held_origin_ = kNotInChunk;
  if (phase_ == Phase::kHolding) {
    FinishHeldFrame();
  } else if (!held_.empty()) {
    FlushHeldUnchanged();
  }
  phase_ = Phase::kFrameStart;
  return copying_ ? std::string_view(out_) : std::string_view();
}

bool RewriteSseErrorFrame(std::string_view frame, std::string* out) {
  constexpr std::string_view kData = "data:";
  if (frame.substr(0, kData.size()) != kData) return false;
  if (!SseErrorRewriter::MayStartErrorFrame(frame)) return false;  // an ordinary chunk: no parse
  size_t line_end = frame.find_first_of("\r\n");
  if (line_end == std::string_view::npos) line_end = frame.size();
  std::string_view rest = frame.substr(line_end);
  // Only a frame of one data line: anything else is not SGLang's error frame.
  if (rest.find_first_not_of("\r\n") != std::string_view::npos) return false;
  std::string_view payload = frame.substr(kData.size(), line_end - kData.size());
  nlohmann::json parsed;
  if (!ParseJsonValue(payload, 32, &parsed)) return false;
  auto converted = VllmErrorFromSglangJson(parsed, 0);
  if (!converted) return false;
  out->assign("data: ");
  out->append(DumpJson(*converted));
  out->append(rest);
  return true;
}

}  // namespace shim
