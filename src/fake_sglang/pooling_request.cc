#include "fake_sglang/pooling_request.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "common/strings.h"
#include "fake_sglang/generator.h"
#include "fake_sglang/openai_request.h"
#include "fake_sglang/openai_response.h"
#include "fake_sglang/pooling_math.h"

namespace shim::fake_sglang {
namespace {

using nlohmann::json;
// Pydantic serialises fields in declaration order; nlohmann::json would sort the keys.
using ojson = nlohmann::ordered_json;

std::string Dump(const ojson& body) { return body.dump(-1, ' ', false, ojson::error_handler_t::replace); }
std::string Dump(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

PoolingAnswer FromError(const ApiError& error) { return {error.status, Dump(error.body)}; }

// serving_base.create_error_response: the flat 400 of a handler's _validate_request.
PoolingAnswer BadRequest(const std::string& message) {
  return {400, Dump(SglangErrorBody(400, message, "BadRequestError"))};
}

// http_server.py _create_error_response: the native routes' ValueError answer.
PoolingAnswer NativeError(const std::string& message) {
  ojson body;
  body["error"]["message"] = message;
  return {400, Dump(body)};
}

PoolingAnswer MethodNotAllowed() { return {405, R"({"detail":"Method Not Allowed"})"}; }

bool IsPost(const PoolingCall& call, bool put_too) {
  return call.method == "POST" || (put_too && call.method == "PUT");
}

// Content-Type check (http_server.py validate_json_request), JSON decode and the object check,
// as FastAPI/pydantic report them. Returns nullopt with *error set on failure.
std::optional<json> ReadBody(const PoolingCall& call, const char* model, bool json_only, PoolingAnswer* error) {
  if (json_only && !StartsWith(ToLower(TrimSpaces(call.content_type)), "application/json")) {
    *error = FromError(ValidationError(
        {{"value_error", "('header', 'content-type')", "Unsupported Media Type: Only 'application/json' is allowed"}},
        model));
    return std::nullopt;
  }
  json body = json::parse(call.body, nullptr, false);
  if (body.is_discarded()) {
    *error = FromError(ValidationError({{"json_invalid", "('body', 0)", "JSON decode error"}}, model));
    return std::nullopt;
  }
  if (!body.is_object()) {
    *error = FromError(
        ValidationError({{"model_attributes_type", "('body',)", "Input should be a valid dictionary"}}, model));
    return std::nullopt;
  }
  return body;
}

std::string Loc(const char* field) { return std::string("('body', '") + field + "')"; }

// An optional field that must be a string (or null when nullable).
void CheckString(const json& body, const char* field, bool nullable, std::vector<FieldError>* errors) {
  auto it = body.find(field);
  if (it == body.end() || it->is_string() || (nullable && it->is_null())) return;
  errors->push_back({"string_type", Loc(field), "Input should be a valid string"});
}

void CheckInt(const json& body, const char* field, std::vector<FieldError>* errors) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null() || it->is_number_integer()) return;
  errors->push_back({"int_type", Loc(field), "Input should be a valid integer"});
}

void CheckBool(const json& body, const char* field, std::vector<FieldError>* errors) {
  auto it = body.find(field);
  if (it == body.end() || it->is_boolean()) return;
  errors->push_back({"bool_type", Loc(field), "Input should be a valid boolean"});
}

bool AllOf(const json& list, bool (*pred)(const json&)) { return std::all_of(list.begin(), list.end(), pred); }
bool IsString(const json& v) { return v.is_string(); }
bool IsInt(const json& v) { return v.is_number_integer(); }
bool IsIntList(const json& v) { return v.is_array() && AllOf(v, IsInt); }
bool IsStringList(const json& v) { return v.is_array() && AllOf(v, IsString); }

std::vector<int64_t> Ids(const json& list) {
  std::vector<int64_t> ids;
  for (const json& id : list) ids.push_back(id.get<int64_t>());
  return ids;
}

// One input of a pooling request: its text, or its token ids.
struct Item {
  std::string text;
  std::vector<int64_t> ids;
  bool is_ids = false;
  std::string Key() const { return is_ids ? TokenIdsKey(ids) : text; }
  long long Tokens() const { return is_ids ? static_cast<long long>(ids.size()) : std::max(1, CountTokens(text)); }
};

std::vector<Item> TextItems(const json& list) {
  std::vector<Item> items;
  for (const json& s : list) items.push_back(Item{s.get<std::string>(), {}, false});
  return items;
}

// tokenizer_manager.py _validate_one_request: each input against --context-length.
std::optional<std::string> ContextError(const std::vector<Item>& items, const ServeConfig& config) {
  for (const Item& item : items) {
    long long tokens = item.Tokens();
    if (tokens >= config.context_length) {
      return "The input (" + std::to_string(tokens) + " tokens) is longer than the model's context length (" +
             std::to_string(config.context_length) + " tokens).";
    }
  }
  return std::nullopt;
}

// The meta_info of one pooled output (tokenizer_manager.py _handle_batch_output; an embedding
// request runs with max_new_tokens 0, so it finishes by length 0).
ojson MetaInfo(long long prompt_tokens) {
  ojson meta;
  meta["id"] = NewResponseIds(false).id;
  meta["finish_reason"] = ojson{{"type", "length"}, {"length", 0}};
  meta["prompt_tokens"] = prompt_tokens;
  meta["cached_tokens"] = 0;
  return meta;
}

// UsageInfo in protocol.py field order (the fields of the pinned release).
ojson PoolingUsage(long long prompt_tokens) {
  ojson usage;
  usage["prompt_tokens"] = prompt_tokens;
  usage["total_tokens"] = prompt_tokens;
  usage["completion_tokens"] = 0;
  usage["prompt_tokens_details"] = nullptr;
  return usage;
}

ojson Floats(const std::vector<double>& values) {
  ojson list = ojson::array();
  for (double v : values) list.push_back(v);
  return list;
}

// EmbeddingRequest.input / ClassifyRequest.input after pydantic: str, List[str], List[int] and
// (embeddings only) List[List[int]] or List[MultimodalEmbeddingInput] (its text, "padding" if none).
// Returns false for anything the union refuses. The validation message is set in *message.
bool ReadInput(const json& input, bool allow_batches, std::vector<Item>* items, std::string* message) {
  if (input.is_string()) {
    std::string text = input.get<std::string>();
    if (text.empty())
      *message = "Input cannot be empty";
    else if (TrimSpaces(text).empty())
      *message = "Input cannot be empty or whitespace only";
    items->push_back(Item{text, {}, false});
    return true;
  }
  if (!input.is_array()) return false;
  if (input.empty()) {
    *message = "Input cannot be empty";
    return true;
  }
  if (IsStringList(input)) {
    *items = TextItems(input);
    for (size_t i = 0; i < items->size() && message->empty(); ++i) {
      if (TrimSpaces((*items)[i].text).empty())
        *message = "Input at index " + std::to_string(i) + " cannot be empty or whitespace only";
    }
    return true;
  }
  if (IsIntList(input)) {
    items->push_back(Item{"", Ids(input), true});
    for (size_t i = 0; i < input.size() && message->empty(); ++i) {
      if (input[i].get<int64_t>() < 0) *message = "Token ID at index " + std::to_string(i) + " must be non-negative";
    }
    return true;
  }
  if (!allow_batches) return false;
  if (AllOf(input, IsIntList)) {
    // serving_embedding.py @012bcb5f checked token-id batches; newer releases pass them on.
    for (size_t i = 0; i < input.size(); ++i) {
      items->push_back(Item{"", Ids(input[i]), true});
      if (!message->empty()) continue;
      if (input[i].empty()) {
        *message = "Input at index " + std::to_string(i) + " cannot be empty";
      } else if (std::any_of(input[i].begin(), input[i].end(), [](const json& t) { return t.get<int64_t>() < 0; })) {
        *message = "Input at index " + std::to_string(i) + " contains negative token IDs";
      }
    }
    return true;
  }
  if (AllOf(input, [](const json& v) { return v.is_object(); })) {
    for (const json& part : input) {
      auto text = part.find("text");
      items->push_back(Item{text != part.end() && text->is_string() ? text->get<std::string>() : "padding", {}, false});
    }
    return true;
  }
  return false;
}

// The shared front of /v1/embeddings and /v1/classify: method, body, pydantic, _validate_request.
bool ReadOpenAiPooling(const PoolingCall& call, const char* model, bool embeddings, std::vector<Item>* items,
                       PoolingAnswer* error) {
  if (!IsPost(call, false)) {
    *error = MethodNotAllowed();
    return false;
  }
  std::optional<json> body = ReadBody(call, model, true, error);
  if (!body) return false;
  std::vector<FieldError> errors;
  CheckString(*body, "model", false, &errors);
  CheckString(*body, "user", true, &errors);
  CheckInt(*body, "priority", &errors);
  if (embeddings) {
    CheckString(*body, "encoding_format", false, &errors);  // accepted, never honoured
    CheckInt(*body, "dimensions", &errors);                 // accepted, ignored
  }
  std::string message;
  auto input = body->find("input");
  if (input == body->end()) {
    errors.push_back({"missing", Loc("input"), "Field required"});
  } else if (!ReadInput(*input, embeddings, items, &message)) {
    errors.push_back({"union_type", Loc("input"), "Input should be a valid string or list"});
  }
  if (!errors.empty()) {
    *error = FromError(ValidationError(errors, model));
    return false;
  }
  if (!message.empty()) {
    *error = BadRequest(message);
    return false;
  }
  if (auto context = ContextError(*items, *call.config)) {
    *error = BadRequest(*context);
    return false;
  }
  return true;
}

}  // namespace

