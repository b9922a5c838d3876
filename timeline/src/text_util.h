// Internal to firebreak::timeline (timeline and audit renderers): small text helpers. Not a public header.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/rule_set.h"

namespace firebreak::timeline::text {

using engine::Level;
using engine::RuleSet;

// "IV" / "Ⅳ级", or "none" / "无".
std::string LevelText(std::optional<Level> l, const std::string& lang);
std::string Join(const std::vector<std::string>& v, const std::string& sep);
// Role/unit names from the rule file, joined (" / " in English, "、" in Chinese).
std::string Names(const std::vector<std::string>& ids, const RuleSet& rules, const std::string& lang);
// Display width of UTF-8 text (common/text.h, utf8proc): CJK and full-width forms count 2 columns.
std::size_t Width(const std::string& s);
// s padded with spaces to display width w (at least one space after it).
std::string Pad(const std::string& s, std::size_t w);

}  // namespace firebreak::timeline::text
