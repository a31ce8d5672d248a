#include "responses/chat_stream_bridge.h"

#include "responses/json_fields.h"
#include "responses/responses_usage.h"
#include "rewrite/json_scanner.h"

namespace shim::responses {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxDepth = 256;

// The data of an SSE frame (its data: lines joined), without the field names.
std::string FrameData(std::string_view frame) {
  std::string data;
  size_t pos = 0;
  while (pos < frame.size()) {
    size_t end = frame.find('\n', pos);
    if (end == std::string_view::npos) end = frame.size();
    std::string_view line = frame.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) == "data:") {
      line.remove_prefix(5);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (!data.empty()) data.push_back('\n');
      data.append(line);
    }
    pos = end + 1;
  }
  return data;
}

ordered_json OutputText(const std::string& text) {
  ordered_json part = ordered_json::object();
  part["annotations"] = ordered_json::array();
  part["text"] = text;
  part["type"] = "output_text";
  part["logprobs"] = nullptr;
  return part;
}

ordered_json ReasoningItem(const std::string& id, const std::string& text, bool done) {
  ordered_json item = ordered_json::object();
  item["id"] = id;
  item["summary"] = ordered_json::array();
  item["type"] = "reasoning";
  ordered_json content = ordered_json::array();
  if (done) content.push_back(ordered_json{{"text", text}, {"type", "reasoning_text"}});
  item["content"] = std::move(content);
  item["encrypted_content"] = nullptr;
  item["status"] = done ? ordered_json("completed") : ordered_json("in_progress");
  return item;
}

ordered_json MessageItem(const std::string& id, const std::string& text, bool done) {
  ordered_json item = ordered_json::object();
  item["id"] = id;
  ordered_json content = ordered_json::array();
  if (done) content.push_back(OutputText(text));
  item["content"] = std::move(content);
  item["role"] = "assistant";
  item["status"] = done ? "completed" : "in_progress";
  item["type"] = "message";
  return item;
}

}  // namespace

void ChatStreamBridge::Emit(const char* type, ordered_json event, std::string* out) {
  ordered_json framed = ordered_json::object();
  framed["type"] = type;
  framed["sequence_number"] = sequence_++;
  for (auto it = event.begin(); it != event.end(); ++it) framed[it.key()] = std::move(it.value());
  out->append("event: ").append(type).append("\ndata: ").append(DumpJson(framed)).append("\n\n");
}

void ChatStreamBridge::Start(std::string* out) {
  started_ = true;
  ordered_json created = ordered_json::object();
  created["response"] = ResponsesObject(*plan_, model_, "in_progress", ordered_json::array(), nullptr);
  ordered_json in_progress = created;
  Emit("response.created", std::move(created), out);
  Emit("response.in_progress", std::move(in_progress), out);
}

void ChatStreamBridge::AppendReasoning(const std::string& delta, std::string* out) {
  if (!reasoning_open_) {
    reasoning_open_ = true;
    reasoning_id_ = NewItemId("rs_");
    reasoning_index_ = next_output_index_++;
    ordered_json added = ordered_json::object();
    added["output_index"] = reasoning_index_;
    added["item"] = ReasoningItem(reasoning_id_, "", false);
    Emit("response.output_item.added", std::move(added), out);
    ordered_json part = ordered_json::object();
    part["content_index"] = 0;
    part["item_id"] = reasoning_id_;
    part["output_index"] = reasoning_index_;
    part["part"] = ordered_json{{"text", ""}, {"type", "reasoning_text"}};
    Emit("response.reasoning_part.added", std::move(part), out);
  }
  reasoning_ += delta;
  ordered_json event = ordered_json::object();
  event["content_index"] = 0;
  event["delta"] = delta;
  event["item_id"] = reasoning_id_;
  event["output_index"] = reasoning_index_;
  Emit("response.reasoning_text.delta", std::move(event), out);
}

