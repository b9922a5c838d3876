// Forces registry loader (YAML). Format: docs/forces.md.
#include "firebreak/forces/registry.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "firebreak/common/error.h"
#include "firebreak/common/yaml_guard.h"

namespace firebreak::forces {

namespace {

// The registry text and its file name: places in messages are "file:line:col" with character columns.
struct Src {
  std::string_view text;
  std::string name;
  operator std::string() const { return name; }  // NOLINT: where a message names the whole file
};

std::string At(const Src& src, const YAML::Mark& m) { return guard::YamlWhere(src.text, src.name, m); }

// Upper bounds on what one registry may ask for (each drives work in a deployment plan).
constexpr std::size_t kMaxUnits = 10000;
constexpr double kMaxStrength = 100000;           // people in one unit
constexpr double kMaxReadinessMin = 7 * 24 * 60;  // a week

void CheckKeys(const YAML::Node& map, const std::vector<std::string>& allowed, const Src& name,
               const std::string& what) {
  for (const auto& kv : map) {
    const std::string k = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    const std::string close = ClosestMatch(k, allowed);
    std::string hint = close.empty() ? "allowed keys in " + what + ":" : "did you mean '" + close + "'?";
    if (close.empty())
      for (const auto& a : allowed) hint += " " + a;
    throw Error(ErrorKind::kInput, At(name, kv.first.Mark()), "unknown key '" + k + "' in " + what, hint);
  }
}

std::string Str(const YAML::Node& n, const Src& name, const std::string& key) {
  if (!n.IsScalar()) throw Error(ErrorKind::kInput, At(name, n.Mark()), key + " must be a string");
  return n.Scalar();
}

double Num(const YAML::Node& n, const Src& name, const std::string& key) {
  if (!n.IsScalar()) throw Error(ErrorKind::kInput, At(name, n.Mark()), key + " must be a number");
  try {
    const double v = n.as<double>();
    if (!std::isfinite(v)) throw YAML::Exception(n.Mark(), "not finite");
    return v;
  } catch (const YAML::Exception&) {
    throw Error(ErrorKind::kInput, At(name, n.Mark()), key + " must be a number, got '" + n.Scalar() + "'");
  }
}

std::vector<std::string> StrList(const YAML::Node& n, const Src& name, const std::string& key) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) throw Error(ErrorKind::kInput, At(name, n.Mark()), key + " must be a list of strings");
  for (const auto& e : n) out.push_back(Str(e, name, key));
  return out;
}

// "plan 4.2" for the clauses of rule-file elements (distinct, in order, joined by "/"); "the rule file" if none.
template <typename T>
std::string PlanClauses(const std::vector<T>& elements) {
  std::vector<std::string> seen;
  for (const auto& e : elements)
    if (!e.clause.empty() && std::find(seen.begin(), seen.end(), e.clause) == seen.end()) seen.push_back(e.clause);
  if (seen.empty()) return "the rule file";
  std::string out = "plan ";
  for (std::size_t i = 0; i < seen.size(); ++i) out += (i ? "/" : "") + seen[i];
  return out;
}

// What the rule set allows in a registry: unit types (4.1), request channels, people attributes of the bans,
// county names.
struct Vocabulary {
  std::vector<std::string> types, channels, attrs, county_names;
};

Vocabulary VocabularyOf(const engine::RuleSet& rules) {
  Vocabulary v;
  for (const auto& fc : rules.force_categories)
    v.types.insert(v.types.end(), fc.unit_types.begin(), fc.unit_types.end());
  for (const auto& ch : rules.request_channels) v.channels.push_back(ch.id);
  for (const auto& b : rules.mobilisation_bans) v.attrs.insert(v.attrs.end(), b.attributes.begin(), b.attributes.end());
  for (const auto& c : rules.counties) v.county_names.push_back(c.name);
  return v;
}

// name: a string (zh) or {zh, en}; en defaults to the id.
void ReadName(const YAML::Node& nm, const Src& name, ForceUnit& f) {
  if (nm.IsScalar()) {
    f.name.zh = nm.Scalar();
  } else if (nm.IsMap()) {
    CheckKeys(nm, {"zh", "en"}, name, "name");
    if (!nm["zh"]) throw Error(ErrorKind::kInput, At(name, nm.Mark()), "name needs a `zh:` entry");
    f.name.zh = Str(nm["zh"], name, "name.zh");
    if (nm["en"]) f.name.en = Str(nm["en"], name, "name.en");
  } else {
    throw Error(ErrorKind::kInput, At(name, nm.Mark()), "name must be a string or {zh, en}");
  }
  if (f.name.en.empty()) f.name.en = f.id;
}

