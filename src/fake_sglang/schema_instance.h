// A deterministic JSON value that satisfies a JSON schema: the stand-in's answer to SGLang's
// grammar-constrained decoding (response_format json_schema / json_object in
// python/sglang/srt/entrypoints/openai/protocol.py ChatCompletionRequest.to_sampling_params).
//
// Rules, applied recursively (depth limit 16, beyond it null):
//   const → that value; enum → its first entry; anyOf/oneOf/allOf → the first sub-schema;
//   type (the first non-"null" entry of a type list) decides the rest:
//     object  → every property in "properties" (required or not), plus "sample" for a name in
//               "required" that "properties" lacks;
//     array   → max(minItems, 1) copies of the "items" instance, capped by maxItems;
//     string  → "sample" (padded with 'x' to minLength, cut to maxLength), or a fixed example
//               for format date / date-time / time / email / uuid / uri;
//     integer → 1, number → 1.5, each moved into minimum/maximum/exclusive bounds;
//     boolean → true, null → null;
//   no type → an object if "properties" is given, an array if "items" is, else "sample".
// Ignored: $ref/$defs, pattern, multipleOf, additionalProperties, prefixItems, uniqueItems, if/then.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fake_sglang/generator.h"

namespace shim::fake_sglang {

nlohmann::json SchemaInstance(const nlohmann::json& schema);

// Splits `text` into exactly n pieces (n ≥ 1) of near-equal length; a text shorter than n is
// padded with trailing spaces first (still valid JSON), so no piece is empty.
std::vector<std::string> SplitIntoPieces(std::string text, size_t n);

// Replaces the answer tokens after the first `keep` (the reasoning part) with the schema
// instance, serialised as ASCII and split over as many tokens as they were: the token count
// (and so usage) stays what the unconstrained answer had.
void ShapeAsJson(Generation* g, size_t keep, const nlohmann::json& schema);

}  // namespace shim::fake_sglang
