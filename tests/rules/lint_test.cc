// Lint on crafted rule sets: each finding code on a positive fixture and not on its negative twin; bound
// semantics (plan 9.4) on both sides of each threshold; the Liuzhou-like set's findings listed exactly.
#include "firebreak/rules/lint.h"
#include "firebreak/test_support/run.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "data/lint/fixtures.h"
#include "firebreak/rules/loader.h"

namespace firebreak::rules {
namespace {

using namespace firebreak::rules::testing;  // NOLINT
using F = engine::FactId;

// "code clause1 clause2 ..." per finding, in report order.
std::vector<std::string> Summary(const LintReport& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) {
    std::string s = f.code;
    for (const auto& c : f.clauses) s += " " + c;
    out.push_back(s);
  }
  return out;
}

int CountCode(const LintReport& r, const std::string& code) {
  return static_cast<int>(
      std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.code == code; }));
}

const Finding* FindCode(const LintReport& r, const std::string& code) {
  for (const auto& f : r.findings)
    if (f.code == code) return &f;
  return nullptr;
}

// Two levels, one trigger each, each a single alternative.
engine::RuleSet TwoLevels(std::vector<Predicate> lower, std::vector<Predicate> higher) {
  engine::RuleSet rs;
  rs.source_file = "two.yaml";
  rs.levels = {L(Level::kIV, "6.3.1", {T("low", Level::kIV, {A("", std::move(lower))})}),
               L(Level::kIII, "6.3.2", {T("high", Level::kIII, {A("", std::move(higher))})})};
  return rs;
}

TEST(LintLiuzhouLike, FindingsListedExactly) {
  LintReport r = Lint(LiuzhouLike());
  std::vector<std::string> expected = {
      "subsumed 6.3.1.1(2)[deaths] 6.3.2.1(2)[deaths]",    "subsumed 6.3.1.1(2)[injuries] 6.3.2.1(2)[injuries]",
      "identical 6.3.1.1(3)[other] 6.3.2.1(3)[other]",     "identical 6.3.1.1(4) 6.3.2.1(4)",
      "overlap 6.3.1.1(2)[deaths] 6.3.2.1(2)[deaths]",     "overlap 6.3.1.1(2)[injuries] 6.3.2.1(2)[injuries]",
      "gap 6.3.4.1(2)[deaths] 6.3.4.1(2)[above-top-band]", "gap 6.3.4.1(2)[injuries] 6.3.4.1(2)[above-top-band]",
  };
  EXPECT_EQ(Summary(r), expected);
  EXPECT_EQ(r.Count(Severity::kError), 0);
  EXPECT_EQ(r.Count(Severity::kWarning), 6);
  EXPECT_EQ(r.Count(Severity::kInfo), 2);
  EXPECT_TRUE(r.HasProblems());
  // The gaps are the plan's silence above the top band, closed by the named interpretation.
  for (const auto& f : r.findings)
    if (f.code == "gap") {
      EXPECT_TRUE(f.covered);
      EXPECT_EQ(f.interpretations, std::vector<std::string>{"casualties-above-top-band"});
    }
  const Finding* deaths_gap = &r.findings[6];
  EXPECT_NE(deaths_gap->message.en.find("≥ 20"), std::string::npos) << deaths_gap->message.en;
  EXPECT_NE(r.findings[7].message.zh.find("≥ 50"), std::string::npos) << r.findings[7].message.zh;
  // The overlap names the intersection: exactly one death.
  EXPECT_NE(r.findings[4].message.en.find("both hold for = 1"), std::string::npos) << r.findings[4].message.en;
  // IV(2) carries its own interpretation: echoed as related.
  EXPECT_EQ(r.findings[0].interpretations, std::vector<std::string>{"iv-injury-band-starts-at-1"});
}

