// Engine semantics on a small plan built in C++ (mini_rules.h): Kleene evaluation, fact merge order,
// builds_on, lead raise, warnings, next level and clock due times, notes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>

#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "mini_rules.h"

namespace firebreak::engine {
namespace {

using namespace firebreak::format;

Timestamp T(const char* s) { return *ParseIso8601(s); }

Incident Base() {
  Incident in;
  in.incident_id = "X-1";
  in.reported_at = T("2026-05-10T10:00:00+08:00");  // not in the mini calendar
  return in;
}

bool Fired(const Decision& d, const std::string& clause) {
  for (const auto& t : d.triggers)
    if (t.clause == clause) return true;
  return false;
}

class MiniEngine : public ::testing::Test {
 protected:
  RuleSet rules = testing::MiniRules();
  Engine eng{rules};
};

TEST_F(MiniEngine, AreaThresholdIsStrictAndNeedsUncontrolled) {
  struct {
    double area;
    std::optional<bool> controlled;
    std::optional<Level> want;
  } cases[] = {
      {40, false, std::nullopt}, {40.01, false, Level::kIV},       {80, false, Level::kIV}, {80.5, false, Level::kIII},
      {500, true, std::nullopt}, {500, std::nullopt, Level::kIII},  // default: uncontrolled
  };
  for (const auto& c : cases) {
    Incident in = Base();
    in.burned_area_ha = c.area;
    in.controlled = c.controlled;
    Decision d = eng.Assess(in);
    EXPECT_EQ(d.response_level, c.want) << "area " << c.area;
  }
}

// The threshold itself and the next double on each side (the compiled interval form of a strict bound).
TEST_F(MiniEngine, StrictThresholdAtTheNextDouble) {
  const double inf = std::numeric_limits<double>::infinity();
  struct {
    double area;
    std::optional<Level> want;
  } cases[] = {
      {std::nextafter(40.0, -inf), std::nullopt}, {40.0, std::nullopt}, {std::nextafter(40.0, inf), Level::kIV},
      {std::nextafter(80.0, -inf), Level::kIV},   {80.0, Level::kIV},   {std::nextafter(80.0, inf), Level::kIII}};
  for (const auto& c : cases) {
    Incident in = Base();
    in.burned_area_ha = c.area;
    in.controlled = false;
    EXPECT_EQ(eng.Assess(in).response_level, c.want) << std::setprecision(17) << "area " << c.area;
  }
}

// Engine::Detail::kSteps is the full Decision with the lists a timeline step does not read left empty.
TEST_F(MiniEngine, StepsDetailIsTheFullDecisionCut) {
  std::vector<Incident> cases;
  for (double area : {10.0, 60.0, 500.0}) {
    Incident in = Base();
    in.burned_area_ha = area;
    in.open_fire_since = T("2026-05-10T08:00:00+08:00");
    in.sensitive_period = area > 100;
    cases.push_back(in);
    in.controlled = true;
    cases.push_back(in);
  }
  Decision steps;
  for (const Incident& in : cases) {
    for (const char* at : {"2026-05-10T10:00:00+08:00", "2026-05-10T19:00:00+08:00"}) {
      const Decision full = eng.Assess(in, T(at), {});
      eng.AssessInto(in, T(at), {}, steps, Engine::Detail::kSteps);
      const std::string label = std::to_string(*in.burned_area_ha) + " at " + at;
      EXPECT_EQ(steps.response_level, full.response_level) << label;
      ASSERT_EQ(steps.triggers.size(), full.triggers.size()) << label;
      for (std::size_t i = 0; i < full.triggers.size(); ++i) {
        EXPECT_EQ(steps.triggers[i].clause, full.triggers[i].clause) << label;
        EXPECT_EQ(steps.triggers[i].level, full.triggers[i].level) << label;
      }
      EXPECT_TRUE(std::ranges::equal(steps.decided_by, full.decided_by)) << label;
      EXPECT_EQ(steps.grade.grade, full.grade.grade) << label;
      EXPECT_EQ(steps.lead.tier, full.lead.tier) << label;
      ASSERT_EQ(steps.reporting.size(), full.reporting.size()) << label;
      for (std::size_t i = 0; i < full.reporting.size(); ++i)
        EXPECT_EQ(steps.reporting[i].rule.clause, full.reporting[i].rule.clause) << label;
      EXPECT_EQ(steps.response_terminated, full.response_terminated) << label;
      ASSERT_EQ(steps.facts.size(), full.facts.size()) << label;
      for (std::size_t i = 0; i < full.facts.size(); ++i) {
        EXPECT_EQ(steps.facts[i].fact, full.facts[i].fact) << label;
        EXPECT_EQ(steps.facts[i].value, full.facts[i].value) << label;
      }
      EXPECT_EQ(steps.next.level, full.next.level) << label;
      ASSERT_EQ(steps.next.due.size(), full.next.due.size()) << label;
      for (std::size_t i = 0; i < full.next.due.size(); ++i) {
        EXPECT_EQ(steps.next.due[i].clause, full.next.due[i].clause) << label;
        EXPECT_EQ(steps.next.due[i].at, full.next.due[i].at) << label;
      }
      EXPECT_EQ(steps.next.change, full.next.change) << label;
      EXPECT_TRUE(steps.measures.empty() && steps.safety.empty() && steps.notes.empty() && steps.next.closest.empty() &&
                  steps.grade.criteria.empty() && steps.lead.reasons.empty())
          << label;
    }
  }
}

TEST_F(MiniEngine, DefaultsAreRecordedAndNoted) {
  Incident in = Base();
  in.burned_area_ha = 90;
  Decision d = eng.Assess(in);
  ASSERT_EQ(d.response_level, Level::kIII);
  EXPECT_NE(std::find(d.defaulted.begin(), d.defaulted.end(), "controlled"), d.defaulted.end());
  bool noted = false;
  for (const auto& n : d.notes) noted |= n.id == "uncontrolled-unless-reported";
  EXPECT_TRUE(noted);
  for (const auto& f : d.facts)
    if (f.fact == FactId::kControlled) {
      EXPECT_EQ(f.origin, FactOrigin::kDefault);
    }
}

TEST_F(MiniEngine, UnknownFactsDoNotHoldAndAreListed) {
  Incident in = Base();
  Decision d = eng.Assess(in);
  EXPECT_FALSE(d.response_level);
  EXPECT_NE(std::find(d.unknown.begin(), d.unknown.end(), "burned_area_ha"), d.unknown.end());
  EXPECT_NE(std::find(d.unknown.begin(), d.unknown.end(), "deaths"), d.unknown.end());
  EXPECT_FALSE(d.grade.grade);  // no damaged area: no criterion can be evaluated
}

TEST_F(MiniEngine, MergeOrderReportOverExtraOverGis) {
  Incident in = Base();
  in.burned_area_ha = 10;
  in.extra.Set(FactId::kBurnedAreaHa, 100);
  in.derived.Set(FactId::kBurnedAreaHa, 200);
  in.extra.SetBool(FactId::kThreatensResidential, true);
  in.derived.SetBool(FactId::kThreatensResidential, false);
  in.derived.SetBool(FactId::kTerrainCliff, true);
  in.derived_from = {{FactId::kTerrainCliff, "dem:test.tif"}};
  FactSet f = eng.Facts(in, in.reported_at, {});
  EXPECT_EQ(f.Get(FactId::kBurnedAreaHa), 10.0);
  EXPECT_EQ(f.Get(FactId::kThreatensResidential), 1.0);
  Decision d = eng.Assess(in);
  ASSERT_EQ(d.gis_sources.size(), 1u);
  EXPECT_EQ(d.gis_sources[0].first, "terrain_cliff");
  EXPECT_EQ(d.gis_sources[0].second, "dem:test.tif");
  // situational measure due via the report's "facts"
  bool evac = false;
  for (const auto& m : d.measures) evac |= m.clause == "S-evacuate" && !m.from_level;
  EXPECT_TRUE(evac);
}

TEST_F(MiniEngine, FactsIncludeGradeAndLevel) {
  Incident in = Base();
  in.burned_area_ha = 90;
  in.damaged_forest_area_ha = 5;
  FactSet f = eng.Facts(in, in.reported_at, {});
  EXPECT_EQ(f.Get(FactId::kGrade), static_cast<double>(Grade::kLarge));
  EXPECT_EQ(f.Get(FactId::kResponseLevel), static_cast<double>(Level::kIII));
  Incident none = Base();
  EXPECT_EQ(eng.Facts(none, none.reported_at, {}).Get(FactId::kResponseLevel), 0.0);
}

TEST_F(MiniEngine, NonFiniteGisValuesRenderSafely) {
  Incident in = Base();
  in.derived.Set(FactId::kSlopeDeg, std::numeric_limits<double>::quiet_NaN());
  in.derived.Set(FactId::kWarningColour, 1e300);
  Decision d = eng.Assess(in);
  std::string json = DecisionToJson(d, rules, JsonDetail::kFull);
  EXPECT_NE(json.find("\"slope_deg\": {\n      \"value\": null"), std::string::npos) << json;
  EXPECT_FALSE(DecisionToText(d, rules, "zh").empty());
  EXPECT_TRUE(d.warning_response.empty());  // not a colour
}

TEST_F(MiniEngine, ThreatListMakesUnlistedThreatsFalse) {
  Incident in = Base();
  in.threatens_reported = true;
  FactSet f = eng.Facts(in, in.reported_at, {});
  EXPECT_EQ(f.Get(FactId::kThreatensResidential), 0.0);
  Incident none = Base();
  EXPECT_FALSE(eng.Facts(none, none.reported_at, {}).Has(FactId::kThreatensResidential));
}

TEST_F(MiniEngine, CalendarAndDerivedNight) {
  struct {
    const char* at;
    bool sensitive;
    bool night;
  } cases[] = {
      {"2026-04-01T00:00:00+08:00", true, true},
      {"2026-04-07T23:59:00+08:00", true, true},
      {"2026-04-08T12:00:00+08:00", false, false},
      {"2026-03-31T18:59:00+08:00", false, false},
      {"2026-12-31T19:00:00+08:00", true, true},
      {"2027-01-02T05:59:00+08:00", true, true},
      {"2027-01-03T06:00:00+08:00", false, false},
      {"2026-03-31T23:30:00+00:00", false, true},  // local = the offset the time was written in
  };
  for (const auto& c : cases) {
    Incident in = Base();
    in.reported_at = T(c.at);
    FactSet f = eng.Facts(in, in.reported_at, {});
    EXPECT_EQ(f.Get(FactId::kSensitivePeriod), c.sensitive ? 1.0 : 0.0) << c.at;
    EXPECT_EQ(f.Get(FactId::kNight), c.night ? 1.0 : 0.0) << c.at;
  }
}

TEST_F(MiniEngine, ReportedSensitivePeriodBeatsCalendar) {
  Incident in = Base();
  in.reported_at = T("2026-04-03T10:00:00+08:00");
  in.sensitive_period = false;
  EXPECT_EQ(eng.Facts(in, in.reported_at, {}).Get(FactId::kSensitivePeriod), 0.0);
}

TEST_F(MiniEngine, HoursAlternativesAndDueTimes) {
  Incident in = Base();
  in.open_fire_since = T("2026-05-10T08:00:00+08:00");
  in.sensitive_period = true;
  // 2 h: nothing yet; IV due at 5 h (达到: exactly), III due strictly after 10 h.
  Decision d = eng.Assess(in);
  EXPECT_FALSE(d.response_level);
  ASSERT_EQ(d.next.due.size(), 2u);
  EXPECT_EQ(d.next.due[0].level, Level::kIV);
  EXPECT_EQ(FormatIso8601(d.next.due[0].at), "2026-05-10T13:00:00+08:00");
  EXPECT_FALSE(d.next.due[0].strict);
  EXPECT_EQ(d.next.due[1].level, Level::kIII);
  EXPECT_EQ(FormatIso8601(d.next.due[1].at), "2026-05-10T18:00:01+08:00");
  EXPECT_TRUE(d.next.due[1].strict);
  // Exactly at the due times.
  struct {
    const char* at;
    std::optional<Level> want;
  } cases[] = {{"2026-05-10T12:59:59+08:00", std::nullopt},
               {"2026-05-10T13:00:00+08:00", Level::kIV},
               {"2026-05-10T18:00:00+08:00", Level::kIV},
               {"2026-05-10T18:00:01+08:00", Level::kIII}};
  for (const auto& c : cases) EXPECT_EQ(eng.Assess(in, T(c.at), {}).response_level, c.want) << c.at;
  // Controlled: no due times at all.
  in.controlled = true;
  EXPECT_TRUE(eng.Assess(in).next.due.empty());
  EXPECT_FALSE(eng.Assess(in, T("2026-05-11T08:00:00+08:00"), {}).response_level);
}

TEST_F(MiniEngine, OtherAlternativeLabelled) {
  Incident in = Base();
  in.open_fire_since = T("2026-05-10T00:00:00+08:00");
  in.sensitive_period = false;
  Decision d = eng.Assess(in);  // 10 h, other branch: 达到 10
  ASSERT_EQ(d.response_level, Level::kIV);
  ASSERT_FALSE(d.triggers.empty());
  EXPECT_EQ(d.triggers[0].alternative, "other");
}

TEST_F(MiniEngine, BuildsOnAndDecider) {
  Incident in = Base();
  in.burned_area_ha = 100;
  Decision d = eng.Assess(in);
  ASSERT_EQ(d.response_level, Level::kIII);
  EXPECT_EQ(std::vector<std::string_view>(d.decided_by.begin(), d.decided_by.end()),
            std::vector<std::string_view>{"deputy_commander"});
  ASSERT_GE(d.measures.size(), 2u);
  EXPECT_EQ(d.measures[0].clause, "M-III(1)");
  EXPECT_EQ(d.measures[0].from_level, Level::kIII);
  EXPECT_EQ(d.measures[1].clause, "M-IV(1)");
  EXPECT_EQ(d.measures[1].from_level, Level::kIV);
  // triggers of both levels, highest first
  ASSERT_EQ(d.triggers.size(), 2u);
  EXPECT_EQ(d.triggers[0].level, Level::kIII);
  EXPECT_EQ(d.triggers[1].level, Level::kIV);
}

TEST_F(MiniEngine, ConcurrencyAcrossIncidents) {
  std::vector<Incident> ins(3, Base());
  ins[0].incident_id = "A";
  ins[1].incident_id = "B";
  ins[2].incident_id = "C";
  ins[0].dangerous = true;
  ins[1].dangerous = true;
  auto ds = eng.AssessAll(ins);
  ASSERT_EQ(ds.size(), 3u);
  for (const auto& d : ds) {
    EXPECT_EQ(d.response_level, Level::kIII) << d.incident_id;
    EXPECT_TRUE(Fired(d, "T-III(2)"));
    EXPECT_EQ(d.lead.tier, Tier::kCity);  // 3 fires: raised one tier from the county default
  }
  // One of the dangerous fires extinguished: one dangerous fire burning, two fires.
  ins[1].controlled = true;
  ins[1].extinguished = true;
  ds = eng.AssessAll(ins);
  EXPECT_FALSE(ds[0].response_level);
  EXPECT_EQ(ds[0].lead.tier, Tier::kCounty);
}

TEST_F(MiniEngine, GradeAndLead) {
  struct {
    double damaged;
    Grade want;
    Tier lead;
  } cases[] = {{0, Grade::kGeneral, Tier::kCounty},
               {0.99, Grade::kGeneral, Tier::kCounty},
               {1, Grade::kLarge, Tier::kCity},
               {99.9, Grade::kLarge, Tier::kCity},
               {100, Grade::kMajor, Tier::kCity}};
  for (const auto& c : cases) {
    Incident in = Base();
    in.damaged_forest_area_ha = c.damaged;
    Decision d = eng.Assess(in);
    EXPECT_EQ(d.grade.grade, c.want) << c.damaged;
    EXPECT_EQ(d.lead.tier, c.lead) << c.damaged;
    ASSERT_FALSE(d.grade.criteria.empty());
    if (c.want != Grade::kGeneral) {
      for (const auto& f : d.grade.criteria) EXPECT_NE(f.clause, "G-general") << "only criteria of the final grade";
    } else {
      EXPECT_EQ(d.grade.criteria[0].clause, "G-general");
    }
  }
}

TEST_F(MiniEngine, WarningBuildsOnAndSafety) {
  Incident in = Base();
  in.warning_colour = Colour::kOrange;
  in.reported_at = T("2026-05-10T22:00:00+08:00");
  Decision d = eng.Assess(in);
  ASSERT_EQ(d.warning_response.size(), 2u);
  EXPECT_EQ(d.warning_response[0].clause, "W-orange(1)");
  EXPECT_EQ(d.warning_response[1].clause, "W-blue(1)");
  ASSERT_EQ(d.safety.size(), 2u);
  EXPECT_EQ(d.safety[0].id, "S-night");
  EXPECT_EQ(d.safety[1].id, "S-standing");
  bool night_note = false;
  for (const auto& n : d.notes) night_note |= n.id == "night-hours";
  EXPECT_TRUE(night_note);
  in.reported_at = T("2026-05-10T12:00:00+08:00");
  EXPECT_EQ(eng.Assess(in).safety.size(), 1u);
}

TEST_F(MiniEngine, NextLevelGaps) {
  Incident in = Base();
  in.burned_area_ha = 50;
  in.controlled = false;
  Decision d = eng.Assess(in);
  ASSERT_EQ(d.response_level, Level::kIV);
  ASSERT_EQ(d.next.level, Level::kIII);
  bool area = false;
  for (const auto& p : d.next.closest)
    if (p.fact == FactId::kBurnedAreaHa) {
      area = true;
      EXPECT_EQ(p.clause, "T-III(1)");
      EXPECT_DOUBLE_EQ(p.gap, 30);
      EXPECT_EQ(p.word, "超过");
    }
  EXPECT_TRUE(area);
  // Controlled: the area alternative is blocked, so no area gap is offered.
  in.controlled = true;
  d = eng.Assess(in);
  for (const auto& p : d.next.closest) EXPECT_NE(p.fact, FactId::kBurnedAreaHa);
}

TEST_F(MiniEngine, AssessIntoReusesAndMatchesAssess) {
  Incident a = Base();
  a.burned_area_ha = 100;
  a.warning_colour = Colour::kOrange;
  Incident b = Base();
  b.burned_area_ha = 1;
  Decision reuse;
  eng.AssessInto(a, a.reported_at, {}, reuse);
  eng.AssessInto(b, b.reported_at, {}, reuse);
  Decision fresh = eng.Assess(b, b.reported_at, {});
  EXPECT_EQ(reuse.response_level, fresh.response_level);
  EXPECT_EQ(reuse.measures.size(), fresh.measures.size());
  EXPECT_EQ(reuse.triggers.size(), fresh.triggers.size());
  EXPECT_EQ(reuse.warning_response.size(), fresh.warning_response.size());
  EXPECT_EQ(reuse.notes.size(), fresh.notes.size());
  Verdict v = eng.Evaluate(a, a.reported_at, {});
  EXPECT_EQ(v.level, Level::kIII);
  EXPECT_EQ(v.triggers_held, 2);
}

}  // namespace
}  // namespace firebreak::engine
