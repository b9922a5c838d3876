// What the plan requires for one incident at one moment, with the clauses that fired and the facts they
// fired on. Produced by Engine::Assess; rendered by format/render.h (text, JSON). JSON shape: docs/report-format.md.
//
// LIFETIME: every string_view in a Decision (the plan's texts, clause ids, labels, interpretation ids, lead
// ids, deciders, reporters, recipients, safety ids/groups, bound words, fact names) is a view into the RuleSet
// the Engine was built on — a Decision must not outlive that RuleSet. Copy with std::string(view) to keep one.
// Only incident_id, rules_id, rules_sha256 and gis_sources are owned strings.
// The id lists (Ids: interpretations, lead, recipients, decided_by) are spans into tables the Engine built from
// the RuleSet once; the Decision shares their ownership (Decision::tables), so they live as long as the Decision
// (and the RuleSet their views point into). Copy one to keep it beyond.
//
// FLAT: no vector inside a vector. The facts each rule used are one pool (Decision::uses); a Firing or
// MeasureOut holds an index range into it (UseRange), read with Decision::Uses(firing). Every element is
// trivially copyable, so a reused Decision (Engine::AssessInto) is rewritten without allocating.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/facts.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

// Where a fact value came from (merge order, highest first: report field > report "facts" > concurrency >
// GIS/derived by other modules > the open-fire clock and the sensitive-period calendar > rule-file derived_facts
// > rule-file fact_defaults).
enum class FactOrigin : std::uint8_t {
  kUnknown = 0,
  kReport,       // a field of the incident report (or computed from one: open_fire_hours, local_hour)
  kReportFacts,  // the report's "facts" object
  kGis,          // Incident::derived (terrain, places; filled by gis/ or forces/)
  kConcurrency,  // the set of concurrent incidents (plan 6.3.2.1(5), 3.3)
  kRuleDerived,  // a rule-file derived_facts entry (e.g. night from local_hour)
  kCalendar,     // the rule file's sensitive_periods calendar
  kDefault,      // a rule-file fact_defaults entry (an assumption, echoed in notes)
  kEngine,       // grade / response_level, computed by the engine from earlier rule groups
};
const char* FactOriginName(FactOrigin o);  // "report", "report_facts", "gis", ...

// The plan's words, viewed in the RuleSet (see LIFETIME above).
struct TextView {
  std::string_view zh;
  std::string_view en;
  TextView() = default;
  TextView(const Text& t) : zh(t.zh), en(t.en) {}  // NOLINT: implicit on purpose
};

// A fact value a rule looked at (nullopt = unknown).
struct FactUse {
  FactId fact{};
  std::optional<double> value;
  FactOrigin origin = FactOrigin::kUnknown;
};

// A run of Decision::uses: the facts one rule used (read with Decision::Uses).
struct UseRange {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  bool empty() const { return count == 0; }
  std::uint32_t size() const { return count; }
};

// Ids (role/unit/interpretation ids) viewed in the tables the Decision shares with its Engine (LIFETIME above).
using Ids = std::span<const std::string_view>;

// One rule that held: its clause, the plan's words, the alternative that held and the facts it used.
struct Firing {
  std::string_view clause;
  TextView text;
  std::string_view alternative;  // label of the alternative that held, if any
  UseRange facts;                // the facts it used: Decision::Uses(firing)
  Ids interpretations;           // interpretation ids
};

struct TriggerFiring : Firing {
  Level level = Level::kIV;
};

struct GradeResult {
  std::optional<Grade> grade;    // nullopt only if no grading criterion could be evaluated
  std::vector<Firing> criteria;  // criteria of the resulting grade that held
};

struct LeadResult {
  Tier tier = Tier::kCounty;
  std::vector<Firing> reasons;  // 6.1 / 3.3 / 9.1 rules that held, in evaluation order
};