TEST(LintLiuzhouLike, WithoutTheInterpretationTheGapsAreWarnings) {
  engine::RuleSet rs = LiuzhouLike();
  auto& top = rs.levels[3].triggers[1].when.any;
  top.erase(std::remove_if(top.begin(), top.end(), [](const Alternative& a) { return a.label == "above-top-band"; }),
            top.end());
  LintReport r = Lint(rs);
  ASSERT_EQ(CountCode(r, "gap"), 2);
  for (const auto& f : r.findings)
    if (f.code == "gap") {
      EXPECT_FALSE(f.covered);
      EXPECT_EQ(f.severity, Severity::kWarning);
    }
}

TEST(LintOverlap, BandsOnBothSidesOfABound) {
  struct Case {
    const char* name;
    std::vector<Bound> lower, higher;
    bool overlap;
  } cases[] = {
      // 9.4: 以下 excludes, 以上 includes: [1,3) and [3,10) meet without overlapping.
      {"以下3 / 以上3", {AtLeast(1), Below(3)}, {AtLeast(3), Below(10)}, false},
      // 以内 includes: [1,3] and [3,10) share 3.
      {"以内3 / 以上3", {AtLeast(1), Within(3)}, {AtLeast(3), Below(10)}, true},
      {"以下4 / 以上3", {AtLeast(1), Below(4)}, {AtLeast(3), Below(10)}, true},
      {"以下3 / 超过2 (integer: 3..)", {AtLeast(1), Below(3)}, {Over(2), Below(10)}, false},
      {"以内3 / 超过2", {AtLeast(1), Within(3)}, {Over(2), Below(10)}, true},
      // An open-upward ladder (>50 / >100) is normal escalation, not an overlap.
      {"ladder", {Over(50)}, {Over(100)}, false},
      // A bounded lower band inside an open higher one is.
      {"band under ladder", {Over(50), Below(200)}, {Over(100)}, true},
  };
  for (const auto& c : cases) {
    LintReport r = Lint(TwoLevels({P(F::kDeaths, c.lower)}, {P(F::kDeaths, c.higher)}));
    EXPECT_EQ(CountCode(r, "overlap"), c.overlap ? 1 : 0) << c.name;
  }
}

TEST(LintOverlap, NeedsTheSameContext) {
  // The same bands under different other predicates are not comparable.
  LintReport r = Lint(TwoLevels({P(F::kDeaths, {AtLeast(1), Below(5)}), Is(F::kSensitiveArea, true)},
                                {P(F::kDeaths, {AtLeast(2), Below(9)}), Is(F::kSensitiveArea, false)}));
  EXPECT_EQ(CountCode(r, "overlap"), 0);
  LintReport same = Lint(TwoLevels({P(F::kDeaths, {AtLeast(1), Below(5)}), Is(F::kSensitiveArea, true)},
                                   {P(F::kDeaths, {AtLeast(2), Below(9)}), Is(F::kSensitiveArea, true)}));
  EXPECT_EQ(CountCode(same, "overlap"), 1);
}

TEST(LintOverlap, RealValuedFactAtTheBound) {
  // Area is real-valued: <=100 and >=100 share exactly 100; <100 and >=100 do not.
  LintReport touch =
      Lint(TwoLevels({P(F::kBurnedAreaHa, {Over(10), Within(100)})}, {P(F::kBurnedAreaHa, {AtLeast(100)})}));
  EXPECT_EQ(CountCode(touch, "overlap"), 1);
  EXPECT_NE(FindCode(touch, "overlap")->message.en.find("= 100"), std::string::npos);
  LintReport apart =
      Lint(TwoLevels({P(F::kBurnedAreaHa, {Over(10), Below(100)})}, {P(F::kBurnedAreaHa, {AtLeast(100)})}));
  EXPECT_EQ(CountCode(apart, "overlap"), 0);
  EXPECT_EQ(CountCode(apart, "gap"), 0);
}