// base: {lon, lat} in WGS84 degrees, in range.
void ReadBase(const YAML::Node& base, const Src& name, ForceUnit& f) {
  if (!base.IsMap()) throw Error(ErrorKind::kInput, At(name, base.Mark()), "base must be {lon: .., lat: ..}");
  CheckKeys(base, {"lon", "lat"}, name, "base");
  if (!base["lon"] || !base["lat"])
    throw Error(ErrorKind::kInput, At(name, base.Mark()), "base needs both lon and lat (WGS84 degrees)");
  f.base.lon = Num(base["lon"], name, "base.lon");
  f.base.lat = Num(base["lat"], name, "base.lat");
  if (f.base.lon < -180 || f.base.lon > 180)
    throw Error(ErrorKind::kInput, At(name, base["lon"].Mark()), "base.lon must be in [-180, 180]");
  if (f.base.lat < -90 || f.base.lat > 90)
    throw Error(ErrorKind::kInput, At(name, base["lat"].Mark()), "base.lat must be in [-90, 90]",
                "lon and lat swapped?");
}

// strength (whole people, 1..kMaxStrength) and readiness_min (minutes, 0..kMaxReadinessMin).
void ReadStrengthAndReadiness(const YAML::Node& u, const Src& name, ForceUnit& f) {
  const double strength = Num(u["strength"], name, "strength");
  if (strength < 1 || strength != std::floor(strength))
    throw Error(ErrorKind::kInput, At(name, u["strength"].Mark()), "strength must be a whole number >= 1");
  if (strength > kMaxStrength)
    throw Error(ErrorKind::kInput, At(name, u["strength"].Mark()),
                "strength must be at most " + std::to_string(static_cast<int>(kMaxStrength)) + " people",
                "strength is the number of people in the unit");
  f.strength = static_cast<int>(strength);
  const double ready = Num(u["readiness_min"], name, "readiness_min");
  if (ready < 0) throw Error(ErrorKind::kInput, At(name, u["readiness_min"].Mark()), "readiness_min must be >= 0");
  if (ready > kMaxReadinessMin)
    throw Error(
        ErrorKind::kInput, At(name, u["readiness_min"].Mark()),
        "readiness_min must be at most " + std::to_string(static_cast<int>(kMaxReadinessMin)) + " minutes (a week)",
        "readiness_min is the time from the call to moving off, in minutes");
  f.readiness = Seconds(ready * 60.0);
}

// The optional keys checked against the rule set: home_county, capabilities, channel, people.
void ReadOptional(const YAML::Node& u, const Src& name, const engine::RuleSet& rules, const Vocabulary& v,
                  ForceUnit& f) {
  if (u["home_county"]) {
    const std::string hc = Str(u["home_county"], name, "home_county");
    if (const auto* c = rules.FindCounty(hc)) {
      f.home_county = c->name;
    } else {
      const std::string close = ClosestMatch(hc, v.county_names);
      if (!close.empty())
        throw Error(ErrorKind::kInput, At(name, u["home_county"].Mark()), "unknown county '" + hc + "'",
                    "did you mean '" + close + "'? (units from outside the jurisdiction leave home_county out)");
      f.home_county.clear();  // outside the jurisdiction: never local
    }
  }
  if (u["capabilities"]) f.capabilities = StrList(u["capabilities"], name, "capabilities");
  if (u["channel"]) {
    const std::string ch = Str(u["channel"], name, "channel");
    if (std::find(v.channels.begin(), v.channels.end(), ch) == v.channels.end()) {
      const std::string close = ClosestMatch(ch, v.channels);
      f.problems.push_back(At(name, u["channel"].Mark()) + ": unknown request channel '" + ch + "' (" +
                           PlanClauses(rules.request_channels) + " channels in the rule file)" +
                           (close.empty() ? "" : "; did you mean '" + close + "'?"));
    }
    f.channel = ch;
  }
  if (u["people"]) {
    f.people = StrList(u["people"], name, "people");
    for (const auto& a : f.people) {
      if (std::find(v.attrs.begin(), v.attrs.end(), a) != v.attrs.end()) continue;
      const std::string close = ClosestMatch(a, v.attrs);
      std::string known;
      for (const auto& k : v.attrs) known += (known.empty() ? "" : ", ") + k;
      throw Error(ErrorKind::kInput, At(name, u["people"].Mark()), "unknown people attribute '" + a + "'",
                  close.empty() ? "known (" + PlanClauses(rules.mobilisation_bans) + " bans): " + known
                                : "did you mean '" + close + "'?");
    }
  }
}

