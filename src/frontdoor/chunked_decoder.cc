#include "frontdoor/chunked_decoder.h"

#include "common/hex.h"

namespace shim {
ChunkedDecoder::Step ChunkedDecoder::Fail(const char* why, size_t consumed) {
  state_ = State::kError;
  error_ = why;
  Step step;
  step.status = Status::kError;
  step.consumed = consumed;
  return step;
}

ChunkedDecoder::Step ChunkedDecoder::Next(std::string_view input) {
  size_t used = 0;
  while (true) {
    std::string_view rest = input.substr(used);
    switch (state_) {
      case State::kError:
        return Fail(error_, used);
      case State::kDone: {
        Step step;
        step.status = Status::kDone;
        step.consumed = used;
        return step;
      }
      case State::kSizeLine:
      case State::kTrailer: {
        size_t newline = rest.find('\n');
        if (newline == std::string_view::npos) {
          if (rest.size() > max_line_bytes_) return Fail("chunk line too long", used);
          return Step{Status::kNeedMore, used, {}};
        }
        if (newline + 1 > max_line_bytes_) return Fail("chunk line too long", used);
        if (newline == 0 || rest[newline - 1] != '\r') return Fail("bare LF in chunked body", used);
        std::string_view line = rest.substr(0, newline - 1);
        used += newline + 1;
        if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
          return Fail("control character in chunked body", used);
        }
        if (state_ == State::kTrailer) {
          if (line.empty()) state_ = State::kDone;
          continue;  // trailer fields are dropped, never forwarded
        }
        uint64_t size = 0;
        size_t digits = 0;
        while (digits < line.size() && HexDigitValue(line[digits]) >= 0) {
          if (digits >= 15) return Fail("chunk size too large", used);
          size = size * 16 + static_cast<uint64_t>(HexDigitValue(line[digits]));
          ++digits;
        }
        if (digits == 0) return Fail("invalid chunk size", used);
        std::string_view ext = line.substr(digits);
        while (!ext.empty() && (ext.front() == ' ' || ext.front() == '\t')) ext.remove_prefix(1);
        if (!ext.empty() && ext.front() != ';') return Fail("invalid chunk size", used);
        if (size == 0) {
          state_ = State::kTrailer;
        } else {
          remaining_ = size;
          state_ = State::kData;
        }
        continue;
      }
      case State::kData: {
        if (rest.empty()) return Step{Status::kNeedMore, used, {}};
        size_t take = rest.size() < remaining_ ? rest.size() : static_cast<size_t>(remaining_);
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::kDataEnd;
        return Step{Status::kData, used + take, rest.substr(0, take)};
      }
      case State::kDataEnd: {
        if (rest.size() < 2) {
          if (rest.size() == 1 && rest[0] != '\r') return Fail("missing CRLF after chunk data", used);
          return Step{Status::kNeedMore, used, {}};
        }
        if (rest[0] != '\r' || rest[1] != '\n') return Fail("missing CRLF after chunk data", used);
        used += 2;
        state_ = State::kSizeLine;
        continue;
      }
    }
  }
}

}  // namespace shim
