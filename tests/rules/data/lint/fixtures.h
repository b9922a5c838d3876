// In-code rule-set fixtures for the lint and show tests (tests/rules/lint_test.cc, show_test.cc).
// `LiuzhouLike()` encodes plan 6.3.1–6.3.4 triggers and the article-40 grades the way the rule file does
// (docs/rule-file.md): sensitive branch as two alternatives, "other" as both false, casualty bands with the
// `iv-injury-band-starts-at-1` and `casualties-above-top-band` interpretations.
#pragma once

#include <string>
#include <vector>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules::testing {

using engine::Alternative;
using engine::Bound;
using engine::Cmp;
using engine::Condition;
using engine::FactId;
using engine::Level;
using engine::Predicate;

inline Bound B(Cmp op, double v, std::string word = {}) { return Bound{op, v, std::move(word)}; }
inline Bound Over(double v) { return B(Cmp::kGt, v, "超过"); }     // 超过 strict
inline Bound AtLeast(double v) { return B(Cmp::kGe, v, "以上"); }  // 以上 includes (9.4)
inline Bound Below(double v) { return B(Cmp::kLt, v, "以下"); }    // 以下 excludes (9.4)
inline Bound Within(double v) { return B(Cmp::kLe, v, "以内"); }   // 以内 includes (9.4)
inline Bound Reach(double v) { return B(Cmp::kGe, v, "达到"); }
inline Bound Exactly(double v) { return B(Cmp::kEq, v, "="); }

inline Predicate P(FactId f, std::vector<Bound> bounds, int line = 0) {
  Predicate p;
  p.fact = f;
  p.bounds = std::move(bounds);
  p.loc = engine::SourceLoc{"fixture.yaml", line, 7};
  return p;
}
inline Predicate Is(FactId f, bool v, int line = 0) {
  Predicate p;
  p.fact = f;
  p.is = v;
  p.loc = engine::SourceLoc{"fixture.yaml", line, 7};
  return p;
}
inline Alternative A(std::string label, std::vector<Predicate> all) {
  return Alternative{std::move(label), std::move(all)};
}

inline engine::Trigger T(std::string clause, Level level, std::vector<Alternative> any,
                         std::vector<std::string> interps = {}) {
  engine::Trigger t;
  t.clause = std::move(clause);
  t.level = level;
  t.when.any = std::move(any);
  t.interpretations = std::move(interps);
  t.loc = engine::SourceLoc{"fixture.yaml", 1, 1};
  return t;
}

inline engine::LevelSpec L(Level level, std::string clause, std::vector<engine::Trigger> triggers,
                           std::vector<std::string> deciders = {}, std::optional<Level> builds_on = {}) {
  engine::LevelSpec s;
  s.level = level;
  s.clause = clause;
  s.decider_clause = clause + ".1";
  s.measures_clause = clause + ".2";
  s.deciders = std::move(deciders);
  s.builds_on = builds_on;
  s.triggers = std::move(triggers);
  s.loc = engine::SourceLoc{"fixture.yaml", 1, 1};
  return s;
}

inline engine::Interpretation I(std::string id, std::string clause) {
  engine::Interpretation in;
  in.id = std::move(id);
  in.clause = std::move(clause);
  in.text = {"解释 " + in.id, "interpretation " + in.id};
  return in;
}

inline engine::GradeCriterion G(std::string clause, engine::Grade grade, std::vector<Alternative> any,
                                std::vector<std::string> interps = {}) {
  engine::GradeCriterion g;
  g.clause = std::move(clause);
  g.grade = grade;
  g.when.any = std::move(any);
  g.interpretations = std::move(interps);
  return g;
}

// The "sensitive / other" open-fire trigger of one level: hours in sensitive periods or areas, or in others.
inline engine::Trigger OpenFire(std::string clause, Level level, double sensitive_h, double other_h) {
  auto branch = [](std::string label, std::vector<Predicate> ctx, double h) {
    ctx.push_back(P(FactId::kOpenFireHours, {Reach(h)}));
    ctx.push_back(Is(FactId::kControlled, false));
    return A(std::move(label), std::move(ctx));
  };
  return T(std::move(clause), level,
           {branch("sensitive-period", {Is(FactId::kSensitivePeriod, true)}, sensitive_h),
            branch("sensitive-area", {Is(FactId::kSensitiveArea, true)}, sensitive_h),
            branch("other", {Is(FactId::kSensitivePeriod, false), Is(FactId::kSensitiveArea, false)}, other_h)},
           {"sensitive-either"});
}

