// Incremental rewriting of SGLang's streaming error frames to vLLM's.
//
// SGLang reports an error inside a stream as one frame
//   data: {"error": {"object": "error", "message": ..., "type": ..., "param": ..., "code": ...}}
// (python/sglang/srt/entrypoints/openai/serving_base.py,
// create_streaming_error_response; older versions sent the flat
// {"object":"error",...}). vLLM sends data: {"error":{"message","type","param",
// "code"}} (vllm/entrypoints/openai/engine/serving.py).
//
// The rewriter never delays an ordinary frame: it looks at the first bytes of
// each frame (at most a few dozen) and, as soon as they cannot start an error
// frame, passes the frame through as it arrives. Only a frame that starts like
// an error is held until its blank line, then rewritten.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace shim {

class SseErrorRewriter {
 public:
  // Feeds the next chunk of the response body; returns the bytes to send now.
  // When nothing needs holding or rewriting the result is a view of `chunk`
  // itself (no copy); otherwise it views an internal buffer. Either way it is
  // valid until the next call.
  std::string_view Feed(std::string_view chunk);

  // Call once at end of stream: returns bytes still held (a frame cut off by
  // the end of the stream; rewritten if it is a complete error payload).
  std::string_view Finish();

  // False when `frame_start` cannot begin an SGLang error frame: the cheap
  // test that lets ordinary chunks skip JSON parsing.
  static bool MayStartErrorFrame(std::string_view frame_start) { return Classify(frame_start) != Verdict::kOrdinary; }

  // Bytes currently held back (for tests and metrics).
  size_t held_bytes() const { return held_.size(); }

  // A frame that starts like an error but grows beyond this is passed on
  // unchanged: error frames are small, and holding must stay bounded.
  static constexpr size_t kMaxHeldFrame = 64 * 1024;

 private:
  enum class Phase { kFrameStart, kDeciding, kPassing, kHolding };
  enum class Verdict { kNeedMore, kOrdinary, kErrorCandidate };

  static Verdict Classify(std::string_view prefix);
  // Line tracking across chunks; true when `c` completes a blank line.
  bool EndsFrame(char c);

  void EmitChunkRange(size_t begin, size_t end);
  void EmitOther(std::string_view bytes);
  void FlushHeldUnchanged();
  void FinishHeldFrame();

  Phase phase_ = Phase::kFrameStart;
  std::string held_;
  size_t line_len_ = 0;
  bool after_cr_ = false;

  // Per-call output state.
  std::string_view chunk_;
  std::string out_;
  bool copying_ = false;
  size_t view_len_ = 0;
  size_t held_origin_ = 0;  // offset in chunk_ where held_ starts, or kNotInChunk
  static constexpr size_t kNotInChunk = static_cast<size_t>(-1);
};

// Rewrites one complete SSE frame ("data: <json>" plus its line endings) if it
// is an SGLang error frame; returns false (and leaves *out alone) otherwise.
bool RewriteSseErrorFrame(std::string_view frame, std::string* out);

}  // namespace shim
