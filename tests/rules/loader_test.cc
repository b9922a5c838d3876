// Tests for the rule-file loader: the real Liuzhou plan (spot checks of thresholds, words, deciders, sections),
// the fictional county plan (a new plan is a new file), and broken fixtures under data/bad/ (kind, exact
// line:col, message and hint).
#include "firebreak/rules/loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "../common/hostile_inputs.h"
#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"

namespace firebreak::rules {
namespace {

using engine::Cmp;
using engine::FactId;
using engine::Level;

const std::string kSource = FIREBREAK_SOURCE_DIR;
const std::string kLiuzhou = kSource + "/rules/liuzhou-2022.yaml";
const std::string kData = kSource + "/tests/rules/data/";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const engine::RuleSet& Liuzhou() {
  static const engine::RuleSet rs = LoadRuleFile(kLiuzhou);
  return rs;
}

const engine::Trigger* FindTrigger(const engine::RuleSet& rs, const std::string& clause) {
  for (const auto& l : rs.levels)
    for (const auto& t : l.triggers)
      if (t.clause == clause) return &t;
  return nullptr;
}

const engine::Alternative* FindAlt(const engine::Condition& c, const std::string& label) {
  for (const auto& a : c.any)
    if (a.label == label) return &a;
  return nullptr;
}

const engine::Predicate* FindPred(const engine::Alternative& a, FactId f) {
  for (const auto& p : a.all)
    if (p.fact == f) return &p;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------
// The real plan.

TEST(LiuzhouPlan, LoadsWithMetaHashAndCounties) {
  const auto& rs = Liuzhou();
  EXPECT_EQ(rs.meta.id, "liuzhou-2022");
  EXPECT_EQ(rs.meta.document, "柳政办〔2022〕54号");
  EXPECT_EQ(rs.meta.adcode, "450200");
  EXPECT_EQ(rs.source_file, kLiuzhou);
  EXPECT_EQ(rs.source_sha256, Sha256Hex(ReadAll(kLiuzhou)));
  ASSERT_EQ(rs.counties.size(), 10u);
  ASSERT_NE(rs.FindCounty("450225"), nullptr);
  EXPECT_EQ(rs.FindCounty("450225")->name, "融水苗族自治县");
  EXPECT_EQ(rs.FindCounty("柳城县")->adcode, "450222");
  EXPECT_EQ(rs.FindCounty("三江")->adcode, "450226");
  EXPECT_EQ(rs.FindCounty("城中区")->adcode, "450202");
}

TEST(LiuzhouPlan, BoundWordsFollowClause94) {
  const auto& b = Liuzhou().bounds;
  struct {
    const char* word;
    Cmp op;
  } cases[] = {{"以上", Cmp::kGe}, {"以内", Cmp::kLe}, {"以下", Cmp::kLt},
               {"以外", Cmp::kGt}, {"超过", Cmp::kGt}, {"达到", Cmp::kGe}};
  for (const auto& c : cases) {
    ASSERT_TRUE(b.count(c.word)) << c.word;
    EXPECT_EQ(b.at(c.word).op, c.op) << c.word;
    EXPECT_EQ(b.at(c.word).word, c.word);
  }
}

TEST(LiuzhouPlan, FourLevelsInOrderWithDecidersAndBuildsOn) {
  const auto& rs = Liuzhou();
  ASSERT_EQ(rs.levels.size(), 4u);
  EXPECT_EQ(rs.levels[0].level, Level::kIV);
  EXPECT_EQ(rs.levels[3].level, Level::kI);
  struct {
    Level level;
    std::vector<std::string> deciders;
    std::optional<Level> builds_on;
    std::size_t triggers, measures;
  } cases[] = {
      {Level::kIV, {"office_director", "office_deputy_director_entrusted"}, std::nullopt, 4, 6},
      {Level::kIII, {"deputy_commander"}, std::nullopt, 5, 6},
      {Level::kII, {"commander", "deputy_commander_entrusted"}, Level::kIII, 3, 4},
      {Level::kI, {"commander"}, Level::kII, 3, 6},
  };
  for (const auto& c : cases) {
    const auto* l = rs.FindLevel(c.level);
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->deciders, c.deciders) << engine::LevelName(c.level);
    EXPECT_EQ(l->builds_on, c.builds_on) << engine::LevelName(c.level);
    EXPECT_EQ(l->triggers.size(), c.triggers) << engine::LevelName(c.level);
    EXPECT_EQ(l->measures.size(), c.measures) << engine::LevelName(c.level);
    for (const auto& t : l->triggers) EXPECT_EQ(t.level, c.level) << t.clause;
  }
  EXPECT_EQ(rs.FindLevel(Level::kIV)->decider_clause, "6.3.1.1");
  EXPECT_NE(rs.FindLevel(Level::kIV)->decider_text.zh.find("办公室主任"), std::string::npos);
  // The plan's second "(5)" of 6.3.4.2 is 5b, with its interpretation.
  const auto& last = rs.FindLevel(Level::kI)->measures.back();
  EXPECT_EQ(last.clause, "6.3.4.2(5b)");
  EXPECT_EQ(last.interpretations, std::vector<std::string>{"two-items-5-in-6.3.4.2"});
}

TEST(LiuzhouPlan, BurnedAreaThresholdsAreStrictAndRequireUncontrolled) {
  struct {
    const char* clause;
    double ha;
  } cases[] = {{"6.3.1.1(1)", 50}, {"6.3.2.1(1)", 100}, {"6.3.3.1(1)", 500}, {"6.3.4.1(1)", 1000}};
  for (const auto& c : cases) {
    const auto* t = FindTrigger(Liuzhou(), c.clause);
    ASSERT_NE(t, nullptr) << c.clause;
    ASSERT_EQ(t->when.any.size(), 1u);
    const auto* area = FindPred(t->when.any[0], FactId::kBurnedAreaHa);
    ASSERT_NE(area, nullptr);
    ASSERT_EQ(area->bounds.size(), 1u);
    EXPECT_EQ(area->bounds[0].op, Cmp::kGt);
    EXPECT_EQ(area->bounds[0].word, "超过");
    EXPECT_EQ(area->bounds[0].value, c.ha);
    const auto* ctl = FindPred(t->when.any[0], FactId::kControlled);
    ASSERT_NE(ctl, nullptr);
    EXPECT_EQ(ctl->is, std::optional<bool>(false));
    EXPECT_GT(area->loc.line, 0);
  }
}

TEST(LiuzhouPlan, OpenFireHoursSensitiveVersusOther) {
  struct {
    const char* clause;
    double sensitive, other;
  } cases[] = {{"6.3.1.1(3)", 6, 24}, {"6.3.2.1(3)", 12, 24}, {"6.3.3.1(3)", 24, 48}, {"6.3.4.1(3)", 48, 72}};
  for (const auto& c : cases) {
    const auto* t = FindTrigger(Liuzhou(), c.clause);
    ASSERT_NE(t, nullptr) << c.clause;
    ASSERT_EQ(t->when.any.size(), 3u) << c.clause;
    for (const char* label : {"sensitive-period", "sensitive-area"}) {
      const auto* a = FindAlt(t->when, label);
      ASSERT_NE(a, nullptr) << label;
      const auto* h = FindPred(*a, FactId::kOpenFireHours);
      ASSERT_NE(h, nullptr);
      EXPECT_EQ(h->bounds[0].value, c.sensitive) << c.clause;
      EXPECT_EQ(h->bounds[0].op, Cmp::kGe);
      EXPECT_EQ(h->bounds[0].word, "达到");
    }
    EXPECT_EQ(FindPred(*FindAlt(t->when, "sensitive-period"), FactId::kSensitivePeriod)->is, true);
    EXPECT_EQ(FindPred(*FindAlt(t->when, "sensitive-area"), FactId::kSensitiveArea)->is, true);
    const auto* other = FindAlt(t->when, "other");
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(FindPred(*other, FactId::kOpenFireHours)->bounds[0].value, c.other);
    EXPECT_EQ(FindPred(*other, FactId::kSensitivePeriod)->is, false);
    EXPECT_EQ(FindPred(*other, FactId::kSensitiveArea)->is, false);
    EXPECT_NE(std::find(t->interpretations.begin(), t->interpretations.end(), "sensitive-either"),
              t->interpretations.end());
  }
}

TEST(LiuzhouPlan, CasualtyBandsWithBothBoundWords) {
  struct {
    const char* clause;
    const char* label;
    FactId fact;
    double lo, hi;
  } cases[] = {
      {"6.3.1.1(2)", "injuries", FactId::kSeriousInjuries, 1, 3},   {"6.3.2.1(2)", "deaths", FactId::kDeaths, 1, 3},
      {"6.3.2.1(2)", "injuries", FactId::kSeriousInjuries, 1, 10},  {"6.3.3.1(2)", "deaths", FactId::kDeaths, 3, 10},
      {"6.3.3.1(2)", "injuries", FactId::kSeriousInjuries, 10, 30}, {"6.3.4.1(2)", "deaths", FactId::kDeaths, 10, 20},
      {"6.3.4.1(2)", "injuries", FactId::kSeriousInjuries, 30, 50},
  };
  for (const auto& c : cases) {
    const auto* t = FindTrigger(Liuzhou(), c.clause);
    ASSERT_NE(t, nullptr);
    const auto* a = FindAlt(t->when, c.label);
    ASSERT_NE(a, nullptr) << c.clause << " " << c.label;
    const auto* p = FindPred(*a, c.fact);
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(p->bounds.size(), 2u);
    EXPECT_EQ(p->bounds[0].word, "以上");
    EXPECT_EQ(p->bounds[0].op, Cmp::kGe);
    EXPECT_EQ(p->bounds[0].value, c.lo) << c.clause;
    EXPECT_EQ(p->bounds[1].word, "以下");
    EXPECT_EQ(p->bounds[1].op, Cmp::kLt);
    EXPECT_EQ(p->bounds[1].value, c.hi) << c.clause;
  }
  // IV(2) one death exactly; I(2) above the top band is level I by a named interpretation.
  const auto* iv = FindTrigger(Liuzhou(), "6.3.1.1(2)");
  EXPECT_EQ(FindPred(*FindAlt(iv->when, "death"), FactId::kDeaths)->bounds[0].op, Cmp::kEq);
  const auto* i = FindTrigger(Liuzhou(), "6.3.4.1(2)");
  ASSERT_NE(FindAlt(i->when, "above-top-band-deaths"), nullptr);
  EXPECT_EQ(FindPred(*FindAlt(i->when, "above-top-band-deaths"), FactId::kDeaths)->bounds[0].value, 20);
  EXPECT_EQ(FindPred(*FindAlt(i->when, "above-top-band-injuries"), FactId::kSeriousInjuries)->bounds[0].value, 50);
  EXPECT_EQ(i->interpretations, std::vector<std::string>{"casualties-above-top-band"});
}

TEST(LiuzhouPlan, TwoDangerousFiresApplyToTheDangerousOnes) {
  const auto* t = FindTrigger(Liuzhou(), "6.3.2.1(5)");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->when.any.size(), 1u);
  const auto* n = FindPred(t->when.any[0], FactId::kConcurrentDangerousFires);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->bounds[0].op, Cmp::kGe);
  EXPECT_EQ(n->bounds[0].value, 2);
  ASSERT_NE(FindPred(t->when.any[0], FactId::kDangerous), nullptr);
  EXPECT_EQ(FindPred(t->when.any[0], FactId::kDangerous)->is, true);
  EXPECT_EQ(t->interpretations, std::vector<std::string>{"dangerous-fires-reported"});
}

