// Every route and every field rule of request rewriting, as data.
// Adding a rule is one line in kFieldRules (rewrite_rules.cc); the rewriter
// (request_rewriter.cc) only interprets the table. docs/rewriting.md explains
// each rule for users.
#pragma once
#include <span>
#include <string_view>

namespace shim {

enum class RouteKind { kChatCompletions, kCompletions, kOther };

// Which routes a rule applies to.
enum RouteMask : unsigned {
  kChatRoute = 1u << 0,
  kCompletionsRoute = 1u << 1,
  kBothRoutes = kChatRoute | kCompletionsRoute,
};

struct RouteRule {
  std::string_view method;
  std::string_view path;
  RouteKind kind;
};

enum class FieldAction {
  // Rename the key to `arg`; the value is forwarded byte for byte. An existing
  // `arg` member is dropped: vLLM would have ignored it.
  kRename,
  // The value `arg` (JSON) is replaced by `arg2` (JSON); other values pass.
  kReplaceValue,
  // No SGLang equivalent: 400 unless the value equals the vLLM default `arg`
  // (JSON; a list of alternatives separated by '|'), or `unless_true` names a
  // member that is `true`.
  kRejectUnlessDefault,
  // A structured-output constraint; structured_outputs.cc translates it.
  kStructuredOutputs,  // vLLM's structured_outputs object
  kGuidedJson,         // legacy guided_* fields (vLLM < 0.12)
  kGuidedRegex,
  kGuidedChoice,
  kGuidedGrammar,
};

struct FieldRule {
  std::string_view key;
  unsigned routes;
  FieldAction action;
  std::string_view arg;
  std::string_view arg2;
  std::string_view unless_true;
  std::string_view why;  // shown to the client in a rejection
};

std::span<const RouteRule> RouteRules();
std::span<const FieldRule> FieldRules();

inline bool RuleAppliesTo(const FieldRule& rule, RouteKind route) {
  if (route == RouteKind::kChatCompletions) return (rule.routes & kChatRoute) != 0;
  if (route == RouteKind::kCompletions) return (rule.routes & kCompletionsRoute) != 0;
  return false;
}

}  // namespace shim
