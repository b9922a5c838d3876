#include "text_util.h"

#include "firebreak/common/text.h"

namespace firebreak::timeline::text {

std::string LevelText(std::optional<Level> l, const std::string& lang) {
  if (!l) return lang == "en" ? "none" : "无";
  return lang == "en" ? std::string(LevelName(*l)) : std::string(LevelNameZh(*l));
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string Names(const std::vector<std::string>& ids, const RuleSet& rules, const std::string& lang) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(rules.NameOf(id, lang));
  return Join(out, lang == "en" ? " / " : "、");
}

std::size_t Width(const std::string& s) { return static_cast<std::size_t>(firebreak::text::DisplayWidth(s)); }

std::string Pad(const std::string& s, std::size_t w) {
  std::size_t n = Width(s);
  return n >= w ? s + " " : s + std::string(w - n, ' ');
}

}  // namespace firebreak::timeline::text
