#include "pooling/scoring_shapes.h"

#include <algorithm>

#include "rewrite/json_scanner.h"

namespace shim::pooling {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// One text or a list of texts (vLLM's ScoreInputs, text only: the engine scores text).
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
      *err = std::string("`") + name + "` must hold text only: this engine scores text";
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

}  // namespace

bool ParseRerankRequest(const json& request, std::string* query, RerankPlan* plan, std::string* err) {
  if (!request.is_object()) {
    *err = "The request body must be a JSON object";
    return false;
  }
  auto query_value = request.find("query");
  if (query_value == request.end() || !query_value->is_string()) {
    *err = "`query` must be a string: this engine reranks text";
    return false;
  }
  *query = query_value->get<std::string>();
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
  return true;
}

bool ParseScoreRequest(const json& request, ScoreSides* sides, std::string* err) {
  if (!request.is_object()) {
    *err = "The request body must be a JSON object";
    return false;
  }
  // vLLM's four spellings of the two sides, in the order its ScoreRequest union tries them.
  static const std::pair<const char*, const char*> kSpellings[] = {
      {"queries", "documents"}, {"queries", "items"}, {"data_1", "data_2"}, {"text_1", "text_2"}};
  for (const auto& [a, b] : kSpellings) {
    auto x = request.find(a);
    auto y = request.find(b);
    if (x == request.end() || y == request.end()) continue;
    if (!Texts(*x, a, &sides->queries, err) || !Texts(*y, b, &sides->documents, err)) return false;
    if (sides->queries.size() != 1 && sides->queries.size() != sides->documents.size()) {
      *err = "Score inputs must pair 1:1, 1:N or N:N; got " + std::to_string(sides->queries.size()) + " and " +
             std::to_string(sides->documents.size());
      return false;
    }
    return true;
  }
  *err = "A score request needs text_1 and text_2 (or queries and documents, queries and items, data_1 and data_2)";
  return false;
}

std::string RerankAnswerJson(std::vector<Scored> scored, const RerankPlan& plan, long long prompt_tokens,
                             const std::string& id, const std::string& model) {
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
  if (plan.top_n > 0 && plan.top_n < scored.size()) scored.resize(plan.top_n);
  ordered_json answer = ordered_json::object();
  answer["id"] = id;
  answer["model"] = model;
  answer["usage"] = {{"prompt_tokens", prompt_tokens}, {"total_tokens", prompt_tokens}};
  ordered_json list = ordered_json::array();
  for (const Scored& s : scored) {
    ordered_json document = ordered_json::object();
    document["text"] = plan.documents[s.index];
    document["multi_modal"] = nullptr;
    ordered_json result = ordered_json::object();
    result["index"] = s.index;
    result["document"] = std::move(document);
    result["relevance_score"] = s.score;
    list.push_back(std::move(result));
  }
  answer["results"] = std::move(list);
  return DumpJson(answer);
}

std::string ScoreAnswerJson(const std::vector<double>& scores, long long prompt_tokens, const std::string& id,
                            long long created, const std::string& model) {
  ordered_json answer = ordered_json::object();
  answer["id"] = id;
  answer["object"] = "list";
  answer["created"] = created;
  answer["model"] = model;
  ordered_json data = ordered_json::array();
  for (size_t i = 0; i < scores.size(); ++i) {
    ordered_json item = ordered_json::object();
    item["index"] = i;
    item["object"] = "score";
    item["score"] = scores[i];
    data.push_back(std::move(item));
  }
  answer["data"] = std::move(data);
  ordered_json usage = ordered_json::object();
  usage["prompt_tokens"] = prompt_tokens;
  usage["total_tokens"] = prompt_tokens;
  usage["completion_tokens"] = 0;
  usage["prompt_tokens_details"] = nullptr;
  answer["usage"] = std::move(usage);
  return DumpJson(answer);
}

}  // namespace shim::pooling