TEST(LintSubsumed, LowerInsideHigher) {
  struct Case {
    const char* name;
    std::vector<Predicate> lower, higher;
    const char* code;  // expected code, or "" for none of subsumed/identical
  } cases[] = {
      {"point in band", {P(F::kDeaths, {Exactly(1)})}, {P(F::kDeaths, {AtLeast(1), Below(3)})}, "subsumed"},
      {"band sticks out", {P(F::kDeaths, {AtLeast(1), Below(5)})}, {P(F::kDeaths, {AtLeast(2), Below(5)})}, ""},
      {"stricter context",
       {P(F::kBurnedAreaHa, {Over(100)}), Is(F::kControlled, false)},
       {P(F::kBurnedAreaHa, {Over(50)})},
       "subsumed"},
      {"looser context",
       {P(F::kBurnedAreaHa, {Over(100)})},
       {P(F::kBurnedAreaHa, {Over(50)}), Is(F::kControlled, false)},
       ""},
      {"normal ladder", {P(F::kBurnedAreaHa, {Over(50)})}, {P(F::kBurnedAreaHa, {Over(100)})}, ""},
      {"same bool", {Is(F::kPublicOpinionVerification, true)}, {Is(F::kPublicOpinionVerification, true)}, "identical"},
      {"same hours, words differ",
       {P(F::kOpenFireHours, {Reach(24)})},
       {P(F::kOpenFireHours, {AtLeast(24)})},
       "identical"},
      {"integer: >0 <2 is =1", {P(F::kDeaths, {Over(0), Below(2)})}, {P(F::kDeaths, {Exactly(1)})}, "identical"},
      {"higher is narrower",
       {Is(F::kPublicOpinionVerification, true)},
       {Is(F::kPublicOpinionVerification, true), Is(F::kDangerous, true)},
       ""},
  };
  for (const auto& c : cases) {
    LintReport r = Lint(TwoLevels(c.lower, c.higher));
    std::string want = c.code;
    EXPECT_EQ(CountCode(r, "subsumed"), want == "subsumed" ? 1 : 0) << c.name;
    EXPECT_EQ(CountCode(r, "identical"), want == "identical" ? 1 : 0) << c.name;
  }
}

TEST(LintSubsumed, OnlyAcrossLevelsUpwards) {
  // A higher level's alternative inside a lower one's is the normal case (escalation), never reported.
  LintReport r = Lint(TwoLevels({P(F::kDeaths, {AtLeast(1), Below(10)})}, {P(F::kDeaths, {Exactly(5)})}));
  EXPECT_EQ(CountCode(r, "subsumed"), 0);
  EXPECT_EQ(CountCode(r, "overlap"), 1);
}

TEST(LintGap, BetweenAndAboveBands) {
  struct Case {
    const char* name;
    std::vector<Bound> lower, higher;
    std::vector<std::string> gaps;  // IntervalText of each gap, in order (English)
  } cases[] = {
      {"adjacent 以下/以上", {AtLeast(1), Below(3)}, {AtLeast(3)}, {}},
      {"hole 3..4", {AtLeast(1), Below(3)}, {AtLeast(5)}, {"3–4 persons"}},
      {"hole and top", {AtLeast(1), Below(3)}, {AtLeast(5), Below(9)}, {"3–4 persons", "≥ 9 persons"}},
      {"top only", {AtLeast(1), Below(3)}, {AtLeast(3), Below(20)}, {"≥ 20 persons"}},
      {"以内 closes it", {AtLeast(1), Within(2)}, {Over(2)}, {}},
  };
  for (const auto& c : cases) {
    LintReport r = Lint(TwoLevels({P(F::kDeaths, c.lower)}, {P(F::kDeaths, c.higher)}));
    std::vector<std::string> got;
    for (const auto& f : r.findings)
      if (f.code == "gap") {
        EXPECT_EQ(f.severity, Severity::kWarning) << c.name;
        EXPECT_FALSE(f.covered);
        auto start = f.message.en.find("deaths ") + 7;
        got.push_back(f.message.en.substr(start, f.message.en.find(':') - start));
      }
    EXPECT_EQ(got, c.gaps) << c.name;
  }
}

