#include "text_util.h"

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

// Display width of UTF-8 text: CJK and full-width forms count 2 columns.
std::size_t Width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

std::string Pad(const std::string& s, std::size_t w) {
  std::size_t n = Width(s);
  return n >= w ? s + " " : s + std::string(w - n, ' ');
}

}  // namespace firebreak::timeline::text
