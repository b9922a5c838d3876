// The plan as data: the in-memory form of a rule file (rules/*.yaml, format in docs/rule-file.md).
//
// Built by rules/ (firebreak::rules::LoadRuleFile), read by the engine. Plain structs, no behaviour beyond
// look-ups; every element carries its plan clause id, the plan's own words (zh) and a short English gloss,
// and the place in the rule file it came from. Nothing here is Liuzhou-specific: a second plan is a second file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/facts.h"

namespace firebreak::engine {

// Response levels, ordered by severity: IV (lowest) < III < II < I (highest). Plan 6.3.
enum class Level : std::uint8_t { kIV = 1, kIII = 2, kII = 3, kI = 4 };
// Disaster grades of the national article 40 (plan 1.5): 一般 < 较大 < 重大 < 特别重大.
enum class Grade : std::uint8_t { kGeneral = 1, kLarge = 2, kMajor = 3, kEspeciallyMajor = 4 };
// Who leads the response (plan 6.1, 3.3), ordered by the administrative tier.
enum class Tier : std::uint8_t { kCounty = 1, kCity = 2, kRegion = 3, kNational = 4 };
// Forest fire-risk warning colours (plan 5.1.1), ordered blue < yellow < orange < red. 0 = no warning.
enum class Colour : std::uint8_t { kNone = 0, kBlue = 1, kYellow = 2, kOrange = 3, kRed = 4 };

const char* LevelName(Level l);                         // "IV", "III", "II", "I"
const char* LevelNameZh(Level l);                       // "Ⅳ级", ...
std::optional<Level> ParseLevel(std::string_view s);    // accepts IV/III/II/I, 4/3/2/1, Ⅳ/Ⅲ/Ⅱ/Ⅰ
const char* GradeNameZh(Grade g);                       // "一般", "较大", "重大", "特别重大"
const char* GradeNameEn(Grade g);                       // "general", "large", "major", "especially major"
const char* TierName(Tier t);                           // "county", "city", "region", "national"
const char* TierNameZh(Tier t);                         // "县级", "市级", "自治区级", "国家级"
const char* ColourName(Colour c);                       // "none", "blue", ...
const char* ColourNameZh(Colour c);                     // "无", "蓝色", ...
std::optional<Colour> ParseColour(std::string_view s);  // blue/yellow/orange/red/none and 蓝色/黄色/橙色/红色

// Where a rule-file element came from, for messages and lint: "rules/liuzhou-2022.yaml:88:5".
struct SourceLoc {
  std::string file;
  int line = 0;  // 1-based; 0 = unknown
  int col = 0;   // 1-based
  std::string ToString() const;
};

// The plan's own words and the gloss.
struct Text {
  std::string zh;  // the plan's text, verbatim where it is a quotation
  std::string en;  // short English gloss
};

// Comparison of a number fact against a bound. Plan 9.4: 以上/以内 include the number, 以下/以外 exclude it;
// 超过 is strict. The rule file's `bounds` section maps each word to an operator; `word` keeps the word used.
enum class Cmp : std::uint8_t { kGt, kGe, kLt, kLe, kEq };
const char* CmpSymbol(Cmp c);  // ">", ">=", ...

struct Bound {
  Cmp op = Cmp::kGe;
  double value = 0;
  std::string word;  // "超过", "以上", "以下", "以内", "以外", "达到", "=" ...
};

// One test on one fact. Number facts: every bound holds. Bool facts: the value equals `is`.
struct Predicate {
  FactId fact{};
  std::vector<Bound> bounds;
  std::optional<bool> is;
  SourceLoc loc;
};

// All predicates hold. `label` names the alternative in traces (e.g. "sensitive", "other").
struct Alternative {
  std::string label;
  std::vector<Predicate> all;
};

// Holds when any alternative holds. A condition with no alternatives always holds.
struct Condition {
  std::vector<Alternative> any;
  bool always() const { return any.empty(); }
};

// A named interpretation where the plan is silent, vague or contradicts itself. Outputs echo every one used.
struct Interpretation {
  std::string id;      // e.g. "casualties-above-top-band"
  std::string clause;  // the clause it interprets
  Text text;           // what we decided
  std::string reason;  // why (English or Chinese)
  SourceLoc loc;
};

// Plan 3.1: a role in the headquarters (e.g. the commander), or a member unit.
struct Role {
  std::string id;  // e.g. "commander", "office_director"
  Text name;
  std::string clause;
  std::vector<std::string> holders;  // who holds it (text), e.g. "市委常委、分管应急工作的副市长"
};

struct Unit {
  std::string id;  // e.g. "city_emergency_bureau"
  Text name;       // "市应急局"
  std::string clause;
  std::vector<Text> tasks;  // plan 3.2 task division, where the plan gives one
};

// A start condition of a response level: e.g. 6.3.2.1(2).
struct Trigger {
  std::string clause;
  Level level = Level::kIV;
  Text text;
  Condition when;
  std::vector<std::string> interpretations;  // ids of Interpretation used by this trigger
  SourceLoc loc;
};

// A measure: 6.3.x.2(n) for a level, 6.2.x for a situation, 5.1.3 for a warning colour.
struct Measure {
  std::string clause;
  Text text;
  std::vector<std::string> lead;  // role or unit ids that lead it
  Condition when;                 // always() for the level's own measures
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// Plan 6.3.x: one response level.
struct LevelSpec {
  Level level = Level::kIV;
  std::string clause;  // "6.3.1"
  Text name;           // "Ⅳ级响应"
  // 6.3.x.1 first sentence: who decides to start this level.
  std::string decider_clause;  // "6.3.1.1"
  Text decider_text;
  std::vector<std::string> deciders;  // role ids allowed to decide
  // 6.3.x.2 "在…响应的基础上": measures of `builds_on` apply too.
  std::optional<Level> builds_on;
  std::string measures_clause;  // "6.3.1.2"
  std::vector<Measure> measures;
  std::vector<Trigger> triggers;
  SourceLoc loc;
};

// Plan 1.5 / national article 40: one criterion of one grade.
struct GradeCriterion {
  std::string clause;  // e.g. "1.5/art40(较大)-area"
  Grade grade = Grade::kGeneral;
  Text text;
  Condition when;
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// Plan 6.1 / 3.3 / 9.1: who leads and commands. A rule either sets the lead tier (`lead`) or raises the
// current one (`raise` tiers up). Evaluation: lead = highest `lead` among rules that hold (default
// `default_lead`), then every `raise` rule that holds raises it (each reported with its clause).
struct LeadRule {
  std::string clause;
  Text text;
  Condition when;
  std::optional<Tier> lead;
  int raise = 0;
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// Plan 5.2: an upward-reporting condition.
struct ReportingRule {
  std::string clause;  // "5.2(3)"
  Text text;
  Condition when;
  std::string reporter;                 // role/unit id (the HQ office)
  std::vector<std::string> recipients;  // e.g. "city_party_committee", "city_government", "region_hq_office"
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// Plan 5.1.3: what a warning colour demands.
struct WarningResponse {
  Colour colour = Colour::kBlue;
  std::string clause;
  Text text;
  std::optional<Colour> builds_on;  // orange/red build on blue/yellow
  std::vector<Measure> measures;
  SourceLoc loc;
};

// Plan 3.3 三先四不打 and 十个严禁: a safety rule that applies when its condition holds (always() = standing).
struct SafetyRule {
  std::string id;      // e.g. "三先(2)", "四不打(3)", "十个严禁(8)"
  std::string clause;  // "3.3"
  std::string group;   // "三先" | "四不打" | "十个严禁"
  Text text;
  Condition when;
  Text advice;  // what the crews must do
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// Plan 4.1: a force category, in deployment priority order.
struct ForceCategory {
  std::string id;  // "main" | "support" | "supplementary" | "assisting"
  Text name;
  std::string clause;
  int priority = 0;                     // 1 = first
  std::vector<std::string> unit_types;  // unit types in this category, e.g. "professional_forest_team"
  std::optional<Level> min_level;       // lowest response level at which it may be mobilised (if any)
  std::string when_note;                // e.g. "必要时"
  SourceLoc loc;
};

// Plan 4.2 / 6.2.1: how a kind of force is requested. E.g. army: office -> 柳州军分区.
struct RequestChannel {
  std::string id;
  std::string clause;  // "4.2"
  Text text;
  std::vector<std::string> unit_types;  // the force types this channel covers
  std::string scope;                    // "local" | "cross_county" | "city" | "region" | "army" ...
  std::string requested_by;             // role/unit id
  std::vector<std::string> requested_from;
  std::string organised_by;  // who carries it out (e.g. the sending county's HQ)
  SourceLoc loc;
};

// Plan 6.2.1: people who must not be mobilised.
struct MobilisationBan {
  std::string clause;
  Text text;
  std::vector<std::string> attributes;  // e.g. "disabled", "pregnant", "minor", "unfit"
  SourceLoc loc;
};

// Plan 6.3.6 / 6.2.8 / 6.2.7: ending things.
struct Termination {
  std::string clause;
  Text text;
  Condition when;
  std::string proposer;                      // role/unit id
  std::string decider_note;                  // "按启动响应的相应权限"
  std::vector<std::string> interpretations;  // ids, e.g. "level-holds-until-termination"
  SourceLoc loc;
};

// Rule-file section `site_safety`: the plan's words for one situation gis/ finds at a point (guidance.h).
struct SiteSafetyText {
  std::string situation;  // a SiteSituation id, e.g. "fire_head", "landform_near", "zone_no_rest"
  std::string rule;       // the SafetyRule it applies (its id), or empty
  std::string clause;     // the citation shown: given, else "<rule clause> <rule group>" (e.g. "3.3 十个严禁")
  Text advice;            // with {placeholders} of the situation; for zone_* situations, the zone's label
  Text zone;              // label of the zone drawn for a point situation (fire_head, upslope); may be empty
  SourceLoc loc;
};

// Rule-file section `deployment`: what forces/ cites when it plans a deployment.
struct DeploymentText {
  std::vector<std::string> force_measures;  // clauses of level / situational measures that call for forces
  std::string escape_rule;                  // SafetyRule id requiring safety zones and escape routes
  std::string local_only_clause;            // cited when no city-level response is on: local forces only
  Text local_only;                          // what that clause says, briefly
  SourceLoc loc;
};

// Sensitive periods by calendar (used when a report omits sensitive_period). MM-DD inclusive.
struct SensitivePeriod {
  std::string name;
  std::string from_mmdd;  // "04-01"
  std::string to_mmdd;    // "04-07"
  std::string interpretation;
  SourceLoc loc;
};

// Free clauses kept for completeness and display (3.4 expert group, 6.3.5 adjustment, annex groups, ...).
struct ClauseText {
  std::string clause;
  Text title;
  Text text;
  std::string lead;                  // leading unit id, where there is one
  std::vector<std::string> members;  // member unit ids or names
  bool truncated = false;            // our copy of the plan is cut here
  SourceLoc loc;
};

// A county-level unit of the jurisdiction (reports name it by name or adcode; unknown counties are errors).
struct County {
  std::string name;        // "柳城县"
  std::string adcode;      // "450222"
  std::string short_name;  // "柳城"
  std::string name_en;     // "Liucheng County"
};

// Plan 3.1, 3.3, 5.2: a kind of office that records incidents in a shared store (docs/rule-file.md "offices").
// The city HQ office and one office per county (`counties`): the store module builds the offices from these.
struct OfficeSpec {
  std::string kind;  // "city" | "county"
  std::string clause;
  Text text;                       // e.g. 森林防灭火指挥部办公室 (the city's or county's name goes before)
  std::vector<std::string> roles;  // role ids its people act as
  std::string duty_role;           // the role a record is made by when none is given
  std::string reports_clause;      // 5.2: its records reach these recipients (逐级报告)
  Text reports_text;
  std::vector<std::string> reports_to;  // role/unit ids
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// A boolean fact the rule file defines from other facts when the report does not give it, e.g.
// night := local_hour >= 19 or local_hour < 6 (an interpretation: the plan does not define night).
struct DerivedFact {
  FactId fact{};
  std::string clause;
  Text text;
  Condition when;  // the fact is true when this holds, false when it can be evaluated and does not
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// A value assumed for a fact the report leaves out and nothing derives (e.g. controlled := false: a fire is
// not under effective control until reported so). Applied after derived_facts; echoed in the decision's notes.
struct FactDefault {
  FactId fact{};
  double value = 0;  // bools 0/1
  std::string clause;
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

// Plan 5.1.1 grades warnings "按照有关规定": a rule file may say which fire-danger class an FWI value is in and
// which warning colour that class SUGGESTS (section `fire_danger`, a named interpretation). Computed by fire/;
// never the colour in force (Incident::warning_colour, 5.1.3).
struct DangerClass {
  int level = 0;                  // 1 = lowest
  Text name;                      // e.g. 三级（较高火险） / high
  double from = 0;                // lowest index value of the class (inclusive)
  Colour colour = Colour::kNone;  // the suggested colour
  SourceLoc loc;
};

struct FireDangerTable {
  std::string clause;  // "5.1.1"
  Text text;
  std::string index;                 // "fwi" (the only index this firebreak classifies)
  std::vector<DangerClass> classes;  // ordered by level and by `from`, starting at 0
  std::vector<std::string> interpretations;
  SourceLoc loc;
};

struct PlanMeta {
  std::string id;            // "liuzhou-2022"
  Text title;                // 柳州市森林火灾应急预案（2022年修订）
  std::string document;      // 柳政办〔2022〕54号
  std::string issued;        // 2022-06-17
  std::string jurisdiction;  // "柳州市"
  std::string adcode;        // "450200"
};

struct RuleSet {
  PlanMeta meta;
  std::string source_file;
  std::string source_sha256;  // hash of the file bytes, recorded with every decision