TEST(LiuzhouPlan, GradesUseDamagedForestArea) {
  const auto& rs = Liuzhou();
  std::set<engine::Grade> seen;
  for (const auto& g : rs.grades) {
    seen.insert(g.grade);
    for (const auto& a : g.when.any) EXPECT_EQ(FindPred(a, FactId::kBurnedAreaHa), nullptr) << g.clause;
  }
  EXPECT_EQ(seen.size(), 4u);
  const engine::GradeCriterion* large = nullptr;
  for (const auto& g : rs.grades)
    if (g.clause == "1.5/art40(较大)-area") large = &g;
  ASSERT_NE(large, nullptr);
  const auto* p = FindPred(large->when.any[0], FactId::kDamagedForestAreaHa);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->bounds[0].value, 1);
  EXPECT_EQ(p->bounds[0].op, Cmp::kGe);
  EXPECT_EQ(p->bounds[1].value, 100);
  EXPECT_EQ(p->bounds[1].op, Cmp::kLt);
}

TEST(LiuzhouPlan, SectionCounts) {
  const auto& rs = Liuzhou();
  EXPECT_EQ(rs.reporting.size(), 7u);
  for (const auto& r : rs.reporting) {
    EXPECT_EQ(r.reporter, "city_hq_office");
    EXPECT_EQ(r.recipients, (std::vector<std::string>{"city_party_committee", "city_government", "region_hq_office"}));
    EXPECT_FALSE(r.when.always()) << r.clause;
  }
  std::map<std::string, int> groups;
  for (const auto& s : rs.safety) ++groups[s.group];
  EXPECT_EQ(groups["三先"], 3);
  EXPECT_EQ(groups["四不打"], 4);
  EXPECT_EQ(groups["十个严禁"], 10);
  EXPECT_EQ(groups.size(), 3u);
  EXPECT_EQ(rs.warnings.size(), 4u);
  EXPECT_EQ(rs.force_categories.size(), 4u);
  EXPECT_EQ(rs.force_categories[0].id, "main");
  EXPECT_EQ(rs.force_categories[3].id, "assisting");
  EXPECT_EQ(rs.mobilisation_bans.size(), 1u);
  EXPECT_EQ(rs.mobilisation_bans[0].attributes, (std::vector<std::string>{"disabled", "pregnant", "minor", "unfit"}));
  ASSERT_EQ(rs.terminations.size(), 3u);
  EXPECT_EQ(rs.terminations[0].clause, "6.3.6");
  EXPECT_EQ(rs.terminations[0].proposer, "city_hq_office");
  EXPECT_EQ(rs.terminations[0].interpretations,
            (std::vector<std::string>{"fighting-over", "level-holds-until-termination"}));
  EXPECT_EQ(rs.default_lead, engine::Tier::kCounty);
}