TEST(LintGap, RealValuedPointGap) {
  // 超过100 strict above 以下100: exactly 100 ha is covered by neither.
  LintReport r = Lint(TwoLevels({P(F::kBurnedAreaHa, {Over(10), Below(100)})}, {P(F::kBurnedAreaHa, {Over(100)})}));
  ASSERT_EQ(CountCode(r, "gap"), 1);
  EXPECT_NE(FindCode(r, "gap")->message.en.find("burned area = 100 ha"), std::string::npos)
      << FindCode(r, "gap")->message.en;
  LintReport closed =
      Lint(TwoLevels({P(F::kBurnedAreaHa, {Over(10), Below(100)})}, {P(F::kBurnedAreaHa, {AtLeast(100)})}));
  EXPECT_EQ(CountCode(closed, "gap"), 0);
}

TEST(LintGap, ABroaderAlternativeCoversTheHole) {
  // Level III's band has a hole above it under context "sensitive area", but level II covers deaths >= 3
  // in every context: no gap.
  engine::RuleSet rs;
  rs.levels = {L(Level::kIII, "x",
                 {T("a", Level::kIII, {A("", {P(F::kDeaths, {AtLeast(1), Below(3)}), Is(F::kSensitiveArea, true)})})}),
               L(Level::kII, "y", {T("b", Level::kII, {A("", {P(F::kDeaths, {AtLeast(3)})})})})};
  EXPECT_EQ(CountCode(Lint(rs), "gap"), 0);
  rs.levels[1].triggers[0].when.any[0].all.push_back(Is(F::kSensitiveArea, false));
  EXPECT_EQ(CountCode(Lint(rs), "gap"), 1);
}

TEST(LintUnreachable, EmptyBoxes) {
  struct Case {
    const char* name;
    std::vector<Predicate> preds;
    bool unreachable;
  } cases[] = {
      {"lower above upper", {P(F::kDeaths, {AtLeast(5), Below(3)})}, true},
      {"band ok", {P(F::kDeaths, {AtLeast(3), Below(5)})}, false},
      {"integer: >1 <2", {P(F::kDeaths, {Over(1), Below(2)})}, true},
      {"real: >1 <2", {P(F::kBurnedAreaHa, {Over(1), Below(2)})}, false},
      {"以上3 以下3", {P(F::kDeaths, {AtLeast(3), Below(3)})}, true},
      {"以上3 以内3", {P(F::kDeaths, {AtLeast(3), Within(3)})}, false},
      {"true and false", {Is(F::kControlled, false), Is(F::kControlled, true)}, true},
      {"false twice", {Is(F::kControlled, false), Is(F::kControlled, false)}, false},
      {"negative count", {P(F::kDeaths, {Below(0)})}, true},
  };
  for (const auto& c : cases) {
    engine::RuleSet rs;
    rs.levels = {L(Level::kIV, "6.3.1", {T("6.3.1.1(9)", Level::kIV, {A("", c.preds)})})};
    LintReport r = Lint(rs);
    EXPECT_EQ(CountCode(r, "unreachable"), c.unreachable ? 1 : 0) << c.name;
    if (c.unreachable) {
      EXPECT_EQ(FindCode(r, "unreachable")->severity, Severity::kError);
    }
  }
}

TEST(LintUnreachable, NotComparedFurther) {
  // An empty alternative is a subset of everything; it is reported once as unreachable, not as subsumed.
  LintReport r = Lint(TwoLevels({P(F::kDeaths, {AtLeast(5), Below(3)})}, {P(F::kDeaths, {AtLeast(1)})}));
  EXPECT_EQ(Summary(r), std::vector<std::string>{"unreachable low"});
}

TEST(LintUnreachable, InEveryConditionOfTheFile) {
  engine::RuleSet rs = LiuzhouLike();
  engine::ReportingRule rep;
  rep.clause = "5.2(3)";
  rep.when.any = {A("", {P(F::kDeaths, {AtLeast(1)})}), A("odd", {P(F::kKmToCityBoundary, {Within(5), Over(5)})})};
  rs.reporting.push_back(rep);
  engine::LeadRule lead;
  lead.clause = "3.3";
  lead.when.any = {A("", {Is(F::kCrossesBoundary, true), Is(F::kCrossesBoundary, false)})};
  rs.lead_rules.push_back(lead);
  engine::SafetyRule safe;
  safe.id = "四不打(2)";
  safe.when.any = {A("", {P(F::kWindSpeedMs, {AtLeast(8)})})};  // fine
  rs.safety.push_back(safe);
  LintReport r = Lint(rs);
  std::vector<std::string> unreachable;
  for (const auto& f : r.findings)
    if (f.code == "unreachable") unreachable.push_back(f.clauses.at(0));
  EXPECT_EQ(unreachable, (std::vector<std::string>{"3.3", "5.2(3)[odd]"}));
}

