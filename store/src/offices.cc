// Offices as data (offices.h).
#include "firebreak/store/offices.h"

#include <algorithm>

#include "firebreak/common/error.h"

namespace firebreak::store {

std::vector<Office> OfficesOf(const engine::RuleSet& rules) {
  std::vector<Office> out;
  const engine::OfficeSpec* city = nullptr;
  const engine::OfficeSpec* county = nullptr;
  for (const auto& s : rules.offices) (s.kind == "city" ? city : county) = &s;
  if (!city) return out;
  auto make = [](const engine::OfficeSpec& s) {
    Office o;
    o.kind = s.kind;
    o.roles = s.roles;
    o.duty_role = s.duty_role;
    o.reports_to = s.reports_to;
    o.reports_clause = s.reports_clause;
    return o;
  };
  Office c = make(*city);
  c.id = rules.meta.adcode;
  c.name = {rules.meta.jurisdiction + city->text.zh, city->text.en};
  out.push_back(std::move(c));
  if (!county) return out;
  for (const auto& k : rules.counties) {
    Office o = make(*county);
    o.id = k.adcode;
    o.parent = out.front().id;
    o.county = k.name;
    o.name = {k.name + county->text.zh, (k.name_en.empty() ? k.name : k.name_en) + " " + county->text.en};
    out.push_back(std::move(o));
  }
  return out;
}

const Office* FindOffice(const std::vector<Office>& offices, const std::string& name) {
  for (const auto& o : offices) {
    if (o.id == name || o.name.zh == name || o.name.en == name || (o.kind == "city" && name == "city")) return &o;
  }
  return nullptr;
}

const Office& RequireOffice(const std::vector<Office>& offices, const std::string& name, const std::string& where) {
  if (offices.empty())
    throw Error(ErrorKind::kRuleFile, where, "the rule file defines no offices",
                "add an `offices` section (docs/rule-file.md) to record as an office");
  if (const Office* o = FindOffice(offices, name)) return *o;
  std::vector<std::string> ids;
  for (const auto& o : offices) ids.push_back(o.id);
  const std::string near = ClosestMatch(name, ids);
  std::string all;
  for (const auto& o : offices) all += (all.empty() ? "" : ", ") + o.id + " " + o.name.zh;
  throw Error(ErrorKind::kUsage, where,
              "unknown office '" + name + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
              "offices of the rule file: " + all);
}

const Office* OfficeOfCounty(const engine::RuleSet& rules, const std::vector<Office>& offices,
                             const std::string& county) {
  const engine::County* c = rules.FindCounty(county);
  if (!c) return nullptr;
  for (const auto& o : offices)
    if (o.id == c->adcode) return &o;
  return nullptr;
}

bool MayWrite(const std::vector<Office>& offices, const std::string& office,
              const std::vector<std::string>& incident_offices) {
  for (const auto& id : incident_offices) {
    if (id == office) return true;
    const Office* o = FindOffice(offices, id);
    if (o && o->parent == office) return true;
  }
  return false;
}

bool HoldsRole(const Office& office, const std::string& role) {
  return std::find(office.roles.begin(), office.roles.end(), role) != office.roles.end();
}

bool MayDeclare(const engine::RuleSet& rules, const Office& office, engine::Level level) {
  for (const auto& l : rules.levels) {
    if (static_cast<int>(l.level) < static_cast<int>(level)) continue;
    for (const auto& r : l.deciders)
      if (HoldsRole(office, r)) return true;
  }
  return false;
}

bool Sees(const std::vector<Office>& offices, const std::string& office,
          const std::vector<std::string>& incident_offices) {
  return office.empty() || incident_offices.empty() || MayWrite(offices, office, incident_offices);
}

}  // namespace firebreak::store
