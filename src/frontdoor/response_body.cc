#include "frontdoor/response_body.h"

namespace shim {
namespace {

// Chunk-size lines from SGLang are a few bytes; a line this long is not one.
constexpr size_t kMaxChunkLine = 4096;

}  // namespace

ResponseBodyDecoder::ResponseBodyDecoder(ResponseFraming framing, uint64_t content_length)
    : framing_(framing), remaining_(content_length), chunked_(kMaxChunkLine) {
  if (framing_ == ResponseFraming::kNone || (framing_ == ResponseFraming::kContentLength && remaining_ == 0)) {
    done_ = true;
  }
}

long ResponseBodyDecoder::Decode(std::string_view input, std::vector<std::string_view>* pieces) {
  if (done_) return 0;
  switch (framing_) {
    case ResponseFraming::kNone:
      return 0;
    case ResponseFraming::kUntilClose:
      if (!input.empty()) pieces->push_back(input);
      return static_cast<long>(input.size());
    case ResponseFraming::kContentLength: {
      size_t take = input.size() < remaining_ ? input.size() : static_cast<size_t>(remaining_);
      if (take > 0) pieces->push_back(input.substr(0, take));
      remaining_ -= take;
      done_ = remaining_ == 0;
      return static_cast<long>(take);
    }
    case ResponseFraming::kChunked: {
      size_t used = 0;
      while (true) {
        ChunkedDecoder::Step step = chunked_.Next(input.substr(used));
        used += step.consumed;
        if (step.status == ChunkedDecoder::Status::kError) {
          error_ = chunked_.error();
          return -1;
        }
        if (step.status == ChunkedDecoder::Status::kData) {
          if (!step.data.empty()) pieces->push_back(step.data);
          continue;
        }
        if (step.status == ChunkedDecoder::Status::kDone) done_ = true;
        break;  // done, or need more
      }
      return static_cast<long>(used);
    }
  }
  return 0;
}

bool ResponseBodyDecoder::FinishAtEof() {
  if (framing_ == ResponseFraming::kUntilClose) done_ = true;
  return done_;
}

}  // namespace shim
