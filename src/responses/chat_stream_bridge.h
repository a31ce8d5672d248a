// A streamed chat answer as vLLM's Responses event stream (vLLM @9aaf83ef
// vllm/entrypoints/openai/responses/streaming_events.py and simple_streaming_events.py, the
// event types of openai.types.responses): response.created and response.in_progress first,
// then for each output item its added/delta/done events (reasoning text, output text,
// function-call arguments), and response.completed with the whole response and its usage.
// Each frame is `event: <type>` and `data: <json>` with a sequence_number counted from 0.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "responses/chat_bridge.h"

namespace shim::responses {

class ChatStreamBridge {
 public:
  explicit ChatStreamBridge(const BridgePlan* plan) : plan_(plan) {}

  // One SSE frame of SGLang's chat stream → the Responses events it becomes (maybe none).
  void OnChatFrame(std::string_view frame, std::string* out);

  // After the chat stream's [DONE]: the final response and the assistant's turn.
  bool finished() const { return finished_; }
  const std::string& final_response() const { return final_response_; }
  const nlohmann::json& assistant_turn() const { return assistant_turn_; }

 private:
  struct ToolCall {
    std::string id;       // fc_...
    std::string call_id;  // the chat tool call's id
    std::string name;
    std::string arguments;
    int output_index = 0;
  };

  void Emit(const char* type, nlohmann::ordered_json event, std::string* out);
  void Start(std::string* out);
  void AppendReasoning(const std::string& delta, std::string* out);
  void CloseReasoning(std::string* out);
  void AppendText(const std::string& delta, std::string* out);
  void CloseMessage(std::string* out);
  void ToolCallDelta(const nlohmann::json& call, std::string* out);
  void CloseToolCalls(std::string* out);
  void Finish(std::string* out);
  void Error(const nlohmann::json& error, std::string* out);

  const BridgePlan* plan_;
  bool started_ = false;
  bool finished_ = false;
  std::string model_;
  long long sequence_ = 0;
  int next_output_index_ = 0;
  nlohmann::ordered_json output_ = nlohmann::ordered_json::array();  // items done, in output order
  // The reasoning item and the message being streamed, if open.
  bool reasoning_open_ = false;
  std::string reasoning_id_;
  std::string reasoning_;
  int reasoning_index_ = 0;
  bool message_open_ = false;
  std::string message_id_;
  std::string text_;
  int message_index_ = 0;
  std::vector<ToolCall> tool_calls_;  // by the chat delta's index
  nlohmann::ordered_json usage_;
  std::string finish_reason_;
  std::string final_response_;
  nlohmann::json assistant_turn_;
};

}  // namespace shim::responses
