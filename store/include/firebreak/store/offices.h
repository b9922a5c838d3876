// Offices as data: the city HQ office and one office per county, from the rule file's `offices` and `counties`
// (docs/rule-file.md "offices", docs/postgresql.md). Each report, declaration and upward report is made by an
// office and a role; an office writes only its own incidents unless it is the level above (3.3); it declares
// only the levels one of its roles decides (6.3.x.1, interpretation superior-role-may-declare).
//
// The same rules are checked twice: here, before anything is written (clear errors, exit 4), and by the
// PostgreSQL database itself (row-level security: docs/postgresql.md), which refuses a county's write to another
// county's incident even from a client that skips these checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/rule_set.h"

namespace firebreak::store {

struct Office {
  std::string id;                  // the adcode: the city's (meta.adcode) or the county's
  std::string kind;                // "city" | "county"
  std::string parent;              // the office above ("" for the city)
  engine::Text name;               // 柳州市森林防灭火指挥部办公室 / 柳城县森林防灭火指挥机构
  std::vector<std::string> roles;  // role ids its people act as
  std::string duty_role;           // the role a record is made by when none is given
  std::vector<std::string> reports_to;  // 5.2 逐级报告: who its records reach (a county: the city HQ office)
  std::string reports_clause;           // "5.2"
  std::optional<std::string> county;    // a county office: the county's name (柳城县)
};

// Every office of the rule file: the city first, then the counties in file order. Empty if the rule file has
// no `offices` section (then stores know no offices: one office per SQLite file, as before).
std::vector<Office> OfficesOf(const engine::RuleSet& rules);

// By id (adcode), "city", the county's name, short name or English name, or the office's name.
const Office* FindOffice(const std::vector<Office>& offices, const std::string& name);
// FindOffice or Error(kUsage, where, "unknown office ... (did you mean ...)").
const Office& RequireOffice(const std::vector<Office>& offices, const std::string& name, const std::string& where);

// The office of a county (name, short name or adcode as reports give it), or nullptr.
const Office* OfficeOfCounty(const engine::RuleSet& rules, const std::vector<Office>& offices,
                             const std::string& county);

// Whether `office` may write records of an incident that belongs to `incident_offices` (its county, or both
// counties of a fire crossing their boundary): it is one of them, or the office above one of them (3.3).
bool MayWrite(const std::vector<Office>& offices, const std::string& office,
              const std::vector<std::string>& incident_offices);
// Whether `office` sees an incident that belongs to `incident_offices` on its board (OfficeStatus, the web desk):
// without an office ("": a store without offices) or an incident of no office, yes; else when it may write it.
bool Sees(const std::vector<Office>& offices, const std::string& office,
          const std::vector<std::string>& incident_offices);
// Whether one of `office`'s roles decides `level` or a higher level (6.3.x.1; superior-role-may-declare).
bool MayDeclare(const engine::RuleSet& rules, const Office& office, engine::Level level);
bool HoldsRole(const Office& office, const std::string& role);

// Creating and migrating the shared PostgreSQL store (`firebreak store setup`, run by the database owner).
struct SetupOptions {
  std::string role_prefix = "fb_";  // office roles are PREFIX + office id (fb_450200), members of PREFIX + "office"
  bool create_roles = true;         // CREATE ROLE ... LOGIN for offices that have none (needs CREATEROLE)
};
struct SetupResult {
  int from_version = 0;  // 0: the store was created
  int to_version = 0;
  std::vector<std::pair<std::string, std::string>> roles;  // (office id, database role)
  std::vector<std::string> created_roles;
};
// Creates the schema (or migrates it), and writes the rule file's offices, their roles and the level deciders.
// Throws Error(kStore) naming the URL without its password (unreachable, wrong credentials, newer schema,
// missing privileges), Error(kRuleFile) if the rule file has no offices.
SetupResult SetupSharedStore(const std::string& url, const engine::RuleSet& rules, const SetupOptions& options = {});

}  // namespace firebreak::store
