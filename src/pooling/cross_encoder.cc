#include "pooling/cross_encoder.h"

#include "rewrite/json_scanner.h"

namespace shim::pooling {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxDepth = 64;

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
  std::string query;
  if (!ParseRerankRequest(request, &query, plan, err)) return false;
  ordered_json sglang = ordered_json::object();
  if (auto model = request.find("model"); model != request.end() && model->is_string()) sglang["model"] = *model;
  sglang["query"] = query;
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
  std::vector<Scored> scored;
  for (const json& item : items) {
    auto index = item.find("index");
    if (index == item.end() || !index->is_number_unsigned() || index->get<size_t>() >= plan.documents.size()) {
      *err = "an item's index does not name a document";
      return false;
    }
    scored.push_back({index->get<size_t>(), item["score"].get<double>()});
  }
  *out = RerankAnswerJson(std::move(scored), plan, prompt_tokens, id, model);
  return true;
}

bool SglangScoreRequest(const json& request, ScorePlan* plan, std::string* body, std::string* err) {
  ScoreSides sides;
  if (!ParseScoreRequest(request, &sides, err)) return false;
  ordered_json pairs = ordered_json::array();
  for (size_t i = 0; i < sides.documents.size(); ++i) {
    pairs.push_back(
        ordered_json::array({sides.queries.size() == 1 ? sides.queries[0] : sides.queries[i], sides.documents[i]}));
  }
  plan->pairs = sides.documents.size();
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
  std::vector<double> scores;
  for (const json& item : items) scores.push_back(item["embedding"].get<double>());
  *out = ScoreAnswerJson(scores, prompt_tokens, id, created, model);
  return true;
}

}  // namespace shim::pooling