void ChatStreamBridge::CloseReasoning(std::string* out) {
  if (!reasoning_open_) return;
  reasoning_open_ = false;
  ordered_json done = ordered_json::object();
  done["content_index"] = 0;
  done["item_id"] = reasoning_id_;
  done["output_index"] = reasoning_index_;
  done["text"] = reasoning_;
  Emit("response.reasoning_text.done", std::move(done), out);
  ordered_json part = ordered_json::object();
  part["content_index"] = 0;
  part["item_id"] = reasoning_id_;
  part["output_index"] = reasoning_index_;
  part["part"] = ordered_json{{"text", reasoning_}, {"type", "reasoning_text"}};
  Emit("response.reasoning_part.done", std::move(part), out);
  ordered_json item = ReasoningItem(reasoning_id_, reasoning_, true);
  output_.push_back(item);
  ordered_json item_done = ordered_json::object();
  item_done["output_index"] = reasoning_index_;
  item_done["item"] = std::move(item);
  Emit("response.output_item.done", std::move(item_done), out);
}

void ChatStreamBridge::AppendText(const std::string& delta, std::string* out) {
  if (!message_open_) {
    CloseReasoning(out);
    message_open_ = true;
    message_id_ = NewItemId("msg_");
    message_index_ = next_output_index_++;
    ordered_json added = ordered_json::object();
    added["output_index"] = message_index_;
    added["item"] = MessageItem(message_id_, "", false);
    Emit("response.output_item.added", std::move(added), out);
    ordered_json part = ordered_json::object();
    part["content_index"] = 0;
    part["item_id"] = message_id_;
    part["output_index"] = message_index_;
    part["part"] = OutputText("");
    Emit("response.content_part.added", std::move(part), out);
  }
  text_ += delta;
  ordered_json event = ordered_json::object();
  event["content_index"] = 0;
  event["delta"] = delta;
  event["item_id"] = message_id_;
  event["logprobs"] = ordered_json::array();
  event["output_index"] = message_index_;
  Emit("response.output_text.delta", std::move(event), out);
}

void ChatStreamBridge::CloseMessage(std::string* out) {
  if (!message_open_) return;
  message_open_ = false;
  ordered_json done = ordered_json::object();
  done["content_index"] = 0;
  done["item_id"] = message_id_;
  done["logprobs"] = ordered_json::array();
  done["output_index"] = message_index_;
  done["text"] = text_;
  Emit("response.output_text.done", std::move(done), out);
  ordered_json part = ordered_json::object();
  part["content_index"] = 0;
  part["item_id"] = message_id_;
  part["output_index"] = message_index_;
  part["part"] = OutputText(text_);
  Emit("response.content_part.done", std::move(part), out);
  ordered_json item = MessageItem(message_id_, text_, true);
  output_.push_back(item);
  ordered_json item_done = ordered_json::object();
  item_done["output_index"] = message_index_;
  item_done["item"] = std::move(item);
  Emit("response.output_item.done", std::move(item_done), out);
}

void ChatStreamBridge::ToolCallDelta(const json& call, std::string* out) {
  const json* index_value = Member(call, "index");
  const size_t index = index_value != nullptr && index_value->is_number_unsigned() ? index_value->get<size_t>() : 0;
  if (index > 1024) return;  // not a real tool call index; nothing sane to build
  CloseReasoning(out);
  CloseMessage(out);
  const json* function = Member(call, "function");
  if (index >= tool_calls_.size()) {
    tool_calls_.resize(index + 1);
    ToolCall& t = tool_calls_[index];
    t.id = NewItemId("fc_");
    t.call_id = Str(call, "id");
    if (t.call_id.empty()) t.call_id = NewItemId("call_");
    t.name = function != nullptr ? Str(*function, "name") : "";
    t.output_index = next_output_index_++;
    ordered_json item = ordered_json::object();
    item["arguments"] = "";
    item["call_id"] = t.call_id;
    item["name"] = t.name;
    item["type"] = "function_call";
    item["id"] = t.id;
    item["status"] = "in_progress";
    ordered_json added = ordered_json::object();
    added["output_index"] = t.output_index;
    added["item"] = std::move(item);
    Emit("response.output_item.added", std::move(added), out);
  }
  ToolCall& t = tool_calls_[index];
  const std::string delta = function != nullptr ? Str(*function, "arguments") : "";
  if (delta.empty()) return;
  t.arguments += delta;
  ordered_json event = ordered_json::object();
  event["delta"] = delta;
  event["item_id"] = t.id;
  event["output_index"] = t.output_index;
  Emit("response.function_call_arguments.delta", std::move(event), out);
}