TEST(LintStructure, DuplicateClauseIds) {
  engine::RuleSet rs = LiuzhouLike();
  LintReport before = Lint(rs);
  EXPECT_EQ(CountCode(before, "duplicate-id"), 0);
  rs.levels[1].triggers[4].clause = "6.3.1.1(1)";  // III(5) renumbered as IV(1)
  LintReport r = Lint(rs);
  ASSERT_EQ(CountCode(r, "duplicate-id"), 1);
  EXPECT_EQ(FindCode(r, "duplicate-id")->clauses, std::vector<std::string>{"6.3.1.1(1)"});
  rs.interpretations.push_back(I("sensitive-either", "6.3"));
  EXPECT_EQ(CountCode(Lint(rs), "duplicate-id"), 2);
}

TEST(LintStructure, UndefinedReferences) {
  engine::RuleSet rs = LiuzhouLike();
  ASSERT_EQ(CountCode(Lint(rs), "undefined-ref"), 0);
  struct Case {
    const char* name;
    std::function<void(engine::RuleSet&)> edit;
    Severity severity;
    const char* needle;  // in the English message
  } cases[] = {
      {"interpretation id",
       [](engine::RuleSet& x) { x.levels[0].triggers[1].interpretations = {"iv-injury-band-starts-at-one"}; },
       Severity::kError, "did you mean 'iv-injury-band-starts-at-1'"},
      {"decider role", [](engine::RuleSet& x) { x.levels[0].deciders = {"office_directer"}; }, Severity::kError,
       "did you mean 'office_director'"},
      {"builds_on level", [](engine::RuleSet& x) { x.levels.erase(x.levels.begin() + 1); }, Severity::kError,
       "builds on level III"},
      {"clause cited by an interpretation", [](engine::RuleSet& x) { x.interpretations.push_back(I("z", "7.7.7")); },
       Severity::kWarning, "clause 7.7.7"},
      {"grade interpretation", [](engine::RuleSet& x) { x.grades[0].interpretations = {"nope"}; }, Severity::kError,
       "'nope'"},
      {"reporting recipient",
       [](engine::RuleSet& x) {
         engine::ReportingRule r;
         r.clause = "5.2(1)";
         r.recipients = {"commandr"};
         x.reporting.push_back(r);
       },
       Severity::kError, "undefined role or unit 'commandr' (did you mean 'commander'?)"},
  };
  for (const auto& c : cases) {
    engine::RuleSet x = LiuzhouLike();
    c.edit(x);
    LintReport r = Lint(x);
    const Finding* f = FindCode(r, "undefined-ref");
    ASSERT_NE(f, nullptr) << c.name;
    EXPECT_EQ(f->severity, c.severity) << c.name;
    EXPECT_NE(f->message.en.find(c.needle), std::string::npos) << c.name << ": " << f->message.en;
  }
  // A clause cited as a section above encoded clauses ("6.3") or a part of a composite id ("1.5") is known.
  engine::RuleSet ok = LiuzhouLike();
  ok.interpretations.push_back(I("s", "6.3.2"));
  ok.interpretations.push_back(I("t", "1.5/art40"));
  EXPECT_EQ(CountCode(Lint(ok), "undefined-ref"), 0);
}