TEST(LiuzhouPlan, SituationalMeasuresCarryTheirSituations) {
  std::map<std::string, const engine::Measure*> by;
  for (const auto& m : Liuzhou().situational_measures) by[m.clause] = &m;
  ASSERT_TRUE(by.count("6.2.2") && by.count("6.2.4") && by.count("6.2.7(2)") && by.count("6.2.9"));
  EXPECT_EQ(FindPred(by["6.2.2"]->when.any[0], FactId::kThreatensResidential)->is, true);
  EXPECT_EQ(by["6.2.4"]->when.any.size(), 7u);  // military, nuclear, chemicals, pipelines, railway, hazard, key
  const auto& withdraw = by["6.2.7(2)"]->when.any.at(0);
  for (FactId f : {FactId::kNoFire, FactId::kNoSmoke, FactId::kNoGas}) {
    ASSERT_NE(FindPred(withdraw, f), nullptr);
    EXPECT_EQ(FindPred(withdraw, f)->is, true);
  }
  EXPECT_TRUE(by["6.2.1(1)"]->when.always());  // the county acts on every fire
  EXPECT_EQ(by["6.2.1(3)"]->interpretations, std::vector<std::string>{"army-from-level-ii"});
  EXPECT_EQ(by["6.2.1(3)"]->when.any[0].all[0].bounds[0].value, static_cast<double>(Level::kII));
}