void ChatStreamBridge::CloseToolCalls(std::string* out) {
  for (const ToolCall& t : tool_calls_) {
    if (t.id.empty()) continue;  // an index the stream skipped
    ordered_json done = ordered_json::object();
    done["arguments"] = t.arguments;
    done["item_id"] = t.id;
    done["name"] = t.name;
    done["output_index"] = t.output_index;
    Emit("response.function_call_arguments.done", std::move(done), out);
    ordered_json item = ordered_json::object();
    item["arguments"] = t.arguments;
    item["call_id"] = t.call_id;
    item["name"] = t.name;
    item["type"] = "function_call";
    item["id"] = t.id;
    item["status"] = "completed";
    output_.push_back(item);
    ordered_json item_done = ordered_json::object();
    item_done["output_index"] = t.output_index;
    item_done["item"] = std::move(item);
    Emit("response.output_item.done", std::move(item_done), out);
  }
}

void ChatStreamBridge::Finish(std::string* out) {
  if (!started_) Start(out);
  CloseReasoning(out);
  CloseMessage(out);
  CloseToolCalls(out);
  finished_ = true;
  const std::string status = finish_reason_ == "length" ? "incomplete" : "completed";
  ordered_json response = ResponsesObject(*plan_, model_, status, output_, usage_);
  final_response_ = DumpJson(response);
  ordered_json completed = ordered_json::object();
  completed["response"] = std::move(response);
  Emit("response.completed", std::move(completed), out);
  json turn = {{"role", "assistant"}, {"content", text_}};
  if (!tool_calls_.empty()) {
    json calls = json::array();
    for (const ToolCall& t : tool_calls_) {
      calls.push_back(
          json{{"id", t.call_id}, {"type", "function"}, {"function", {{"name", t.name}, {"arguments", t.arguments}}}});
    }
    turn["tool_calls"] = std::move(calls);
  }
  assistant_turn_ = std::move(turn);
}

void ChatStreamBridge::Error(const json& error, std::string* out) {
  const json* inner = Member(error, "error");
  const json& e = inner != nullptr && inner->is_object() ? *inner : error;
  ordered_json event = ordered_json::object();
  const json* code = Member(e, "code");
  event["code"] = code != nullptr ? ordered_json(*code) : ordered_json(nullptr);
  const std::string message = Str(e, "message");
  event["message"] = message.empty() ? "The engine failed while streaming." : message;
  event["param"] = nullptr;
  Emit("error", std::move(event), out);
  finished_ = true;
}

void ChatStreamBridge::OnChatFrame(std::string_view frame, std::string* out) {
  out->clear();
  if (finished_) return;
  const std::string data = FrameData(frame);
  if (data.empty()) return;
  if (data == "[DONE]") {
    Finish(out);
    return;
  }
  json chunk;
  if (!ParseJsonValue(data, kMaxDepth, &chunk) || !chunk.is_object()) return;
  if (chunk.contains("error") || Str(chunk, "object") == "error") {
    Error(chunk, out);
    return;
  }
  if (model_.empty()) model_ = Str(chunk, "model");
  if (!started_) Start(out);
  if (const json* usage = Member(chunk, "usage")) {
    ordered_json converted;
    if (ResponseUsageFromChatUsage(*usage, &converted)) usage_ = std::move(converted);
  }
  const json* choices = Member(chunk, "choices");
  if (choices == nullptr || !choices->is_array() || choices->empty()) return;
  const json& choice = (*choices)[0];
  if (const json* delta = Member(choice, "delta")) {
    std::string reasoning = Str(*delta, "reasoning_content");
    if (reasoning.empty()) reasoning = Str(*delta, "reasoning");
    if (!reasoning.empty()) AppendReasoning(reasoning, out);
    const std::string content = Str(*delta, "content");
    if (!content.empty()) AppendText(content, out);
    if (const json* calls = Member(*delta, "tool_calls"); calls != nullptr && calls->is_array()) {
      for (const json& call : *calls) ToolCallDelta(call, out);
    }
  }
  const std::string finish = Str(choice, "finish_reason");
  if (!finish.empty()) finish_reason_ = finish;
}

}  // namespace shim::responses
