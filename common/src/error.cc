#include "firebreak/common/error.h"

#include <algorithm>

namespace firebreak {

int ExitCode(ErrorKind kind) { return static_cast<int>(kind); }

std::string_view KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kRuleFile:
      return "rule-file";
    case ErrorKind::kInput:
      return "input";
    case ErrorKind::kGis:
      return "gis";
    case ErrorKind::kStore:
      return "store";
    case ErrorKind::kExpectation:
      return "expectation";
    case ErrorKind::kNotFound:
      return "not-found";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

namespace {
std::string Compose(const std::string& where, const std::string& what, const std::string& hint) {
  std::string s;
  if (!where.empty()) s += where + ": ";
  s += what;
  if (!hint.empty()) s += " (" + hint + ")";
  return s;
}
}  // namespace

Error::Error(ErrorKind kind, std::string where, std::string what, std::string hint)
    : std::runtime_error(Compose(where, what, hint)),
      kind_(kind),
      where_(std::move(where)),
      what_(std::move(what)),
      hint_(std::move(hint)) {}

std::string Error::ToString() const { return Compose(where_, what_, hint_); }

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::size_t best = static_cast<std::size_t>(-1);
  std::string best_word;
  for (const auto& c : candidates) {
    std::size_t d = EditDistance(word, c);
    if (d < best) {
      best = d;
      best_word = c;
    }
  }
  std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return best <= limit ? best_word : std::string{};
}

}  // namespace firebreak