inline engine::RuleSet LiuzhouLike() {
  using F = FactId;
  engine::RuleSet rs;
  rs.meta.id = "liuzhou-like";
  rs.meta.title = {"柳州市森林火灾应急预案（测试）", "Liuzhou forest fire plan (test)"};
  rs.source_file = "fixture.yaml";
  rs.bounds = {{"超过", Over(0)}, {"以上", AtLeast(0)}, {"以下", Below(0)}, {"以内", Within(0)}};
  auto role = [](std::string id, std::string zh, std::string en) {
    engine::Role r;
    r.id = std::move(id);
    r.name = {std::move(zh), std::move(en)};
    r.clause = "3.1";
    return r;
  };
  rs.roles = {role("office_director", "指挥部办公室主任", "HQ office director"),
              role("deputy_commander", "指挥部副指挥长", "deputy commander"),
              role("commander", "指挥部指挥长", "commander")};
  rs.interpretations = {I("sensitive-either", "6.3"), I("iv-injury-band-starts-at-1", "6.3.1.1(2)"),
                        I("casualties-above-top-band", "6.3.4.1(2)"), I("any-fire-is-general", "1.5")};
  auto area = [](double ha) { return A("", {P(F::kBurnedAreaHa, {Over(ha)}), Is(F::kControlled, false)}); };
  auto opinion = [] { return A("", {Is(F::kPublicOpinionVerification, true)}); };
  rs.levels = {
      L(Level::kIV, "6.3.1",
        {T("6.3.1.1(1)", Level::kIV, {area(50)}),
         T("6.3.1.1(2)", Level::kIV,
           {A("deaths", {P(F::kDeaths, {Exactly(1)})}),
            A("injuries", {P(F::kSeriousInjuries, {AtLeast(1), Below(3)})})},
           {"iv-injury-band-starts-at-1"}),
         OpenFire("6.3.1.1(3)", Level::kIV, 6, 24), T("6.3.1.1(4)", Level::kIV, {opinion()})},
        {"office_director"}),
      L(Level::kIII, "6.3.2",
        {T("6.3.2.1(1)", Level::kIII, {area(100)}),
         T("6.3.2.1(2)", Level::kIII,
           {A("deaths", {P(F::kDeaths, {AtLeast(1), Below(3)})}),
            A("injuries", {P(F::kSeriousInjuries, {AtLeast(1), Below(10)})})}),
         OpenFire("6.3.2.1(3)", Level::kIII, 12, 24), T("6.3.2.1(4)", Level::kIII, {opinion()}),
         T("6.3.2.1(5)", Level::kIII, {A("", {P(F::kConcurrentDangerousFires, {AtLeast(2)})})})},
        {"deputy_commander"}),
      L(Level::kII, "6.3.3",
        {T("6.3.3.1(1)", Level::kII, {area(500)}),
         T("6.3.3.1(2)", Level::kII,
           {A("deaths", {P(F::kDeaths, {AtLeast(3), Below(10)})}),
            A("injuries", {P(F::kSeriousInjuries, {AtLeast(10), Below(30)})})}),
         OpenFire("6.3.3.1(3)", Level::kII, 24, 48)},
        {"commander", "deputy_commander"}, Level::kIII),
      L(Level::kI, "6.3.4",
        {T("6.3.4.1(1)", Level::kI, {area(1000)}),
         T("6.3.4.1(2)", Level::kI,
           {A("deaths", {P(F::kDeaths, {AtLeast(10), Below(20)})}),
            A("injuries", {P(F::kSeriousInjuries, {AtLeast(30), Below(50)})}),
            A("above-top-band", {P(F::kDeaths, {AtLeast(20)})}),
            A("above-top-band", {P(F::kSeriousInjuries, {AtLeast(50)})})},
           {"casualties-above-top-band"}),
         OpenFire("6.3.4.1(3)", Level::kI, 48, 72)},
        {"commander"}, Level::kII),
  };
  using engine::Grade;
  rs.grades = {
      G("1.5/art40(一般)", Grade::kGeneral,
        {A("area", {P(F::kDamagedForestAreaHa, {Below(1)})}), A("other-woodland", {Is(F::kOtherWoodland, true)}),
         A("deaths", {P(F::kDeaths, {AtLeast(1), Below(3)})}),
         A("injuries", {P(F::kSeriousInjuries, {AtLeast(1), Below(10)})})},
        {"any-fire-is-general"}),
      G("1.5/art40(较大)", Grade::kLarge,
        {A("area", {P(F::kDamagedForestAreaHa, {AtLeast(1), Below(100)})}),
         A("deaths", {P(F::kDeaths, {AtLeast(3), Below(10)})}),
         A("injuries", {P(F::kSeriousInjuries, {AtLeast(10), Below(50)})})}),
      G("1.5/art40(重大)", Grade::kMajor,
        {A("area", {P(F::kDamagedForestAreaHa, {AtLeast(100), Below(1000)})}),
         A("deaths", {P(F::kDeaths, {AtLeast(10), Below(30)})}),
         A("injuries", {P(F::kSeriousInjuries, {AtLeast(50), Below(100)})})}),
      G("1.5/art40(特别重大)", Grade::kEspeciallyMajor,
        {A("area", {P(F::kDamagedForestAreaHa, {AtLeast(1000)})}), A("deaths", {P(F::kDeaths, {AtLeast(30)})}),
         A("injuries", {P(F::kSeriousInjuries, {AtLeast(100)})})}),
  };
  return rs;
}

}  // namespace firebreak::rules::testing
