// vLLM structured-output requests → SGLang constraint fields.
//
// vLLM (vllm/sampling_params.py StructuredOutputsParams; the legacy guided_*
// fields before v0.12) takes exactly one of json / regex / choice / grammar /
// json_object / structural_tag. SGLang (python/sglang/srt/entrypoints/openai/
// protocol.py) takes response_format (json_schema, json_object,
// structural_tag), regex, ebnf, and on completions a json_schema string.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rewrite/rewrite_rules.h"

namespace shim {

// One member to add to the SGLang request, value already serialised.
struct SglangMember {
  std::string key;
  std::string value_json;
};

// Translates the vLLM constraint in `value_text` (the raw JSON of a member
// whose rule action is `source`, one of the structured-output actions) for
// `route`. On success *out holds zero or more members (zero when the request
// names no constraint, e.g. structured_outputs with only options). Returns
// false with a client-facing *err when the value is malformed or names more
// than one constraint.
bool TranslateConstraint(FieldAction source, std::string_view value_text, RouteKind route,
                         std::vector<SglangMember>* out, std::string* err);

// A regular expression matching exactly one of `choices`: "(a|b|c)" with
// regex metacharacters escaped.
std::string ChoiceRegex(const std::vector<std::string>& choices);

// SGLang request keys that already carry a constraint; a vLLM constraint next
// to one of them is ambiguous.
inline constexpr std::string_view kSglangConstraintKeys[] = {"response_format", "regex", "ebnf", "json_schema"};

}  // namespace shim
