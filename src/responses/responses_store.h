// The responses the front door built itself (through SGLang's chat route) and the
// conversation each ended, for GET /v1/responses/{id} and previous_response_id: SGLang never
// saw them as responses. Bounded in entries and bytes, oldest dropped first, as vLLM's
// in-memory store is the default and is lost on restart too. Single-threaded, like the
// front door.
#pragma once
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace shim::responses {

class ResponsesStore {
 public:
  ResponsesStore(size_t max_entries, size_t max_bytes) : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // Keeps `response` (its JSON text) and `messages` (the chat conversation including the
  // answer) under `id`. An entry larger than the byte bound is not kept.
  void Put(const std::string& id, std::string response, nlohmann::json messages);

  const std::string* Response(const std::string& id) const;
  const nlohmann::json* Messages(const std::string& id) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string response;
    nlohmann::json messages;
    size_t bytes = 0;
  };
  size_t max_entries_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // oldest first
};

}  // namespace shim::responses