// One entry of `units:`. `ids`: the ids seen so far (a duplicate is an error).
ForceUnit ParseUnit(const YAML::Node& u, const Src& name, const engine::RuleSet& rules, const Vocabulary& v,
                    std::set<std::string>& ids) {
  static const std::vector<std::string> keys = {"id",       "name",          "type",         "home_county", "base",
                                                "strength", "readiness_min", "capabilities", "channel",     "people"};
  const std::string where = At(name, u.Mark());
  if (!u.IsMap()) throw Error(ErrorKind::kInput, where, "each unit must be a mapping");
  CheckKeys(u, keys, name, "a unit");
  for (const char* req : {"id", "name", "type", "base", "strength", "readiness_min"})
    if (!u[req])
      throw Error(ErrorKind::kInput, where, std::string("unit is missing required key '") + req + "'",
                  "required: id, name {zh, en}, type, base {lon, lat}, strength, readiness_min");
  ForceUnit f;
  f.where = where;
  f.id = Str(u["id"], name, "id");
  if (f.id.empty()) throw Error(ErrorKind::kInput, At(name, u["id"].Mark()), "id must not be empty");
  if (!ids.insert(f.id).second)
    throw Error(ErrorKind::kInput, At(name, u["id"].Mark()), "duplicate unit id '" + f.id + "'",
                "unit ids must be unique in a registry");
  ReadName(u["name"], name, f);
  f.type = Str(u["type"], name, "type");
  if (std::find(v.types.begin(), v.types.end(), f.type) == v.types.end()) {
    const std::string close = ClosestMatch(f.type, v.types);
    f.problems.push_back(At(name, u["type"].Mark()) + ": unknown unit type '" + f.type +
                         "' (not in any force category of plan 4.1 in " + rules.source_file + ")" +
                         (close.empty() ? "" : "; did you mean '" + close + "'?"));
  }
  ReadBase(u["base"], name, f);
  ReadStrengthAndReadiness(u, name, f);
  ReadOptional(u, name, rules, v, f);
  return f;
}

}  // namespace

Registry ParseRegistry(const std::string& text, const std::string& file_name, const engine::RuleSet& rules) {
  const Src name{text, file_name};
  // Bounded, UTF-8, one document, no aliases, no duplicate keys, nesting <= 64 (yaml_guard.h).
  YAML::Node root = guard::LoadYaml(text, file_name, ErrorKind::kInput);
  if (!root || root.IsNull()) throw Error(ErrorKind::kInput, name, "empty forces registry", "see docs/forces.md");
  if (!root.IsMap())
    throw Error(ErrorKind::kInput, At(name, root.Mark()), "a forces registry is a mapping with a `units:` list");
  CheckKeys(root, {"demo", "title", "units"}, name, "the registry");
  Registry reg;
  reg.source = name;
  if (root["demo"]) {
    try {
      reg.demo = root["demo"].as<bool>();
    } catch (const YAML::Exception&) {
      throw Error(ErrorKind::kInput, At(name, root["demo"].Mark()), "demo must be true or false");
    }
  }
  if (root["title"]) reg.title = Str(root["title"], name, "title");
  const YAML::Node units = root["units"];
  if (!units || !units.IsSequence())
    throw Error(ErrorKind::kInput, units ? At(name, units.Mark()) : name, "`units:` must be a list of units");
  if (units.size() > kMaxUnits)
    throw Error(
        ErrorKind::kInput, At(name, units.Mark()),
        "a registry holds at most " + std::to_string(kMaxUnits) + " units, this one " + std::to_string(units.size()),
        "split the registry by county");
  const Vocabulary vocabulary = VocabularyOf(rules);
  std::set<std::string> ids;
  for (const auto& u : units) reg.units.push_back(ParseUnit(u, name, rules, vocabulary, ids));
  return reg;
}

Registry LoadRegistry(const std::string& path, const engine::RuleSet& rules) {
  if (!std::ifstream(path))
    throw Error(ErrorKind::kNotFound, path, "cannot open the forces registry", "check the --forces path");
  return ParseRegistry(guard::ReadFileBounded(path, ErrorKind::kInput), path, rules);
}

}  // namespace firebreak::forces
