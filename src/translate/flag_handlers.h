// The custom rows' handlers (flag_table.cc). Grouped by concern in handlers_*.cc.
#pragma once
#include <string>

#include "translate/flag_table.h"
#include "translate/translate_context.h"

namespace shim {

bool HandleApiKey(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleAttentionBackend(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleChatTemplate(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleConvert(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleCpuOffloadGb(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleDevice(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleDisableAccessLog(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleEnableAutoToolChoice(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleEnableChunkedPrefill(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleEnableLora(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleExecutorBackend(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleExpertParallel(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleGenerationConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleGpuMemoryUtilization(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleGuidedDecodingBackend(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleHfOverrides(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleHfToken(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleHost(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleKvCacheDtype(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleKvTransferConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleLimitMmPerPrompt(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleLoadFormat(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleLoraModules(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleLoraTargetModules(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleMasterAddr(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleMasterPort(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleMaxModelLen(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleMaxNumBatchedTokens(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleModel(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleModelImpl(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleOtlpEndpoint(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandlePort(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleQuantization(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleReasoningParser(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleRequestIdHeaders(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleRootPath(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleRunner(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleSchedulingPolicy(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleServedModelName(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleShutdownTimeout(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleSpecMethod(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleSpecModel(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleSpecTokens(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleSpeculativeConfig(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleTask(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleTls(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleTokenizerMode(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);
bool HandleToolCallParser(const ParsedFlag& flag, TranslateContext* ctx, FlagOutcome* outcome, std::string* err);

// Shared by the handlers.
void SetOutcome(FlagOutcome* outcome, FlagOutcome::Action action, std::vector<std::string> sglang,
                std::string reason = "");
// The flag's single value ("" when none).
const std::string& FirstValue(const ParsedFlag& flag);

}  // namespace shim
namespace shim {
// Emits SGLang's speculative flags once all speculative rows have been seen (translator.cc).
bool FinishSpeculative(TranslateContext* ctx, std::string* err);
}  // namespace shim