TEST(LiuzhouPlan, EveryElementKnowsWhereItCameFrom) {
  const auto& rs = Liuzhou();
  int checked = 0;
  auto check = [&](const engine::SourceLoc& loc, const std::string& what) {
    ++checked;
    EXPECT_EQ(loc.file, kLiuzhou) << what;
    EXPECT_GT(loc.line, 0) << what;
    EXPECT_GT(loc.col, 0) << what;
  };
  auto check_cond = [&](const engine::Condition& c, const std::string& what) {
    for (const auto& a : c.any)
      for (const auto& p : a.all) check(p.loc, what + " predicate");
  };
  for (const auto& l : rs.levels) {
    check(l.loc, l.clause);
    for (const auto& t : l.triggers) check(t.loc, t.clause), check_cond(t.when, t.clause);
    for (const auto& m : l.measures) check(m.loc, m.clause);
  }
  for (const auto& x : rs.interpretations) check(x.loc, x.id);
  for (const auto& x : rs.derived_facts) check(x.loc, x.clause), check_cond(x.when, x.clause);
  for (const auto& x : rs.fact_defaults) check(x.loc, x.clause);
  for (const auto& x : rs.grades) check(x.loc, x.clause), check_cond(x.when, x.clause);
  for (const auto& x : rs.lead_rules) check(x.loc, x.clause), check_cond(x.when, x.clause);
  for (const auto& x : rs.situational_measures) check(x.loc, x.clause), check_cond(x.when, x.clause);
  for (const auto& x : rs.reporting) check(x.loc, x.clause), check_cond(x.when, x.clause);
  for (const auto& x : rs.warnings) {
    check(x.loc, x.clause);
    for (const auto& m : x.measures) check(m.loc, m.clause);
  }
  for (const auto& x : rs.safety) check(x.loc, x.id), check_cond(x.when, x.id);
  for (const auto& x : rs.force_categories) check(x.loc, x.id);
  for (const auto& x : rs.request_channels) check(x.loc, x.id);
  for (const auto& x : rs.mobilisation_bans) check(x.loc, x.clause);
  for (const auto& x : rs.terminations) check(x.loc, x.clause), check_cond(x.when, x.clause);
  for (const auto& x : rs.sensitive_periods) check(x.loc, x.name);
  for (const auto& x : rs.clauses) check(x.loc, x.clause);
  EXPECT_GT(checked, 300);
  // The location points at the element: line 1 of the file is a comment, and the 6.3.1.1(1) trigger starts
  // with "- clause:" at the column of its "clause" key.
  const auto* t = FindTrigger(rs, "6.3.1.1(1)");
  const std::string text = ReadAll(kLiuzhou);
  std::size_t at = 0;
  for (int line = 1; line < t->loc.line; ++line) at = text.find('\n', at) + 1;
  EXPECT_EQ(text.compare(at + static_cast<std::size_t>(t->loc.col) - 1, 20, "clause: \"6.3.1.1(1)\""), 0);
}

