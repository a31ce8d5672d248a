#include "rewrite/rewrite_rules.h"

namespace shim {
namespace {

// The two OpenAI routes whose request bodies differ between vLLM and SGLang.
// Other routes (embeddings, tokenize, responses, ...) pass through untouched.
constexpr RouteRule kRouteRules[] = {
    {"POST", "/v1/chat/completions", RouteKind::kChatCompletions},
    {"POST", "/v1/completions", RouteKind::kCompletions},
};

// vLLM request fields: vllm/entrypoints/openai/chat_completion/protocol.py and
// completion/protocol.py (ChatCompletionRequest, CompletionRequest).
// SGLang request fields: python/sglang/srt/entrypoints/openai/protocol.py; its
// models ignore unknown keys, so a vLLM field SGLang lacks is silently dropped
// unless a rule here translates or rejects it.
constexpr FieldRule kFieldRules[] = {
    // Same meaning, different name.
    {"request_id", kBothRoutes, FieldAction::kRename, "rid", "", "", ""},
    {"include_stop_str_in_output", kBothRoutes, FieldAction::kRename, "no_stop_trim", "", "", ""},
    // vLLM treats top_k 0 as "disabled"; SGLang rejects 0 and spells it -1
    // (sglang/srt/sampling/sampling_params.py: "top_k must be -1 (disable), or at least 1").
    {"top_k", kBothRoutes, FieldAction::kReplaceValue, "0", "-1", "", ""},

    // Structured outputs: translated to response_format / json_schema / regex / ebnf.
    {"structured_outputs", kBothRoutes, FieldAction::kStructuredOutputs, "", "", "", ""},
    {"guided_json", kBothRoutes, FieldAction::kGuidedJson, "", "", "", ""},
    {"guided_regex", kBothRoutes, FieldAction::kGuidedRegex, "", "", "", ""},
    {"guided_choice", kBothRoutes, FieldAction::kGuidedChoice, "", "", "", ""},
    {"guided_grammar", kBothRoutes, FieldAction::kGuidedGrammar, "", "", "", ""},

    // No SGLang equivalent: honouring the request is impossible, so say so
    // instead of silently returning a different result. Defaults pass.
    {"use_beam_search", kBothRoutes, FieldAction::kRejectUnlessDefault, "false", "", "", "SGLang has no beam search"},
    {"prompt_logprobs", kBothRoutes, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang's OpenAI API cannot return prompt logprobs"},
    {"truncate_prompt_tokens", kBothRoutes, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang cannot truncate prompts per request"},
    {"allowed_token_ids", kBothRoutes, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang has no allowed-token list"},
    {"logprob_token_ids", kBothRoutes, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang cannot return logprobs for chosen token ids"},
    {"return_tokens_as_token_ids", kBothRoutes, FieldAction::kRejectUnlessDefault, "false", "", "",
     "SGLang cannot render tokens as token ids"},
    {"spaces_between_special_tokens", kBothRoutes, FieldAction::kRejectUnlessDefault, "true", "", "",
     "SGLang's OpenAI API always puts spaces between special tokens"},
    {"thinking_token_budget", kBothRoutes, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang has no per-request thinking budget"},
    {"repetition_detection", kBothRoutes, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang has no repetition detection"},
    {"bad_words", kChatRoute, FieldAction::kRejectUnlessDefault, "[]", "", "", "SGLang has no bad-words list"},
    {"echo", kChatRoute, FieldAction::kRejectUnlessDefault, "false", "", "",
     "SGLang's chat API cannot echo the last message"},
    {"chat_template", kChatRoute, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang cannot change the chat template per request"},
    {"documents", kChatRoute, FieldAction::kRejectUnlessDefault, "null", "", "",
     "SGLang's chat API has no documents field"},
    // SGLang's continue_final_message already omits the generation prompt.
    {"add_generation_prompt", kChatRoute, FieldAction::kRejectUnlessDefault, "true", "", "continue_final_message",
     "SGLang always adds the generation prompt"},
};

}  // namespace

std::span<const RouteRule> RouteRules() { return kRouteRules; }
std::span<const FieldRule> FieldRules() { return kFieldRules; }

}  // namespace shim
