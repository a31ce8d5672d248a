#include "cli/human_readable_int.h"

#include <cctype>
#include <cmath>
#include <optional>
#include <limits>

#include "common/strings.h"

namespace shim {
namespace {

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Python's int() also accepts surrounding spaces, a sign and "_" between digits.
std::optional<long long> PythonInt(std::string_view text) {
  std::string cleaned;
  std::string_view trimmed = TrimSpaces(text);
  for (size_t i = 0; i < trimmed.size(); ++i) {
    char c = trimmed[i];
    if (c == '_') {
      bool between_digits = i > 0 && i + 1 < trimmed.size() &&
                            std::isdigit(static_cast<unsigned char>(trimmed[i - 1])) &&
                            std::isdigit(static_cast<unsigned char>(trimmed[i + 1]));
      if (!between_digits) return std::nullopt;
      continue;
    }
    cleaned.push_back(c);
  }
  return ParseInt(cleaned);
}

}  // namespace

bool ParseHumanReadableInt(std::string_view text, long long* out, std::string* err) {
  std::string_view value = TrimSpaces(text);
  if (!value.empty()) {
    char suffix = value.back();
    std::string_view number = value.substr(0, value.size() - 1);
    size_t dot = number.find('.');
    bool shape_ok = dot == std::string_view::npos ? IsDigits(number)
                                                  : IsDigits(number.substr(0, dot)) && IsDigits(number.substr(dot + 1));
    long long decimal = 0;
    long long binary = 0;
    switch (suffix) {
      case 'k':
        decimal = 1000LL;
        break;
      case 'm':
        decimal = 1000000LL;
        break;
      case 'g':
        decimal = 1000000000LL;
        break;
      case 't':
        decimal = 1000000000000LL;
        break;
      case 'K':
        binary = 1LL << 10;
        break;
      case 'M':
        binary = 1LL << 20;
        break;
      case 'G':
        binary = 1LL << 30;
        break;
      case 'T':
        binary = 1LL << 40;
        break;
      default:
        break;
    }
    if (shape_ok && (decimal || binary)) {
      if (binary) {
        if (dot != std::string_view::npos) {
          *err = "Decimals are not allowed with binary suffixes like " + std::string(1, suffix) +
                 ". Did you mean to use " + std::string(number) +
                 std::string(1, static_cast<char>(suffix - 'A' + 'a')) + " instead?";
          return false;
        }
        std::optional<long long> n = ParseInt(number);
        if (!n || *n > std::numeric_limits<long long>::max() / binary) {
          *err = "value out of range: '" + std::string(text) + "'";
          return false;
        }
        *out = *n * binary;
        return true;
      }
      std::optional<double> n = ParseDouble(number);
      if (!n) {
        *err = "invalid human-readable int: '" + std::string(text) + "'";
        return false;
      }
      double scaled = *n * static_cast<double>(decimal);
      if (!(scaled < 9.2e18)) {
        *err = "value out of range: '" + std::string(text) + "'";
        return false;
      }
      // Python: int(float(number) * multiplier) truncates toward zero.
      *out = static_cast<long long>(std::trunc(scaled));
      return true;
    }
  }
  std::optional<long long> plain = PythonInt(value);
  if (!plain) {
    *err = "invalid human_readable_int value: '" + std::string(text) + "'";
    return false;
  }
  *out = *plain;
  return true;
}

bool ParseHumanReadableIntOrAuto(std::string_view text, long long* out, bool* is_auto, std::string* err) {
  std::string lower = ToLower(TrimSpaces(text));
  if (lower == "auto" || lower == "-1") {
    *is_auto = true;
    *out = -1;
    return true;
  }
  *is_auto = false;
  return ParseHumanReadableInt(text, out, err);
}

}  // namespace shim