// The plan's own words: every quoted text (triggers, deciders, measures, reporting, safety, bans,
// terminations, display clauses) appears verbatim in the plan (whitespace and page breaks ignored; "……"
// marks an elision). Grades quote art. 40, not the plan, and are not checked here.
TEST(LiuzhouPlan, QuotationsAreVerbatim) {
  const std::string spec_path = std::string(FIREBREAK_SHARED_DATA) + "/../spec/liuzhou-forest-fire-plan-2022.md";
  std::string plan = ReadAll(spec_path);
  if (plan.empty()) GTEST_SKIP() << "plan text not found at " << spec_path;
  auto squeeze = [](const std::string& t) {
    std::string out;
    for (char c : t)
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
    return out;
  };
  plan = squeeze(plan);
  int checked = 0;
  auto verbatim = [&](const std::string& zh, const std::string& what) {
    const std::string ellipsis = "……";
    std::string rest = squeeze(zh);
    for (std::size_t cut; !rest.empty(); rest = cut == std::string::npos ? "" : rest.substr(cut + ellipsis.size())) {
      cut = rest.find(ellipsis);
      std::string piece = rest.substr(0, cut);
      if (piece.rfind("（本副本于此处截断）", 0) == 0 || piece.empty()) continue;
      ++checked;
      EXPECT_NE(plan.find(piece), std::string::npos) << what << ": " << piece;
    }
  };
  const auto& rs = Liuzhou();
  for (const auto& l : rs.levels) {
    verbatim(l.decider_text.zh, l.decider_clause);
    for (const auto& t : l.triggers) verbatim(t.text.zh, t.clause);
    for (const auto& m : l.measures) verbatim(m.text.zh, m.clause);
  }
  for (const auto& m : rs.situational_measures) verbatim(m.text.zh, m.clause);
  for (const auto& r : rs.reporting) verbatim(r.text.zh, r.clause);
  for (const auto& w : rs.warnings)
    for (const auto& m : w.measures) verbatim(m.text.zh, m.clause);
  for (const auto& x : rs.safety) verbatim(x.text.zh, x.id);
  for (const auto& x : rs.force_categories) verbatim(x.name.zh, x.id);
  for (const auto& x : rs.request_channels) verbatim(x.text.zh, x.id);
  for (const auto& x : rs.mobilisation_bans) verbatim(x.text.zh, x.clause);
  for (const auto& x : rs.terminations) verbatim(x.text.zh, x.clause);
  for (const auto& x : rs.clauses) verbatim(x.text.zh, x.clause);
  EXPECT_GT(checked, 100);
}

TEST(LiuzhouPlan, NamedInterpretationsTheOthersRelyOn) {
  const auto& rs = Liuzhou();
  for (const char* id :
       {"level-holds-until-termination", "sensitive-either", "uncontrolled-unless-reported",
        "casualties-above-top-band", "iv-injury-band-starts-at-1", "night-hours", "sensitive-periods-calendar",
        "two-items-5-in-6.3.4.2", "superior-role-may-declare", "declaration-timeliness"}) {
    const auto* i = rs.FindInterpretation(id);
    ASSERT_NE(i, nullptr) << id;
    EXPECT_FALSE(i->text.zh.empty());
    EXPECT_FALSE(i->reason.empty());
    EXPECT_GT(i->loc.line, 0);
  }
}

TEST(LiuzhouPlan, DefaultsAndDerivedFacts) {
  const auto& rs = Liuzhou();
  std::map<FactId, double> defaults;
  for (const auto& d : rs.fact_defaults) defaults[d.fact] = d.value;
  EXPECT_EQ(defaults.at(FactId::kSensitiveArea), 0.0);
  EXPECT_EQ(defaults.at(FactId::kControlled), 0.0);
  EXPECT_EQ(defaults.at(FactId::kExtinguished), 0.0);
  ASSERT_GE(rs.derived_facts.size(), 2u);
  EXPECT_EQ(rs.derived_facts[0].fact, FactId::kNight);
  EXPECT_EQ(rs.derived_facts[1].fact, FactId::kPoorVisibility);
  EXPECT_FALSE(rs.sensitive_periods.empty());
}

TEST(LiuzhouPlan, AnnexGroupSixIsMarkedTruncated) {
  int truncated = 0;
  for (const auto& c : Liuzhou().clauses)
    if (c.truncated) {
      ++truncated;
      EXPECT_EQ(c.clause, "附件/六");
    }
  EXPECT_EQ(truncated, 1);
}

TEST(LiuzhouPlan, LoadTextEqualsLoadFile) {
  auto a = LoadRuleText(ReadAll(kLiuzhou), kLiuzhou);
  EXPECT_EQ(a.source_sha256, Liuzhou().source_sha256);
  EXPECT_EQ(a.levels.size(), Liuzhou().levels.size());
}

// ---------------------------------------------------------------------------------------------------------
// Broken files: every one fails with kind kRuleFile, at the exact place, with a message and a hint.

struct BadCase {
  const char* file;
  int line, col;  // 1-based; columns count characters
  const char* message;
  const char* hint;
};