struct MeasureOut {
  std::string_view clause;
  TextView text;
  Ids lead;                         // role/unit ids
  std::optional<Level> from_level;  // the level whose measures these are (inherited ones keep their level)
  UseRange facts;                   // for situational measures: the facts that made them due (Decision::Uses)
};

struct ReportingOut {
  Firing rule;
  std::string_view reporter;
  Ids recipients;
};

struct SafetyOut {
  std::string_view id;
  std::string_view group;
  Firing rule;
  TextView advice;
};

// For the next level up: how close each threshold is, and when clock-driven ones fall due.
struct Proximity {
  std::string_view clause;
  FactId fact{};
  std::optional<double> current;
  double threshold = 0;
  std::string_view word;  // the bound word, e.g. "超过"
  double gap = 0;         // threshold - current (>= 0)
};
struct DueTime {
  std::string_view clause;
  Level level = Level::kIV;
  Timestamp at;                  // when it holds if nothing changes (fire stays uncontrolled)
  double hours = 0;              // the threshold in hours of open fire
  std::string_view word;         // the bound word ("达到", "超过"...)
  bool strict = false;           // 超过: holds strictly after since + hours; `at` is then since + hours + 1 s
  std::string_view alternative;  // label of the trigger alternative ("sensitive", "other")
};

struct NextLevel {
  std::optional<Level> level;  // nullopt when already at the top level
  std::vector<Proximity> closest;
  // Clock-driven conditions of every level above the assessed one, by time: when each holds if the fire keeps
  // burning uncontrolled and nothing else is reported (calendar changes on the way are taken into account).
  std::vector<DueTime> due;
  // The next moment a calendar fact the rules test changes (e.g. a sensitive-period window opens), if any:
  // the timeline re-assesses there.
  std::optional<Timestamp> change;
};

struct Note {
  std::string_view id;  // interpretation id
  std::string_view clause;
  TextView text;
};

struct Decision {
  std::string incident_id;
  Timestamp at;
  std::string rules_id;      // PlanMeta::id
  std::string rules_sha256;  // hash of the rule file

  std::optional<Level> response_level;
  std::vector<TriggerFiring> triggers;  // every trigger that held, all levels, highest first
  // Decider of response_level (6.3.x.1 first sentence).
  std::string_view decider_clause;
  TextView decider_text;
  Ids decided_by;  // role ids
  GradeResult grade;
  LeadResult lead;
  std::vector<MeasureOut> measures;
  std::vector<ReportingOut> reporting;
  std::optional<Colour> warning_colour;
  std::vector<MeasureOut> warning_response;
  std::vector<SafetyOut> safety;
  std::vector<Firing> terminations;  // termination rules (6.3.6, 6.2.8, 6.2.7) that hold
  bool response_terminated = false;  // the termination that ends a response level holds (level-holds-until-...)
  std::vector<Notice> warnings;      // what the history merge noticed (owned strings), e.g. a re-ignition
  NextLevel next;
  std::vector<Note> notes;
  std::vector<FactUse> facts;               // every known fact the decision was made on (with its origin)
  std::vector<std::string_view> unknown;    // names of facts rules wanted but the report did not give
  std::vector<std::string_view> defaulted;  // names of facts taken from fact_defaults (assumptions)
  std::vector<std::pair<std::string, std::string>> gis_sources;  // fact name -> where gis/ got it

  // The pool of the facts each rule used (Firing::facts, MeasureOut::facts index it).
  std::vector<FactUse> uses;
  // Keeps the Engine's tables the Ids spans view alive (LIFETIME above); null in a default Decision.
  std::shared_ptr<const void> tables;

  std::span<const FactUse> Uses(UseRange r) const { return {uses.data() + r.first, r.count}; }
  std::span<const FactUse> Uses(const Firing& f) const { return Uses(f.facts); }
  std::span<const FactUse> Uses(const MeasureOut& m) const { return Uses(m.facts); }
};

}  // namespace firebreak::engine
