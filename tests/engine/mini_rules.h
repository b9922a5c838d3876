// A small plan built in C++ (no rule file): enough of the Liuzhou shape to test the engine's semantics
// independently of the YAML loader. Thresholds deliberately differ from Liuzhou (40/80 ha, 5/10 h).
#pragma once

#include "firebreak/engine/rule_set.h"

namespace firebreak::engine::testing {

inline Predicate Num(FactId f, std::vector<Bound> b) { return Predicate{f, std::move(b), std::nullopt, {}}; }
inline Predicate Is(FactId f, bool v) { return Predicate{f, {}, v, {}}; }
inline Bound Gt(double v) { return Bound{Cmp::kGt, v, "超过"}; }
inline Bound Ge(double v) { return Bound{Cmp::kGe, v, "以上"}; }
inline Bound Lt(double v) { return Bound{Cmp::kLt, v, "以下"}; }
inline Alternative Alt(std::string label, std::vector<Predicate> all) {
  return Alternative{std::move(label), std::move(all)};
}
inline Condition When(std::vector<Predicate> all) { return Condition{{Alt("", std::move(all))}}; }

inline RuleSet MiniRules() {
  RuleSet r;
  r.meta.id = "mini";
  r.meta.jurisdiction = "测试市";
  r.source_sha256 = "0000";
  r.counties = {{"甲县", "999001", "甲", "Jia County"}, {"乙区", "999002", "乙", "Yi District"}};
  r.interpretations = {
      {"uncontrolled-unless-reported", "6.3", {"未报告控制即视为未控制", "not controlled unless reported"}, "", {}},
      {"night-hours", "3.3", {"19时至次日6时为夜间", "19:00-06:00 is night"}, "", {}},
      {"calendar", "6.3", {"敏感时段日历", "sensitive-period calendar"}, "", {}},
      {"hours-reached", "9.4", {"持续N小时：达到即满足", "lasting N hours: holds once reached"}, "", {}},
  };
  r.roles = {{"office_director", {"指挥部办公室主任", "HQ office director"}, "3.1", {}},
             {"deputy_commander", {"副指挥长", "deputy commander"}, "3.1", {}}};
  r.units = {{"hq_office", {"指挥部办公室", "HQ office"}, "3.1", {}}};
  r.derived_facts = {{FactId::kNight,
                      "3.3",
                      {"夜间", "night"},
                      Condition{{Alt("evening", {Num(FactId::kLocalHour, {Ge(19)})}),
                                 Alt("early", {Num(FactId::kLocalHour, {Lt(6)})})}},
                      {"night-hours"},
                      {}},
                     // This plan reads "in a sensitive period" as "the moment assessed is in the calendar".
                     {FactId::kSensitivePeriod,
                      "6.3",
                      {"敏感时段", "sensitive period"},
                      When({Is(FactId::kCalendarSensitiveNow, true)}),
                      {"calendar"},
                      {}}};
  r.fact_defaults = {{FactId::kControlled, 0, "6.3", {"uncontrolled-unless-reported"}, {}},
                     {FactId::kSensitiveArea, 0, "6.3", {}, {}}};
  r.sensitive_periods = {{"清明", "04-01", "04-07", "calendar", {}}, {"元旦", "12-30", "01-02", "calendar", {}}};

  LevelSpec iv;
  iv.level = Level::kIV;
  iv.clause = "6.3.1";
  iv.decider_clause = "6.3.1.1";
  iv.decider_text = {"由办公室主任决定", "office director decides"};
  iv.deciders = {"office_director"};
  Bound h5{Cmp::kGe, 5, "达到"};
  Bound h10{Cmp::kGe, 10, "达到"};
  iv.triggers = {
      {"T-IV(1)",
       Level::kIV,
       {"过火面积超过40公顷且尚未得到有效控制", "over 40 ha, uncontrolled"},
       When({Num(FactId::kBurnedAreaHa, {Gt(40)}), Is(FactId::kControlled, false)}),
       {},
       {}},
      {"T-IV(2)", Level::kIV, {"造成1人死亡", "1 death"}, When({Num(FactId::kDeaths, {Ge(1), Lt(2)})}), {}, {}},
      {"T-IV(3)",
       Level::kIV,
       {"敏感明火持续5小时", "sensitive 5 h"},
       Condition{{Alt("sensitive", {Is(FactId::kSensitivePeriod, true), Num(FactId::kOpenFireHours, {h5}),
                                    Is(FactId::kControlled, false)}),
                  Alt("other", {Is(FactId::kSensitivePeriod, false), Num(FactId::kOpenFireHours, {h10}),
                                Is(FactId::kControlled, false)})}},
       {"hours-reached"},
       {}},
  };
  iv.measures = {{"M-IV(1)", {"办公室进入应急状态", "office on alert"}, {"hq_office"}, {}, {}, {}}};
  LevelSpec iii;
  iii.level = Level::kIII;
  iii.clause = "6.3.2";
  iii.decider_clause = "6.3.2.1";
  iii.decider_text = {"由副指挥长决定", "deputy commander decides"};
  iii.deciders = {"deputy_commander"};
  iii.builds_on = Level::kIV;
  iii.triggers = {
      {"T-III(1)",
       Level::kIII,
       {"过火面积超过80公顷且尚未得到有效控制", "over 80 ha, uncontrolled"},
       When({Num(FactId::kBurnedAreaHa, {Gt(80)}), Is(FactId::kControlled, false)}),
       {},
       {}},
      {"T-III(2)",
       Level::kIII,
       {"同时发生2起以上危险性较大的森林火灾", "2+ dangerous fires"},
       When({Num(FactId::kConcurrentDangerousFires, {Ge(2)})}),
       {},
       {}},
      {"T-III(3)",
       Level::kIII,
       {"敏感明火超过10小时", "sensitive over 10 h"},
       Condition{{Alt("sensitive", {Is(FactId::kSensitivePeriod, true), Num(FactId::kOpenFireHours, {Gt(10)}),
                                    Is(FactId::kControlled, false)})}},
       {},
       {}},
  };
  iii.measures = {{"M-III(1)", {"会商", "consultation"}, {"hq_office"}, {}, {}, {}}};
  r.levels = {iv, iii};
  r.grades = {
      {"G-general", Grade::kGeneral, {"一般", "general"}, When({Num(FactId::kDamagedForestAreaHa, {Ge(0)})}), {}, {}},
      {"G-large-area",
       Grade::kLarge,
       {"较大", "large"},
       When({Num(FactId::kDamagedForestAreaHa, {Ge(1), Lt(100)})}),
       {},
       {}},
      {"G-major-area", Grade::kMajor, {"重大", "major"}, When({Num(FactId::kDamagedForestAreaHa, {Ge(100)})}), {}, {}},
  };
  r.lead_rules = {
      {"L-city", {"较大由市级", "large: city"}, When({Num(FactId::kGrade, {Ge(2)})}), Tier::kCity, 0, {}, {}},
      {"L-raise",
       {"3起以上上一级", "3+ fires: one up"},
       When({Num(FactId::kConcurrentFires, {Ge(3)})}),
       std::nullopt,
       1,
       {},
       {}},
  };
  r.situational_measures = {
      {"S-evacuate", {"转移群众", "evacuate"}, {"hq_office"}, When({Is(FactId::kThreatensResidential, true)}), {}, {}}};
  r.reporting = {{"R-deaths",
                  {"造成人员死亡", "deaths"},
                  When({Num(FactId::kDeaths, {Ge(1)})}),
                  "hq_office",
                  {"city_government"},
                  {},
                  {}}};
  WarningResponse blue;
  blue.colour = Colour::kBlue;
  blue.clause = "W-blue";
  blue.measures = {{"W-blue(1)", {"加强巡护", "patrols"}, {}, {}, {}, {}}};
  WarningResponse orange;
  orange.colour = Colour::kOrange;
  orange.clause = "W-orange";
  orange.builds_on = Colour::kBlue;
  orange.measures = {{"W-orange(1)", {"靠前驻防", "forward deployment"}, {}, {}, {}, {}}};
  r.warnings = {blue, orange};
  r.safety = {{"S-night",
               "3.3",
               "四不打",
               {"夜间不打火", "no night attack"},
               When({Is(FactId::kNight, true)}),
               {"夜间停止直接扑打", "stop direct attack at night"},
               {},
               {}},
              {"S-standing",
               "3.3",
               "十个严禁",
               {"严禁多头指挥", "single command"},
               Condition{},
               {"统一指挥", "one command"},
               {},
               {}}};
  return r;
}

// MiniRules() built once, for suites that only read it.
inline const RuleSet& SharedMiniRules() {
  static const RuleSet r = MiniRules();
  return r;
}

}  // namespace firebreak::engine::testing