const BadCase kBadCases[] = {
    {"circular-trigger.yaml", 16, 48, "trigger '6.3.1.1(1)': cannot test 'response_level' here",
     "the response level is computed from the triggers themselves"},
    {"bad-date.yaml", 9, 22, "sensitive period '清明': 'from' must be a date MM-DD, got '13-28'", "e.g. \"04-05\""},
    {"bad-operator.yaml", 3, 33, "bounds: unknown operator '=>' for '超过'", "use one of >, >=, <, <=, ="},
    {"bool-fact-with-bound.yaml", 16, 35,
     "trigger '6.3.1.1(1)': fact 'controlled' is true/false; it takes 'is', not a bound word '以上'",
     "write {fact: controlled, is: true}"},
    {"builds-on-cycle.yaml", 12, 16, "level IV: 'builds_on' forms a cycle",
     "measures are inherited downwards only: e.g. II builds on III, I builds on II"},
    {"builds-on-missing.yaml", 22, 16, "level II builds_on level III, which is not defined",
     "define that level or remove 'builds_on'"},
    {"duplicate-clause.yaml", 17, 17, "duplicate id '6.3.1.1(1)' in triggers",
     "each entry of a section needs its own clause id; add a suffix such as '(5b)'"},
    {"duplicate-key.yaml", 16, 9, "key 'zh' given twice in one mapping (first at {file}:14:9)",
     "keep one of them: YAML would silently keep only one value"},
    {"empty-band.yaml", 16, 16,
     "trigger '6.3.1.1(1)': empty band on 'deaths': lower bound 3 is not below upper bound 1",
     "no value can satisfy it; check the bound words (以上/超过 give the lower end, 以下/以内 the upper end)"},
    {"empty.yaml", 1, 1, "rule file is empty", "start from rules/liuzhou-2022.yaml"},
    {"fact-default-type.yaml", 9, 31, "fact default 'controlled': fact is true/false, got '0'",
     "write value: true or value: false"},
    {"lead-and-raise.yaml", 20, 7, "lead rule '3.3': give exactly one of 'lead' (a tier) or 'raise' (tiers up)",
     "remove one of them"},
    {"level-twice.yaml", 17, 12, "level IV is listed twice", "merge the two entries"},
    {"missing-clause.yaml", 13, 9, "level IV trigger: missing required key 'clause'", "add 'clause: ...'"},
    {"missing-section.yaml", 2, 1, "missing required section 'levels'", "see docs/rule-file.md for the sections"},
    {"missing-zh.yaml", 13, 9, "trigger '6.3.1.1(1)': missing required key 'zh'", "add 'zh: ...'"},
    {"not-a-map.yaml", 2, 1, "rule file must be a mapping of sections (meta:, bounds:, levels: ...), got a list",
     "see docs/rule-file.md for the layout"},
    {"not-a-number.yaml", 16, 43, "trigger '6.3.1.1(1)': '超过' must be a number, got 'fifty'",
     "write digits, e.g. 50 or 0.5"},
    {"number-fact-with-is.yaml", 16, 31,
     "trigger '6.3.1.1(1)': fact 'deaths' is a number; 'is' applies to true/false facts only",
     "compare it with a bound word, e.g. {fact: deaths, 以上: N}"},
    {"string-not-list.yaml", 11, 70, "level IV decider: 'roles' must be a list, got a scalar 'chief'",
     "write [chief] for a list of one"},
    {"syntax.yaml", 17, 1, "YAML syntax error: end of sequence flow not found",
     "check indentation, quotes and ':' near this place"},
    {"unknown-bound-word.yaml", 16, 39, "trigger '6.3.1.1(1)': unknown bound word '以内'",
     "bound words come from the 'bounds' section: 以上, 以下, 超过"},
    {"unknown-fact.yaml", 16, 23, "trigger '6.3.1.1(1)': unknown fact 'burned_area'", "did you mean 'burned_area_ha'?"},
    {"unknown-interpretation.yaml", 19, 27, "trigger '6.3.1.1(1)': unknown interpretation id 'sensitive-eiter'",
     "did you mean 'sensitive-either'?"},
    {"unknown-key.yaml", 12, 5, "unknown key 'trigers' in level", "did you mean 'triggers'?"},
    {"unknown-level.yaml", 7, 12, "level: unknown level 'V'", "did you mean 'IV'?"},
    {"unknown-reporter.yaml", 22, 15, "reporting rule '5.2(3)': unknown role or unit id 'office'",
     "define it under 'roles' or 'units'"},
    {"unknown-role.yaml", 11, 71, "level IV decider: unknown role id 'chef'", "did you mean 'chief'?"},
    {"unknown-section.yaml", 6, 1, "unknown key 'levles' in the rule file", "did you mean 'levels'?"},
    {"unknown-unit.yaml", 21, 16, "level IV measure '6.3.1.2(1)': unknown role or unit id 'city_hq_ofice'",
     "define it under 'roles' or 'units'"},
    {"when-and-any.yaml", 18, 11, "trigger '6.3.1.1(1)': give either 'when' or 'any', not both",
     "put the 'when' predicates into one of the 'any' alternatives"},
};

TEST(BrokenRuleFiles, EachFailsAtTheExactPlaceWithMessageAndHint) {
  ASSERT_GE(std::size(kBadCases), 15u);
  for (const auto& c : kBadCases) {
    const std::string path = kData + "bad/" + c.file;
    ASSERT_TRUE(std::ifstream(path).good()) << path;
    try {
      LoadRuleFile(path);
      ADD_FAILURE() << c.file << ": loaded, but must fail";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kRuleFile) << c.file;
      EXPECT_EQ(e.where(), path + ":" + std::to_string(c.line) + ":" + std::to_string(c.col)) << c.file;
      std::string message = c.message;  // "{file}" stands for the fixture's path
      if (auto at = message.find("{file}"); at != std::string::npos) message.replace(at, 6, path);
      EXPECT_EQ(e.message(), message) << c.file;
      EXPECT_EQ(e.hint(), c.hint) << c.file;
      EXPECT_EQ(ExitCode(e.kind()), 3);
    }
  }
}