PoolingAnswer EmbeddingsAnswer(const PoolingCall& call) {
  std::vector<Item> items;
  PoolingAnswer error;
  if (!ReadOpenAiPooling(call, "EmbeddingRequest", true, &items, &error)) return error;
  ojson data = ojson::array();
  long long prompt_tokens = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    ojson object;
    object["embedding"] = Floats(EmbeddingFor(items[i].Key()));
    object["index"] = i;
    object["object"] = "embedding";
    data.push_back(object);
    prompt_tokens += items[i].Tokens();
  }
  ojson body;
  body["data"] = data;
  body["model"] = call.config->model_path;  // tokenizer_manager.model_path, not the served name
  body["object"] = "list";
  body["usage"] = PoolingUsage(prompt_tokens);
  return {200, Dump(body)};
}

PoolingAnswer OpenAiClassifyAnswer(const PoolingCall& call) {
  std::vector<Item> items;
  PoolingAnswer error;
  if (!ReadOpenAiPooling(call, "ClassifyRequest", false, &items, &error)) return error;
  ResponseIds ids = NewResponseIds(false);
  ojson data = ojson::array();
  long long prompt_tokens = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    std::array<double, 2> logits = ClassifierLogits(items[i].Key());
    std::vector<double> probs = Softmax({logits[0], logits[1]});
    ojson object;
    object["index"] = i;
    object["label"] = logits[1] > logits[0] ? "LABEL_1" : "LABEL_0";  // torch.argmax: first maximum
    object["probs"] = Floats(probs);
    object["num_classes"] = probs.size();
    data.push_back(object);
    prompt_tokens += items[i].Tokens();
  }
  ojson body;
  body["id"] = "classify-" + ids.id;
  body["object"] = "list";
  body["created"] = ids.created;
  body["model"] = call.config->served_model_name;  // served_model_name, else model_path
  body["data"] = data;
  body["usage"] = PoolingUsage(prompt_tokens);
  return {200, Dump(body)};
}

