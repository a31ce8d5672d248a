// The bytes a client has sent and the front door has not used yet. Unlike
// beast::flat_buffer, consuming never moves the free space under a read in
// flight: the connection's reader prepares space, its read completes into it
// later, and meanwhile the request path may consume from the front. Bytes
// move only inside Prepare, which the reader calls when no read is pending
// and nobody holds a view of the data (see ClientConnection::PinInput).
#pragma once
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace shim {

class InputBuffer {
 public:
  std::string_view data() const { return std::string_view(storage_.get() + begin_, end_ - begin_); }
  size_t size() const { return end_ - begin_; }

  // Room for `n` more bytes after the data; compacts or grows as needed.
  char* Prepare(size_t n) {
    if (begin_ == end_) {
      begin_ = end_ = 0;
    } else if (begin_ > 0 && end_ + n > capacity_) {
      std::memmove(storage_.get(), storage_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ + n > capacity_) {
      size_t capacity = capacity_ == 0 ? n : capacity_;
      while (capacity < end_ + n) capacity *= 2;
      std::unique_ptr<char[]> grown(new char[capacity]);
      if (end_ > begin_) std::memcpy(grown.get(), storage_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
      storage_ = std::move(grown);
      capacity_ = capacity;
    }
    return storage_.get() + end_;
  }
  void Commit(size_t n) { end_ += n; }
  void Consume(size_t n) { begin_ += n < size() ? n : size(); }

 private:
  std::unique_ptr<char[]> storage_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace shim