TEST(BrokenRuleFiles, EveryFixtureOnDiskIsInTheTable) {
  // A fixture without a row would be a test that cannot fail.
  std::set<std::string> listed;
  for (const auto& c : kBadCases) listed.insert(c.file);
  EXPECT_EQ(listed.size(), std::size(kBadCases)) << "a fixture is listed twice";
  for (const auto& entry : std::filesystem::directory_iterator(kData + "bad"))
    if (entry.path().extension() == ".yaml") {
      EXPECT_TRUE(listed.count(entry.path().filename().string())) << entry.path();
    }
}

TEST(BrokenRuleFiles, DirectoryIsARuleFileError) {
  try {
    LoadRuleFile(kData + "bad");
    FAIL() << "loaded a directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kRuleFile);
    EXPECT_EQ(e.message(), "is a directory, not a rule file");
  }
}

TEST(BrokenRuleFiles, MissingFileIsARuleFileError) {
  try {
    LoadRuleFile(kData + "bad/no-such-file.yaml");
    FAIL() << "loaded a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kRuleFile);
    EXPECT_EQ(e.message(), "cannot open rule file");
  }
}

// Each broken fixture differs from a valid file by the one defect: fixing it makes the file load. This shows
// the loader fails for the stated reason, not for something else in the fixture.
TEST(BrokenRuleFiles, RepairedFixturesLoad) {
  struct {
    const char* file;
    const char* bad;
    const char* good;
  } cases[] = {
      {"unknown-key.yaml", "trigers:", "triggers:"},
      {"unknown-fact.yaml", "fact: burned_area,", "fact: burned_area_ha,"},
      {"unknown-role.yaml", "roles: [chef]", "roles: [chief]"},
      {"empty-band.yaml", "以上: 3, 以下: 1", "以上: 1, 以下: 3"},
      {"string-not-list.yaml", "roles: chief}", "roles: [chief]}"},
      {"number-fact-with-is.yaml", "{fact: deaths, is: true}", "{fact: deaths, 以上: 1}"},
      {"bool-fact-with-bound.yaml", "{fact: controlled, 以上: 1}", "{fact: controlled, is: false}"},
      {"unknown-interpretation.yaml", "sensitive-eiter", "sensitive-either"},
      {"bad-operator.yaml", "\"=>\"", "\">\""},
      {"unknown-level.yaml", "level: V\n", "level: IV\n"},
  };
  for (const auto& c : cases) {
    std::string text = ReadAll(kData + "bad/" + c.file);
    auto at = text.find(c.bad);
    ASSERT_NE(at, std::string::npos) << c.file;
    text.replace(at, std::string(c.bad).size(), c.good);
    EXPECT_NO_THROW(LoadRuleText(text, c.file)) << c.file;
  }
}

TEST(BrokenRuleFiles, NeverPartiallyLoads) {
  // A defect at the very end of an otherwise complete plan still fails the whole load.
  std::string text = ReadAll(kLiuzhou) + "\n  - clause: \"附件/七\"\n    title: {zh: 虚构组, en: made up}\n";
  EXPECT_THROW(LoadRuleText(text, "x.yaml"), Error);
}

// ---------------------------------------------------------------------------------------------------------
// The fictional county plan: a new plan is a new file.

TEST(FictionalCounty, ByteOrderMarkAndWindowsLineEndingsAreAccepted) {
  const std::string text = ReadAll(kData + "fictional-county.yaml");
  EXPECT_EQ(LoadRuleText("\xEF\xBB\xBF" + text, "bom.yaml").levels.size(), 4u);
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(LoadRuleText(crlf, "crlf.yaml").levels.size(), 4u);
  // Positions in a CRLF file are the same as in the LF file.
  std::string bad = ReadAll(kData + "bad/unknown-role.yaml"), bad_crlf;
  for (char c : bad) bad_crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  try {
    LoadRuleText(bad_crlf, "crlf-bad.yaml");
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "crlf-bad.yaml:11:71");
  }
}

