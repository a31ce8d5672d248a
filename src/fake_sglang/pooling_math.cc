#include "fake_sglang/pooling_math.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "fake_sglang/generator.h"

namespace shim::fake_sglang {
namespace {

// splitmix64: spreads one hash into a stream of independent-looking values.
uint64_t NextMix(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A value in [-1, 1) from the next 53 bits of the stream.
double NextUnit(uint64_t* state) { return static_cast<double>(NextMix(state) >> 11) / 4503599627370496.0 - 1.0; }

std::set<std::string> Words(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || u >= 0x80) {
      word += static_cast<char>(std::tolower(u));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  if (!word.empty()) words.insert(word);
  return words;
}

}  // namespace

std::vector<double> EmbeddingFor(std::string_view key) {
  uint64_t state = HashText(key);
  std::vector<double> v(kEmbeddingDims);
  double norm = 0;
  for (double& x : v) {
    x = NextUnit(&state);
    norm += x * x;
  }
  norm = std::sqrt(norm);
  if (norm == 0) {
    // Never in practice (eight draws all exactly 0); a unit vector keeps the norm at 1.
    v[0] = 1;
    return v;
  }
  for (double& x : v) x /= norm;
  return v;
}

std::string TokenIdsKey(const std::vector<int64_t>& ids) {
  std::string key = "\x1eids";
  for (int64_t id : ids) key += ":" + std::to_string(id);
  return key;
}

double RerankScore(std::string_view query, std::string_view document) {
  std::set<std::string> q = Words(query);
  std::set<std::string> d = Words(document);
  size_t shared = 0;
  for (const std::string& w : q) shared += d.count(w);
  double overlap = q.empty() ? 0.0 : static_cast<double>(shared) / static_cast<double>(q.size());
  std::string pair(query);
  pair += '\x1f';
  pair += document;
  double tie = static_cast<double>(HashText(pair) % 1000) / 1e6;
  return 0.05 + 0.9 * overlap + tie;
}

std::array<double, 2> ClassifierLogits(std::string_view key) {
  uint64_t state = HashText(key) ^ 0x636c617373696679ULL;  // "classify": apart from EmbeddingFor
  double a = 2 * NextUnit(&state);
  double b = 2 * NextUnit(&state);
  return {a, b};
}

std::vector<double> Softmax(const std::vector<double>& logits) {
  std::vector<double> out(logits.size());
  if (logits.empty()) return out;
  double top = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (size_t i = 0; i < logits.size(); ++i) sum += out[i] = std::exp(logits[i] - top);
  for (double& p : out) p /= sum;
  return out;
}

}  // namespace shim::fake_sglang
