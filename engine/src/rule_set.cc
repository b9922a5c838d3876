#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

const char* LevelName(Level l) {
  switch (l) {
    case Level::kIV:
      return "IV";
    case Level::kIII:
      return "III";
    case Level::kII:
      return "II";
    case Level::kI:
      return "I";
  }
  return "?";
}

const char* LevelNameZh(Level l) {
  switch (l) {
    case Level::kIV:
      return "Ⅳ级";
    case Level::kIII:
      return "Ⅲ级";
    case Level::kII:
      return "Ⅱ级";
    case Level::kI:
      return "Ⅰ级";
  }
  return "?";
}

std::optional<Level> ParseLevel(std::string_view s) {
  if (s == "IV" || s == "4" || s == "Ⅳ" || s == "iv") return Level::kIV;
  if (s == "III" || s == "3" || s == "Ⅲ" || s == "iii") return Level::kIII;
  if (s == "II" || s == "2" || s == "Ⅱ" || s == "ii") return Level::kII;
  if (s == "I" || s == "1" || s == "Ⅰ" || s == "i") return Level::kI;
  return std::nullopt;
}

const char* GradeNameZh(Grade g) {
  switch (g) {
    case Grade::kGeneral:
      return "一般";
    case Grade::kLarge:
      return "较大";
    case Grade::kMajor:
      return "重大";
    case Grade::kEspeciallyMajor:
      return "特别重大";
  }
  return "?";
}

const char* GradeNameEn(Grade g) {
  switch (g) {
    case Grade::kGeneral:
      return "general";
    case Grade::kLarge:
      return "large";
    case Grade::kMajor:
      return "major";
    case Grade::kEspeciallyMajor:
      return "especially major";
  }
  return "?";
}

const char* TierName(Tier t) {
  switch (t) {
    case Tier::kCounty:
      return "county";
    case Tier::kCity:
      return "city";
    case Tier::kRegion:
      return "region";
    case Tier::kNational:
      return "national";
  }
  return "?";
}

const char* TierNameZh(Tier t) {
  switch (t) {
    case Tier::kCounty:
      return "县级";
    case Tier::kCity:
      return "市级";
    case Tier::kRegion:
      return "自治区级";
    case Tier::kNational:
      return "国家级";
  }
  return "?";
}

const char* ColourName(Colour c) {
  switch (c) {
    case Colour::kNone:
      return "none";
    case Colour::kBlue:
      return "blue";
    case Colour::kYellow:
      return "yellow";
    case Colour::kOrange:
      return "orange";
    case Colour::kRed:
      return "red";
  }
  return "?";
}

const char* ColourNameZh(Colour c) {
  switch (c) {
    case Colour::kNone:
      return "无";
    case Colour::kBlue:
      return "蓝色";
    case Colour::kYellow:
      return "黄色";
    case Colour::kOrange:
      return "橙色";
    case Colour::kRed:
      return "红色";
  }
  return "?";
}

std::optional<Colour> ParseColour(std::string_view s) {
  if (s == "none" || s == "无") return Colour::kNone;
  if (s == "blue" || s == "蓝色" || s == "蓝") return Colour::kBlue;
  if (s == "yellow" || s == "黄色" || s == "黄") return Colour::kYellow;
  if (s == "orange" || s == "橙色" || s == "橙") return Colour::kOrange;
  if (s == "red" || s == "红色" || s == "红") return Colour::kRed;
  return std::nullopt;
}

const char* CmpSymbol(Cmp c) {
  switch (c) {
    case Cmp::kGt:
      return ">";
    case Cmp::kGe:
      return ">=";
    case Cmp::kLt:
      return "<";
    case Cmp::kLe:
      return "<=";
    case Cmp::kEq:
      return "=";
  }
  return "?";
}

std::string SourceLoc::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

const LevelSpec* RuleSet::FindLevel(Level l) const {
  for (const auto& s : levels)
    if (s.level == l) return &s;
  return nullptr;
}

const Interpretation* RuleSet::FindInterpretation(const std::string& id) const {
  for (const auto& i : interpretations)
    if (i.id == id) return &i;
  return nullptr;
}

const Role* RuleSet::FindRole(const std::string& id) const {
  for (const auto& r : roles)
    if (r.id == id) return &r;
  return nullptr;
}

const Unit* RuleSet::FindUnit(const std::string& id) const {
  for (const auto& u : units)
    if (u.id == id) return &u;
  return nullptr;
}

const County* RuleSet::FindCounty(const std::string& key) const {
  for (const auto& c : counties)
    if (c.name == key || c.adcode == key || (!c.short_name.empty() && c.short_name == key) || c.name_en == key)
      return &c;
  return nullptr;
}

std::string RuleSet::NameOf(const std::string& id, const std::string& lang) const {
  const Text* t = nullptr;
  if (const Role* r = FindRole(id))
    t = &r->name;
  else if (const Unit* u = FindUnit(id))
    t = &u->name;
  if (!t) return id;
  const std::string& s = lang == "en" ? t->en : t->zh;
  return s.empty() ? id : s;
}

}  // namespace firebreak::engine