TEST(FictionalCounty, LoadsWithItsOwnThresholdsWordsAndDeciders) {
  const auto rs = LoadRuleFile(kData + "fictional-county.yaml");
  EXPECT_EQ(rs.meta.id, "qingshan-demo");
  EXPECT_EQ(rs.bounds.count("超过"), 0u);
  ASSERT_EQ(rs.bounds.count("大于"), 1u);
  EXPECT_EQ(rs.bounds.at("大于").op, Cmp::kGt);
  struct {
    Level level;
    const char* clause;
    double ha;
    const char* decider;
  } cases[] = {{Level::kIV, "4.1(1)", 20, "bureau_director"},
               {Level::kIII, "4.3(1)", 40, "deputy_county_head"},
               {Level::kII, "4.4(1)", 200, "county_head"},
               {Level::kI, "4.5(1)", 400, "party_secretary"}};
  for (const auto& c : cases) {
    const auto* l = rs.FindLevel(c.level);
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->deciders, std::vector<std::string>{c.decider});
    const auto* t = FindTrigger(rs, c.clause);
    ASSERT_NE(t, nullptr) << c.clause;
    const auto* p = FindPred(t->when.any[0], FactId::kBurnedAreaHa);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->bounds[0].value, c.ha);
    EXPECT_EQ(p->bounds[0].word, "大于");
  }
  EXPECT_EQ(rs.reporting.size(), 2u);
  EXPECT_EQ(rs.grades.size(), 3u);
  EXPECT_TRUE(rs.safety.empty());
  // Enumerated facts may be written by name: grade 不少于 较大 is grade >= 2.
  ASSERT_EQ(rs.lead_rules.size(), 1u);
  const auto& g = rs.lead_rules[0].when.any[0].all[0];
  EXPECT_EQ(g.fact, FactId::kGrade);
  EXPECT_EQ(g.bounds[0].value, static_cast<double>(engine::Grade::kLarge));
  EXPECT_EQ(rs.lead_rules[0].lead, engine::Tier::kCity);
}

// ---------------------------------------------------------------------------------------------------------
// Robustness: mutated rule files never crash and never escape as anything but Error(kRuleFile) with a place.
// Deterministic; the seed can be overridden with FIREBREAK_SEED to explore further.

TEST(Robustness, MutatedRuleFilesFailCleanly) {
  const std::string base = ReadAll(kData + "fictional-county.yaml");
  ASSERT_FALSE(base.empty());
  unsigned seed = 20221;
  if (const char* env = std::getenv("FIREBREAK_SEED"); env && *env) seed = static_cast<unsigned>(std::stoul(env));
  std::mt19937 rng(seed);
  const std::string junk = ":-[]{}\"' \n\t#&*!|>%@`,?";
  int loaded = 0, failed = 0;
  for (int i = 0; i < 300; ++i) {
    std::string text = base;
    std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
    switch (i % 4) {
      case 0:
        text.resize(pos(rng));
        break;  // truncate
      case 1:
        text[pos(rng)] = junk[rng() % junk.size()];
        break;  // replace one byte
      case 2:
        text.insert(pos(rng), 1, junk[rng() % junk.size()]);
        break;   // insert one byte
      case 3: {  // delete one line
        std::size_t at = text.rfind('\n', pos(rng));
        std::size_t end = text.find('\n', at == std::string::npos ? 0 : at + 1);
        if (at != std::string::npos && end != std::string::npos) text.erase(at, end - at);
        break;
      }
    }
    try {
      LoadRuleText(text, "mutant.yaml");
      ++loaded;
    } catch (const Error& e) {
      ++failed;
      EXPECT_EQ(e.kind(), ErrorKind::kRuleFile) << "seed " << seed << " case " << i;
      EXPECT_EQ(e.where().rfind("mutant.yaml", 0), 0u) << e.ToString();
      EXPECT_FALSE(e.message().empty());
    }
  }
  // Most mutations break something; some (in comments or free text) do not. Both outcomes must occur.
  EXPECT_GT(failed, 100) << "seed " << seed;
  EXPECT_GT(loaded, 0) << "seed " << seed;
}

// ---------------------------------------------------------------------------------------------------------
// Hostile input (issue 13): every variant refused with its exact place (kind kRuleFile, exit 3), quickly.

TEST(RuleFileHostile, EveryVariantRefusedWithItsPlace) {
  const std::string valid = ReadAll(kLiuzhou);
  for (const auto& h : firebreak::testing::HostileVariants(valid, "r.yaml", std::size_t{8} << 20)) {
    SCOPED_TRACE(h.name);
    try {
      LoadRuleText(h.text, "r.yaml");
      ADD_FAILURE() << "loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kRuleFile) << e.ToString();
      EXPECT_EQ(e.where(), h.where) << e.ToString();
      EXPECT_NE(e.message().find(h.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(RuleFileHostile, InvalidUtf8InAFileNeverLoads) {
  // On the original main this loaded (exit 0) and the bad bytes went out in every rendered decision.
  const std::string dir = ::testing::TempDir();
  std::string text = ReadAll(kLiuzhou);
  const std::size_t at = text.find("森林火灾");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "\xFF");
  const std::string path = dir + "/bad-utf8.yaml";
  std::ofstream(path, std::ios::binary) << text;
  try {
    LoadRuleFile(path);
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kRuleFile);
    EXPECT_EQ(e.where().rfind(path + ":", 0), 0u) << e.ToString();
    EXPECT_NE(e.message().find("invalid UTF-8 byte 0xFF"), std::string::npos) << e.ToString();
  }
}

}  // namespace
}  // namespace firebreak::rules
