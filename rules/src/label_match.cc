#include "label_match.h"

namespace firebreak::rules {

bool LabelNamesInterpretation(const std::string& label, const std::vector<std::string>& ids) {
  if (label.empty()) return false;
  auto words = [](const std::string& s) {
    std::vector<std::string> w;
    std::string cur;
    for (char c : s) {
      if (c == '-' || c == '_') {
        w.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    w.push_back(cur);
    return w;
  };
  std::vector<std::string> lw = words(label);
  for (const auto& id : ids) {
    if (id == label) return true;
    // A run of at least two hyphen-separated words in common ("above-top-band").
    std::vector<std::string> iw = words(id);
    for (std::size_t i = 0; i + 1 < lw.size(); ++i)
      for (std::size_t j = 0; j + 1 < iw.size(); ++j)
        if (lw[i] == iw[j] && lw[i + 1] == iw[j + 1]) return true;
  }
  return false;
}

}  // namespace firebreak::rules
