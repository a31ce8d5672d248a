#include "responses/responses_store.h"

#include "rewrite/json_scanner.h"

namespace shim::responses {

void ResponsesStore::Put(const std::string& id, std::string response, nlohmann::json messages) {
  const size_t bytes = id.size() + response.size() + DumpJson(messages).size();
  if (bytes > max_bytes_ || max_entries_ == 0) return;
  if (auto it = entries_.find(id); it != entries_.end()) {
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    for (auto o = order_.begin(); o != order_.end(); ++o) {
      if (*o == id) {
        order_.erase(o);
        break;
      }
    }
  }
  while (!order_.empty() && (entries_.size() >= max_entries_ || bytes_ + bytes > max_bytes_)) {
    auto oldest = entries_.find(order_.front());
    if (oldest != entries_.end()) {
      bytes_ -= oldest->second.bytes;
      entries_.erase(oldest);
    }
    order_.pop_front();
  }
  entries_[id] = Entry{std::move(response), std::move(messages), bytes};
  order_.push_back(id);
  bytes_ += bytes;
}

const std::string* ResponsesStore::Response(const std::string& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.response;
}

const nlohmann::json* ResponsesStore::Messages(const std::string& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.messages;
}

}  // namespace shim::responses