TEST(LintStructure, BuildsOnCycle) {
  engine::RuleSet rs = LiuzhouLike();
  EXPECT_EQ(CountCode(Lint(rs), "cycle"), 0);
  rs.levels[1].builds_on = Level::kI;  // III on I, II on III, I on II
  LintReport r = Lint(rs);
  ASSERT_EQ(CountCode(r, "cycle"), 1);
  EXPECT_EQ(FindCode(r, "cycle")->clauses.size(), 3u);
  EXPECT_EQ(FindCode(r, "cycle")->severity, Severity::kError);
  engine::RuleSet self = LiuzhouLike();
  self.levels[0].builds_on = Level::kIV;
  EXPECT_EQ(CountCode(Lint(self), "cycle"), 1);
}

TEST(LintStructure, WarningColourCycle) {
  engine::RuleSet rs;
  engine::WarningResponse a, b;
  a.colour = engine::Colour::kOrange;
  a.builds_on = engine::Colour::kRed;
  b.colour = engine::Colour::kRed;
  b.builds_on = engine::Colour::kOrange;
  rs.warnings = {a, b};
  EXPECT_EQ(CountCode(Lint(rs), "cycle"), 1);
  rs.warnings[1].builds_on = engine::Colour::kBlue;  // blue undefined
  LintReport r = Lint(rs);
  EXPECT_EQ(CountCode(r, "cycle"), 0);
  EXPECT_EQ(CountCode(r, "undefined-ref"), 1);
}

TEST(LintGrades, ArticleFortyIsClean) {
  engine::RuleSet rs = LiuzhouLike();
  rs.levels.clear();
  rs.interpretations = {I("any-fire-is-general", "1.5")};
  EXPECT_TRUE(Lint(rs).findings.empty()) << Summary(Lint(rs)).size();
}

TEST(LintGrades, GapAndOverlapInGrades) {
  engine::RuleSet rs = LiuzhouLike();
  rs.levels.clear();
  rs.interpretations = {I("any-fire-is-general", "1.5")};
  // 较大 deaths 3..<10 -> 4..<10 opens a gap at 3; 重大 injuries 50..<100 -> 40..<100 overlaps 较大 [10,50).
  rs.grades[1].when.any[1].all[0].bounds = {AtLeast(4), Below(10)};
  rs.grades[2].when.any[2].all[0].bounds = {AtLeast(40), Below(100)};
  LintReport r = Lint(rs);
  EXPECT_EQ(Summary(r), (std::vector<std::string>{"overlap 1.5/art40(较大)[injuries] 1.5/art40(重大)[injuries]",
                                                  "gap 1.5/art40(一般)[deaths]"}));
  EXPECT_NE(r.findings[1].message.en.find("deaths = 3"), std::string::npos) << r.findings[1].message.en;
  EXPECT_NE(r.findings[1].message.en.find("grade"), std::string::npos);
}

TEST(LintReportTest, SeveritiesDecideProblems) {
  LintReport r;
  EXPECT_FALSE(r.HasProblems());
  r.findings.push_back(Finding{Severity::kInfo, "gap", {}, {}, {}, {}, true});
  EXPECT_FALSE(r.HasProblems());
  r.findings.push_back(Finding{Severity::kWarning, "overlap", {}, {}, {}, {}, false});
  EXPECT_TRUE(r.HasProblems());
}