PoolingAnswer RerankAnswer(const PoolingCall& call) {
  const char* model = "V1RerankReqInput";
  if (!IsPost(call, true)) return MethodNotAllowed();
  PoolingAnswer error;
  std::optional<json> body = ReadBody(call, model, true, &error);
  if (!body) return error;
  std::vector<FieldError> errors;
  auto query = body->find("query");
  if (query == body->end())
    errors.push_back({"missing", Loc("query"), "Field required"});
  else if (!query->is_string())
    errors.push_back({"string_type", Loc("query"), "Input should be a valid string"});
  auto documents = body->find("documents");
  if (documents == body->end())
    errors.push_back({"missing", Loc("documents"), "Field required"});
  else if (!documents->is_array())
    errors.push_back({"list_type", Loc("documents"), "Input should be a valid list"});
  else if (!IsStringList(*documents))
    errors.push_back({"string_type", Loc("documents"), "Input should be a valid string"});
  CheckString(*body, "instruct", true, &errors);
  CheckInt(*body, "top_n", &errors);
  CheckBool(*body, "return_documents", &errors);
  auto top_n = body->find("top_n");
  bool has_top_n = top_n != body->end() && top_n->is_number_integer();
  if (has_top_n && top_n->get<long long>() < 1) {
    // protocol.py validate_top_n raises ValueError("Value error, ..."); pydantic prefixes it again.
    errors.push_back(
        {"value_error", Loc("top_n"), "Value error, Value error, parameter top_n should be larger than 0."});
  }
  if (!errors.empty()) return FromError(ValidationError(errors, model));

  // serving_rerank.py _validate_request.
  std::string q = query->get<std::string>();
  if (q.empty()) return BadRequest("Query cannot be empty");
  if (TrimSpaces(q).empty()) return BadRequest("Query cannot be empty or whitespace only");
  if (documents->empty()) return BadRequest("Documents cannot be empty");
  for (const json& doc : *documents) {
    if (doc.get<std::string>().empty()) return BadRequest("Each document must be a non-empty string");
    if (TrimSpaces(doc.get<std::string>()).empty())
      return BadRequest("Each document cannot be empty or whitespace only");
  }
  struct Scored {
    double score;
    size_t index;
    long long tokens;
  };
  std::vector<Scored> scored;
  std::vector<Item> pairs;
  for (size_t i = 0; i < documents->size(); ++i) {
    std::string doc = (*documents)[i].get<std::string>();
    pairs.push_back(Item{q + " " + doc, {}, false});
    scored.push_back({RerankScore(q, doc), i, std::max(1, CountTokens(q) + CountTokens(doc))});
  }
  if (auto context = ContextError(pairs, *call.config)) return BadRequest(*context);
  // Python's list.sort is stable: equal scores keep the documents' order.
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
  if (has_top_n && static_cast<size_t>(top_n->get<long long>()) < scored.size()) {
    scored.resize(static_cast<size_t>(top_n->get<long long>()));
  }
  auto rd = body->find("return_documents");
  bool return_documents = rd == body->end() || rd->get<bool>();  // defaults to true
  ojson list = ojson::array();
  for (const Scored& s : scored) {
    ojson item;
    item["score"] = s.score;
    if (return_documents) item["document"] = (*documents)[s.index].get<std::string>();
    item["index"] = s.index;
    item["meta_info"] = MetaInfo(s.tokens);
    list.push_back(item);
  }
  return {200, Dump(list)};
}

