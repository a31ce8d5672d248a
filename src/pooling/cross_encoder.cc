#include "pooling/cross_encoder.h"

#include <algorithm>

#include "pooling/pooling_answer.h"
#include "rewrite/json_scanner.h"

namespace shim::pooling {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxDepth = 64;

// One text or a list of texts (vLLM's ScoreInputs, text only: the engine scores text pairs).
bool Texts(const json& value, const char* name, std::vector<std::string>* out, std::string* err) {
  out->clear();
  if (value.is_string()) {
    out->push_back(value.get<std::string>());
    return true;
  }
  if (!value.is_array()) {
    *err = std::string("`") + name + "` must be a string or a list of strings";
    return false;
  }
  for (const json& item : value) {
    if (!item.is_string()) {
      *err = std::string("`") + name + "` must hold text only: this engine scores text pairs";
      return false;
    }
    out->push_back(item.get<std::string>());
  }
  if (out->empty()) {
    *err = std::string("`") + name + "` must not be empty";
    return false;
  }
  return true;
}

// The items of an SGLang answer that is a list of objects, each with a number under
// `score_key` and, in meta_info, its prompt_tokens.
bool ScoredItems(std::string_view body, const char* score_key, json* items, long long* prompt_tokens) {
  if (!ParseJsonValue(body, kMaxDepth, items) || !items->is_array()) return false;
  *prompt_tokens = 0;
  for (json& item : *items) {
    if (!item.is_object()) return false;
    auto score = item.find(score_key);
    if (score == item.end()) return false;
    // A cross-encoder's /encode score may come as a one-element list.
    if (score->is_array() && score->size() == 1) *score = json((*score)[0]);
    if (!score->is_number()) return false;
    auto meta = item.find("meta_info");
    if (meta != item.end() && meta->is_object()) {
      auto tokens = meta->find("prompt_tokens");
      if (tokens != meta->end() && tokens->is_number_integer()) *prompt_tokens += tokens->get<long long>();
    }
  }
  return true;
}

}  // namespace

bool SglangRerankRequest(const json& request, RerankPlan* plan, std::string* body, std::string* err) {
  if (!request.is_object()) {
    *err = "The request body must be a JSON object";
    return false;
  }
  auto query = request.find("query");
  if (query == request.end() || !query->is_string()) {
    *err = "`query` must be a string: this engine reranks text";
    return false;
  }
  auto documents = request.find("documents");
  if (documents == request.end()) {
    *err = "`documents` is required";
    return false;
  }
  if (!Texts(*documents, "documents", &plan->documents, err)) return false;
  plan->top_n = 0;
  if (auto top_n = request.find("top_n"); top_n != request.end() && !top_n->is_null()) {
    if (!top_n->is_number_integer() || top_n->get<long long>() < 0) {
      *err = "`top_n` must be a non-negative integer";
      return false;
    }
    plan->top_n = static_cast<size_t>(top_n->get<long long>());
  }
  ordered_json sglang = ordered_json::object();
  if (auto model = request.find("model"); model != request.end() && model->is_string()) sglang["model"] = *model;
  sglang["query"] = *query;
  sglang["documents"] = plan->documents;
  *body = DumpJson(sglang);
  return true;
}

bool VllmRerankAnswer(std::string_view sglang_body, const RerankPlan& plan, const std::string& id,
                      const std::string& model, std::string* out, std::string* err) {
  json items;
  long long prompt_tokens = 0;
  if (!ScoredItems(sglang_body, "score", &items, &prompt_tokens)) {
    *err = "not a list of {score, index}";
    return false;
  }
  struct Result {
    size_t index;
    double score;
  };
  std::vector<Result> results;
  for (const json& item : items) {
    auto index = item.find("index");
    if (index == item.end() || !index->is_number_unsigned() || index->get<size_t>() >= plan.documents.size()) {
      *err = "an item's index does not name a document";
      return false;
    }
    results.push_back({index->get<size_t>(), item["score"].get<double>()});
  }
  // Python's sort is stable: equal scores keep SGLang's order.
  std::stable_sort(results.begin(), results.end(), [](const Result& a, const Result& b) { return a.score > b.score; });
  if (plan.top_n > 0 && plan.top_n < results.size()) results.resize(plan.top_n);
  ordered_json answer = ordered_json::object();
  answer["id"] = id;
  answer["model"] = model;
  answer["usage"] = {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}};
  ordered_json list = ordered_json::array();
  for (const Result& r : results) {
    ordered_json document = ordered_json::object();
    document["text"] = plan.documents[r.index];
    document["multi_modal"] = nullptr;
    ordered_json result = ordered_json::object();
    result["index"] = r.index;
    result["document"] = std::move(document);
    result["relevance_score"] = r.score;
    list.push_back(std::move(result));
  }
  answer["results"] = std::move(list);
  *out = DumpJson(answer);
  return true;
}

