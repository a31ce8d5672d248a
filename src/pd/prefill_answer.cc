#include "pd/prefill_answer.h"

#include "rewrite/json_scanner.h"

namespace shim::pd {

std::string PrefillLegAnswer(LegRoute route, std::string_view request_id, std::string_view model, long long created,
                             const BootstrapTarget& target) {
  using nlohmann::ordered_json;
  const bool chat = route == LegRoute::kChatCompletions;
  ordered_json choice = ordered_json::object();
  choice["index"] = 0;
  if (chat) {
    ordered_json message = ordered_json::object();
    message["role"] = "assistant";
    message["content"] = "";
    message["tool_calls"] = ordered_json::array();
    choice["message"] = std::move(message);
  } else {
    choice["text"] = "";
  }
  choice["logprobs"] = nullptr;
  choice["finish_reason"] = "length";
  choice["stop_reason"] = nullptr;
  ordered_json answer = ordered_json::object();
  answer["id"] = std::string(chat ? "chatcmpl-" : "cmpl-") + std::string(request_id);
  answer["object"] = chat ? "chat.completion" : "text_completion";
  answer["created"] = created;
  answer["model"] = std::string(model);
  answer["choices"] = ordered_json::array({std::move(choice)});
  ordered_json usage = ordered_json::object();
  usage["prompt_tokens"] = 0;
  usage["total_tokens"] = 0;
  usage["completion_tokens"] = 0;
  answer["usage"] = std::move(usage);
  answer["kv_transfer_params"] = PrefillKvTransferParams(target);
  return DumpJson(answer);
}

}  // namespace shim::pd
