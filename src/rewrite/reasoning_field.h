// vLLM's name for the reasoning text. SGLang's reasoning parser puts it in
// `reasoning_content` (python/sglang/srt/entrypoints/openai/protocol.py @8905cbd4,
// ChatMessage / DeltaMessage); vLLM renamed its field to `reasoning` and current vLLM
// clients read only that (vllm/entrypoints/openai/chat_completion/protocol.py @9aaf83ef).
// Both directions are byte edits of the object keys at one nesting depth; every other
// byte, including values, passes unchanged.
#pragma once
#include <string>
#include <string_view>

namespace shim {

enum class ReasoningField {
  kReasoning,         // vLLM since the rename (the default)
  kReasoningContent,  // vLLM before it: SGLang's answer as it is
  kBoth,              // both keys, same value
};

// Parses "reasoning" | "reasoning_content" | "both".
bool ParseReasoningField(std::string_view text, ReasoningField* out);

// SGLang's chat answer (a whole body, or one SSE frame's JSON) with the reasoning text
// under the key `field` asks for: `choices[i].message` and `choices[i].delta`.
bool RenameReasoningInAnswer(std::string_view json, ReasoningField field, std::string* out);

// A chat request's history for SGLang: an assistant message's `reasoning` (vLLM's field)
// becomes `reasoning_content` (SGLang's), unless the message has both. `messages` is the
// JSON array of the request's `messages` member.
bool RenameReasoningInMessages(std::string_view messages, std::string* out);

}  // namespace shim
