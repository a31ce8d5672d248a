#include "pooling/bi_encoder.h"

#include <algorithm>
#include <cmath>

#include "rewrite/json_scanner.h"

namespace shim::pooling {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kMaxDepth = 16;
constexpr double kCosineEps = 1e-8;  // torch.nn.functional.cosine_similarity's default

// The vectors of SGLang's answer, in `index` order. False unless each is a list of numbers and
// all have one size.
bool Vectors(const json& answer, std::vector<std::vector<double>>* out, std::string* err) {
  auto data = answer.find("data");
  if (data == answer.end() || !data->is_array()) {
    *err = "no `data` list";
    return false;
  }
  out->assign(data->size(), {});
  std::vector<bool> seen(data->size(), false);
  for (size_t i = 0; i < data->size(); ++i) {
    const json& item = (*data)[i];
    if (!item.is_object()) {
      *err = "an item is not an object";
      return false;
    }
    size_t index = i;
    if (auto at = item.find("index"); at != item.end()) {
      if (!at->is_number_unsigned() || at->get<size_t>() >= data->size()) {
        *err = "an item's index is out of range";
        return false;
      }
      index = at->get<size_t>();
    }
    auto embedding = item.find("embedding");
    if (embedding == item.end() || !embedding->is_array() || seen[index]) {
      *err = "an item has no float embedding, or its index repeats";
      return false;
    }
    seen[index] = true;
    std::vector<double>& vec = (*out)[index];
    vec.reserve(embedding->size());
    for (const json& x : *embedding) {
      if (!x.is_number()) {
        *err = "an embedding holds something other than numbers";
        return false;
      }
      vec.push_back(x.get<double>());
    }
  }
  for (const auto& vec : *out) {
    if (vec.empty() || vec.size() != (*out)[0].size()) {
      *err = "the embeddings are empty or differ in size";
      return false;
    }
  }
  return true;
}

double Cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0;
  double aa = 0;
  double bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / std::max(std::sqrt(aa) * std::sqrt(bb), kCosineEps);
}

}  // namespace

std::string SglangEmbeddingsBody(const json& request, const std::vector<std::string>& queries,
                                 const std::vector<std::string>& documents) {
  ordered_json body = ordered_json::object();
  if (auto model = request.find("model"); model != request.end() && model->is_string()) body["model"] = *model;
  ordered_json input = ordered_json::array();
  for (const std::string& text : queries) input.push_back(text);
  for (const std::string& text : documents) input.push_back(text);
  body["input"] = std::move(input);
  if (auto dimensions = request.find("dimensions"); dimensions != request.end() && dimensions->is_number_integer()) {
    body["dimensions"] = *dimensions;
  }
  return DumpJson(body);
}

bool CosineScores(std::string_view sglang_body, size_t queries, size_t documents, std::vector<double>* scores,
                  long long* prompt_tokens, std::string* err) {
  json answer;
  if (!ParseJsonValue(sglang_body, kMaxDepth, &answer) || !answer.is_object()) {
    *err = "not a JSON object";
    return false;
  }
  std::vector<std::vector<double>> vectors;
  if (!Vectors(answer, &vectors, err)) return false;
  if (queries == 0 || documents == 0 || vectors.size() != queries + documents ||
      (queries != 1 && queries != documents)) {
    *err = "not one embedding per text";
    return false;
  }
  scores->clear();
  for (size_t i = 0; i < documents; ++i) {
    scores->push_back(Cosine(vectors[queries == 1 ? 0 : i], vectors[queries + i]));
  }
  *prompt_tokens = 0;
  if (auto usage = answer.find("usage"); usage != answer.end() && usage->is_object()) {
    auto tokens = usage->find("prompt_tokens");
    if (tokens != usage->end() && tokens->is_number_integer()) *prompt_tokens = tokens->get<long long>();
  }
  return true;
}

}  // namespace shim::pooling