TEST(LintRender, TextAndJson) {
  LintReport r = Lint(LiuzhouLike());
  std::string zh = RenderLintText(r, "zh");
  std::string en = RenderLintText(r, "en");
  EXPECT_NE(zh.find("警告 [identical] 6.3.1.1(4) ≡ 6.3.2.1(4)"), std::string::npos) << zh;
  EXPECT_NE(zh.find("0 个错误，6 个警告，2 条提示"), std::string::npos);
  EXPECT_NE(zh.find("已由解释覆盖：casualties-above-top-band"), std::string::npos);
  EXPECT_NE(en.find("warning [subsumed] 6.3.1.1(2)[deaths] / 6.3.2.1(2)[deaths]"), std::string::npos) << en;
  EXPECT_NE(en.find("can never decide the level"), std::string::npos);
  EXPECT_NE(en.find("0 error(s), 6 warning(s), 2 info"), std::string::npos);
  EXPECT_NE(en.find("fixture.yaml:1:1: warning [identical]"), std::string::npos);
  auto j = nlohmann::json::parse(RenderLintJson(r, "en"));
  EXPECT_EQ(j["summary"]["warning"], 6);
  ASSERT_EQ(j["findings"].size(), 8u);
  EXPECT_EQ(j["findings"][2]["code"], "identical");
  EXPECT_EQ(j["findings"][2]["clauses"][1], "6.3.2.1(3)[other]");
  EXPECT_EQ(j["findings"][6]["covered"], true);
  EXPECT_EQ(j["findings"][6]["message"], j["findings"][6]["en"]);
  EXPECT_NE(j["findings"][6]["zh"].get<std::string>().find("解释"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------------
// Rule files: crafted YAML fixtures (tests/rules/data/lint/), the fictional county plan, the Liuzhou plan.

std::string Data(const std::string& rel) { return std::string(FIREBREAK_SOURCE_DIR) + "/tests/rules/data/" + rel; }

TEST(LintFiles, CraftedFixturesHaveExactlyTheirFindings) {
  struct Case {
    const char* file;
    std::vector<std::string> findings;
  } cases[] = {
      {"lint/clean.yaml", {}},
      {"lint/overlap.yaml", {"overlap 4.1.1(2) 4.2.1(2)"}},
      {"lint/subsumed.yaml", {"subsumed 4.1.1(1) 4.2.1(1)"}},
      {"lint/identical.yaml", {"identical 4.1.1(4) 4.2.1(4)"}},
      {"lint/gap.yaml", {"gap 4.1.1(2)[deaths]", "gap 4.2.1(2)[injuries] 4.2.1(2)[injuries-above-band]"}},
      {"lint/unreachable.yaml", {"unreachable 4.1.1(2)"}},
      {"lint/undefined-clause.yaml", {"undefined-ref 9.9(1)"}},
  };
  for (const auto& c : cases) {
    LintReport r = Lint(LoadRuleFile(Data(c.file)));
    EXPECT_EQ(Summary(r), c.findings) << c.file;
    // Every finding points into the file.
    for (const auto& f : r.findings) {
      EXPECT_EQ(f.loc.file, Data(c.file)) << c.file;
      EXPECT_GT(f.loc.line, 0) << c.file;
    }
  }
  LintReport gap = Lint(LoadRuleFile(Data("lint/gap.yaml")));
  ASSERT_EQ(gap.findings.size(), 2u);
  EXPECT_EQ(gap.findings[0].severity, Severity::kWarning);
  EXPECT_NE(gap.findings[0].message.en.find("deaths 3–4 persons"), std::string::npos) << gap.findings[0].message.en;
  EXPECT_EQ(gap.findings[1].severity, Severity::kInfo);
  EXPECT_TRUE(gap.findings[1].covered);
  EXPECT_EQ(gap.findings[1].interpretations, std::vector<std::string>{"injuries-above-band"});
  LintReport ov = Lint(LoadRuleFile(Data("lint/overlap.yaml")));
  EXPECT_EQ(ov.findings.at(0).loc.line, 18);
  EXPECT_EQ(ov.findings.at(0).loc.col, 16);
}

TEST(LintFiles, FictionalCountyHasItsOwnFindings) {
  LintReport r = Lint(LoadRuleFile(Data("fictional-county.yaml")));
  // Its own thresholds: IV injuries [1,5) overlap III [3,10); no level for exactly 3 deaths (III stops below 3,
  // II starts at 4). None of Liuzhou's identical/subsumed pairs.
  EXPECT_EQ(Summary(r), (std::vector<std::string>{"overlap 4.1(2) 4.3(2)[injuries]", "gap 4.3(2)[deaths]"}));
  EXPECT_NE(r.findings.at(1).message.en.find("deaths = 3 persons"), std::string::npos);
  EXPECT_FALSE(r.findings.at(1).covered);
}

TEST(LintFiles, LiuzhouPlanFindingsListedExactly) {
  LintReport r = Lint(LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml"));
  std::vector<std::string> expected = {
      // IV(2) "1人死亡" / "3人以下重伤" lie inside III(2) "1人以上3人以下死亡" / "1人以上10人以下重伤".
      "subsumed 6.3.1.1(2)[death] 6.3.2.1(2)[deaths]",
      "subsumed 6.3.1.1(2)[injuries] 6.3.2.1(2)[injuries]",
      // IV(3) and III(3) both say 24 h in other periods/areas; IV(4) and III(4) are the same words.
      "identical 6.3.1.1(3)[other] 6.3.2.1(3)[other]",
      "identical 6.3.1.1(4) 6.3.2.1(4)",
      "overlap 6.3.1.1(2)[death] 6.3.2.1(2)[deaths]",
      "overlap 6.3.1.1(2)[injuries] 6.3.2.1(2)[injuries]",
      // Above I(2)'s top band the plan is silent; closed by casualties-above-top-band.
      "gap 6.3.4.1(2)[deaths] 6.3.4.1(2)[above-top-band-deaths]",
      "gap 6.3.4.1(2)[injuries] 6.3.4.1(2)[above-top-band-injuries]",
  };
  EXPECT_EQ(Summary(r), expected);
  for (const auto& f : r.findings)
    if (f.code == "gap") {
      EXPECT_TRUE(f.covered);
      EXPECT_EQ(f.severity, Severity::kInfo);
      EXPECT_EQ(f.interpretations, std::vector<std::string>{"casualties-above-top-band"});
    }
  EXPECT_EQ(r.Count(Severity::kError), 0);
  EXPECT_EQ(r.Count(Severity::kWarning), 6);
}

// ---------------------------------------------------------------------------------------------------------
// The command: output and exit codes (0 clean, 1 findings, 3 file does not load).

using CmdResult = test_support::RunResult;

CmdResult Firebreak(const std::string& args) {
  return test_support::Run(args, {.stderr_mode = test_support::Stderr::kDiscard});
}

TEST(LintCommand, ExitCodes) {
  EXPECT_EQ(Firebreak("rules lint " + Data("lint/clean.yaml")).code, 0);
  EXPECT_EQ(Firebreak("rules lint " + Data("lint/overlap.yaml")).code, 1);
  EXPECT_EQ(Firebreak("rules lint " + Data("lint/unreachable.yaml")).code, 1);
  EXPECT_EQ(Firebreak("rules lint " + Data("lint/not-loadable.yaml")).code, 3);
  EXPECT_EQ(Firebreak("rules lint " + Data("lint/no-such-file.yaml")).code, 3);
  EXPECT_EQ(Firebreak("rules lint --format yaml " + Data("lint/clean.yaml")).code, 2);
  // FILE overrides --rules.
  EXPECT_EQ(Firebreak("--rules " + Data("lint/overlap.yaml") + " rules lint " + Data("lint/clean.yaml")).code, 0);
  EXPECT_EQ(Firebreak("--rules " + Data("lint/overlap.yaml") + " rules lint").code, 1);
}

TEST(LintCommand, TextAndJsonOutput) {
  CmdResult zh = Firebreak("rules lint " + Data("lint/identical.yaml"));
  EXPECT_NE(zh.out.find("identical.yaml:18:16: 警告 [identical] 4.1.1(4) ≡ 4.2.1(4)"), std::string::npos) << zh.out;
  CmdResult en = Firebreak("--lang en rules lint " + Data("lint/identical.yaml"));
  EXPECT_NE(en.out.find("warning [identical]"), std::string::npos) << en.out;
  CmdResult js = Firebreak("rules lint --format json " + Data("lint/gap.yaml"));
  EXPECT_EQ(js.code, 1);
  auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["summary"]["warning"], 1);
  EXPECT_EQ(j["summary"]["info"], 1);
  EXPECT_EQ(j["findings"][1]["interpretations"][0], "injuries-above-band");
  // The bundled plan (no FILE, no --rules) lints with findings.
  CmdResult plan = Firebreak("rules lint");
  EXPECT_EQ(plan.code, 1);
  EXPECT_NE(plan.out.find("0 个错误，6 个警告，2 条提示"), std::string::npos) << plan.out;
}

}  // namespace
}  // namespace firebreak::rules