  std::map<std::string, Bound> bounds;  // word -> operator (9.4), value unused
  std::vector<County> counties;
  std::vector<OfficeSpec> offices;         // may be empty: stores then know no offices
  std::vector<DerivedFact> derived_facts;  // evaluated in file order, before triggers
  std::vector<FactDefault> fact_defaults;  // applied after derived_facts, for facts still unknown
  std::vector<Interpretation> interpretations;
  std::vector<Role> roles;
  std::vector<Unit> units;
  std::vector<LevelSpec> levels;  // sorted IV, III, II, I
  std::vector<GradeCriterion> grades;
  std::vector<LeadRule> lead_rules;
  Tier default_lead = Tier::kCounty;
  std::vector<Measure> situational_measures;  // 6.2.x
  std::vector<ReportingRule> reporting;
  std::vector<WarningResponse> warnings;
  std::vector<SafetyRule> safety;
  std::vector<ForceCategory> force_categories;
  std::vector<RequestChannel> request_channels;
  std::vector<MobilisationBan> mobilisation_bans;
  std::vector<Termination> terminations;
  std::vector<SensitivePeriod> sensitive_periods;
  std::vector<ClauseText> clauses;             // everything else worth showing: 3.1 HQ, 3.4, 6.3.5, annex, ...
  std::optional<FireDangerTable> fire_danger;  // 5.1.1 interpretation: FWI class -> suggested colour
  std::vector<SiteSafetyText> site_safety;     // plan words for gis/ situations (guidance.h)
  DeploymentText deployment;                   // plan words for forces/ deployment plans

  // The site_safety entry for a situation, nullptr if the plan has none.
  const SiteSafetyText* FindSiteSafety(std::string_view situation) const;
  const SafetyRule* FindSafetyRule(const std::string& id) const;

  // Look-ups (linear; rule sets are small). nullptr if absent.
  const LevelSpec* FindLevel(Level l) const;
  const Interpretation* FindInterpretation(const std::string& id) const;
  const Role* FindRole(const std::string& id) const;
  const Unit* FindUnit(const std::string& id) const;
  // By name, short name or adcode.
  const County* FindCounty(const std::string& name_or_code) const;
  // Name of a role or unit id in the given language ("zh" or "en"); the id itself if unknown.
  std::string NameOf(const std::string& id, const std::string& lang) const;
};

}  // namespace firebreak::engine