bool SglangScoreRequest(const json& request, ScorePlan* plan, std::string* body, std::string* err) {
  if (!request.is_object()) {
    *err = "The request body must be a JSON object";
    return false;
  }
  // vLLM's four spellings of the two sides, in the order its ScoreRequest union tries them.
  static const std::pair<const char*, const char*> kSpellings[] = {
      {"queries", "documents"}, {"queries", "items"}, {"data_1", "data_2"}, {"text_1", "text_2"}};
  const json* first = nullptr;
  const json* second = nullptr;
  const char* first_name = nullptr;
  const char* second_name = nullptr;
  for (const auto& [a, b] : kSpellings) {
    auto x = request.find(a);
    auto y = request.find(b);
    if (x != request.end() && y != request.end()) {
      first = &*x;
      second = &*y;
      first_name = a;
      second_name = b;
      break;
    }
  }
  if (first == nullptr) {
    *err = "A score request needs text_1 and text_2 (or queries and documents, queries and items, data_1 and data_2)";
    return false;
  }
  std::vector<std::string> left;
  std::vector<std::string> right;
  if (!Texts(*first, first_name, &left, err) || !Texts(*second, second_name, &right, err)) return false;
  if (left.size() != 1 && left.size() != right.size()) {
    *err = "Score inputs must pair 1:1, 1:N or N:N; got " + std::to_string(left.size()) + " and " +
           std::to_string(right.size());
    return false;
  }
  ordered_json pairs = ordered_json::array();
  for (size_t i = 0; i < right.size(); ++i) {
    pairs.push_back(ordered_json::array({left.size() == 1 ? left[0] : left[i], right[i]}));
  }
  plan->pairs = right.size();
  ordered_json sglang = ordered_json::object();
  if (auto model = request.find("model"); model != request.end() && model->is_string()) sglang["model"] = *model;
  sglang["text"] = std::move(pairs);
  sglang["is_cross_encoder_request"] = true;
  *body = DumpJson(sglang);
  return true;
}

bool VllmScoreAnswer(std::string_view sglang_body, const ScorePlan& plan, const std::string& id, long long created,
                     const std::string& model, std::string* out, std::string* err) {
  json items;
  long long prompt_tokens = 0;
  if (!ScoredItems(sglang_body, "embedding", &items, &prompt_tokens) || items.size() != plan.pairs) {
    *err = "not one {embedding: score} per pair";
    return false;
  }
  ordered_json answer = ordered_json::object();
  answer["id"] = id;
  answer["object"] = "list";
  answer["created"] = created;
  answer["model"] = model;
  ordered_json data = ordered_json::array();
  for (size_t i = 0; i < items.size(); ++i) {
    ordered_json item = ordered_json::object();
    item["index"] = i;
    item["object"] = "score";
    item["score"] = items[i]["embedding"].get<double>();
    data.push_back(std::move(item));
  }
  answer["data"] = std::move(data);
  ordered_json usage = ordered_json::object();
  usage["prompt_tokens"] = prompt_tokens;
  usage["total_tokens"] = prompt_tokens;
  usage["completion_tokens"] = 0;
  usage["prompt_tokens_details"] = nullptr;
  answer["usage"] = std::move(usage);
  *out = DumpJson(answer);
  return true;
}

}  // namespace shim::pooling