PoolingAnswer NativePoolingAnswer(const PoolingCall& call, NativePooling kind) {
  const char* model = kind == NativePooling::kGenerate ? "GenerateReqInput" : "EmbeddingReqInput";
  if (!IsPost(call, true)) return MethodNotAllowed();
  PoolingAnswer error;
  std::optional<json> body = ReadBody(call, model, false, &error);
  if (!body) return error;
  std::vector<FieldError> errors;
  auto text = body->find("text");
  bool has_text = text != body->end() && !text->is_null();
  if (has_text && !text->is_string() && !IsStringList(*text) && !(text->is_array() && AllOf(*text, IsStringList))) {
    errors.push_back({"union_type", Loc("text"), "Input should be a valid string or list"});
  }
  auto input_ids = body->find("input_ids");
  bool has_ids = input_ids != body->end() && !input_ids->is_null();
  if (has_ids && !IsIntList(*input_ids) && !(input_ids->is_array() && AllOf(*input_ids, IsIntList))) {
    errors.push_back({"list_type", Loc("input_ids"), "Input should be a valid list"});
  }
  CheckBool(*body, "is_cross_encoder_request", &errors);
  if (!errors.empty()) return FromError(ValidationError(errors, model));

  // io_struct.py EmbeddingReqInput.normalize_batch_and_arguments.
  if (!has_text && !has_ids) return NativeError("At least one of text, input_ids, or image should be provided");
  if (has_text && has_ids) return NativeError("text and input_ids cannot be provided at the same time");
  auto cross = body->find("is_cross_encoder_request");
  bool cross_encoder = kind != NativePooling::kGenerate && cross != body->end() && cross->get<bool>();
  bool single = has_text ? text->is_string() : IsIntList(*input_ids) && !input_ids->empty();
  std::vector<Item> items;
  std::vector<std::pair<std::string, std::string>> pairs;
  if (cross_encoder) {
    // serving_rerank.py sends [[query, document], ...]; the stand-in scores nothing else.
    bool pairs_ok =
        has_text && text->is_array() && AllOf(*text, [](const json& p) { return IsStringList(p) && p.size() == 2; });
    if (!pairs_ok) return NativeError("fake-sglang: a cross-encoder request needs text as [query, document] pairs");
    for (const json& p : *text) {
      pairs.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
      items.push_back(Item{pairs.back().first + " " + pairs.back().second, {}, false});
    }
  } else if (has_text && text->is_string()) {
    items.push_back(Item{text->get<std::string>(), {}, false});
  } else if (has_text) {
    for (const json& t : *text) {
      // A list of strings inside the batch (List[List[str]]) is one input: its parts joined.
      std::string joined = t.is_string() ? t.get<std::string>() : "";
      if (t.is_array()) {
        for (const json& part : t) joined += (joined.empty() ? "" : " ") + part.get<std::string>();
      }
      items.push_back(Item{joined, {}, false});
    }
  } else if (single) {
    items.push_back(Item{"", Ids(*input_ids), true});
  } else {
    for (const json& ids : *input_ids) items.push_back(Item{"", Ids(ids), true});
  }
  if (auto context = ContextError(items, *call.config)) return NativeError(*context);
  ojson list = ojson::array();
  for (size_t i = 0; i < items.size(); ++i) {
    ojson out;
    if (cross_encoder) {
      out["embedding"] = RerankScore(pairs[i].first, pairs[i].second);
    } else if (kind == NativePooling::kClassify) {
      std::array<double, 2> logits = ClassifierLogits(items[i].Key());
      out["embedding"] = Floats({logits[0], logits[1]});
    } else {
      out["embedding"] = Floats(EmbeddingFor(items[i].Key()));
    }
    out["meta_info"] = MetaInfo(items[i].Tokens());
    list.push_back(out);
  }
  if (single && !cross_encoder) return {200, Dump(list[0])};
  return {200, Dump(list)};
}

PoolingAnswer GenerationOnEmbeddingModel() {
  return {500, Dump(SglangErrorBody(500, "Internal server error: 'text'", "InternalServerError"))};
}

}  // namespace shim::fake_sglang
