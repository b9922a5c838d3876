// The scenario format: relative times, report conversion, and errors with file:line:col and "did you mean".
#include "firebreak/timeline/scenario.h"

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::timeline {
namespace {

using namespace engine;

const RuleSet& Rules() {
  static const RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

struct TimeCase {
  const char* text;
  std::int64_t seconds;  // after start; -1 = error
};
const TimeCase kTimes[] = {
    {"+0", 0},
    {"+6h", 6 * 3600},
    {"+6h30m", 6 * 3600 + 1800},
    {"+90m", 5400},
    {"+1d2h", 26 * 3600},
    {"+45s", 45},
    {"+1h0m1s", 3601},
    {"2026-04-04T14:00:00+08:00", 6 * 3600},
    {"2026-04-04T06:00:00Z", 6 * 3600},
    {"+6x", -1},
    {"+h", -1},
    {"+6", -1},
    {"6h", -1},
    {"2026-04-04T14:00:00", -1},  // no offset: ambiguous
};

TEST(Scenario, Times) {
  Timestamp start = *ParseIso8601("2026-04-04T08:00:00+08:00");
  for (const auto& c : kTimes) {
    SCOPED_TRACE(c.text);
    std::string why;
    auto t = ParseScenarioTime(c.text, start, &why);
    if (c.seconds < 0) {
      EXPECT_FALSE(t.has_value());
      EXPECT_FALSE(why.empty());
    } else {
      ASSERT_TRUE(t.has_value()) << why;
      EXPECT_EQ(t->epoch_s - start.epoch_s, c.seconds);
    }
  }
}

const char* kGood = R"Y(scenario: t
title: {zh: 测试, en: test}
start: 2026-04-04T08:00:00+08:00
until: +1d
reports:
  - {incident_id: F-1, reported_at: +1h, open_fire_since: +0, burned_area_ha: 60, county: "450224"}
declarations:
  - {incident: F-1, at: +2h, level: IV, by: office_director}
  - {incident: F-1, at: +3h, kind: end, by: office_director}
upward_reports:
  - {incident: F-1, at: +2h, clause: "5.2(4)", to: city_government}
expect:
  levels: [{incident: F-1, at: +1h, level: IV}, {incident: F-1, at: +30m, level: none}]
  escalations: [{incident: F-1, level: IV, verdict: late, delay_min: 60}]
  reporting: [{incident: F-1, clause: "5.2(4)", status: not-due}]
  findings: [{incident: F-1, code: ended-early, absent: true}]
)Y";

TEST(Scenario, ParsesEverySection) {
  Scenario s = ParseScenario(kGood, "t.yaml", &Rules());
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.title.en, "test");
  ASSERT_TRUE(s.until.has_value());
  EXPECT_EQ(s.until->epoch_s - s.start.epoch_s, 86400);
  ASSERT_EQ(s.reports.size(), 1u);
  EXPECT_EQ(s.reports[0].at.epoch_s - s.start.epoch_s, 3600);
  // Relative times are resolved to ISO; quoted scalars stay strings; numbers are numbers.
  EXPECT_NE(s.reports[0].json.find("\"reported_at\":\"2026-04-04T09:00:00+08:00\""), std::string::npos)
      << s.reports[0].json;
  EXPECT_NE(s.reports[0].json.find("\"open_fire_since\":\"2026-04-04T08:00:00+08:00\""), std::string::npos);
  EXPECT_NE(s.reports[0].json.find("\"burned_area_ha\":60"), std::string::npos);
  EXPECT_NE(s.reports[0].json.find("\"county\":\"450224\""), std::string::npos);
  EXPECT_EQ(s.reports[0].where, "t.yaml:6:5");
  ASSERT_EQ(s.declarations.size(), 2u);
  EXPECT_EQ(s.declarations[1].kind, "end");
  EXPECT_FALSE(s.declarations[1].level.has_value());
  ASSERT_EQ(s.upward_reports.size(), 1u);
  EXPECT_EQ(s.upward_reports[0].to, std::vector<std::string>{"city_government"});
  ASSERT_EQ(s.expect_levels.size(), 2u);
  EXPECT_FALSE(s.expect_levels[1].level.has_value());
  EXPECT_EQ(s.expect_escalations.at(0).delay_min, 60);
  EXPECT_EQ(s.expect_findings.at(0).present, false);
  EXPECT_EQ(s.expectation_count(), 5);
}

struct BadCase {
  const char* name;
  std::string from, to;  // replace in kGood
  const char* where;     // expected "file:line:col" prefix
  const char* what;      // substring of the message
};

TEST(Scenario, ErrorsSayWhereAndWhat) {
  const BadCase cases[] = {
      {"unknown top key", "until: +1d", "untill: +1d", "t.yaml:4:1", "did you mean 'until'"},
      {"unknown declaration key", "level: IV, by", "levle: IV, by", "t.yaml:8:30", "did you mean 'level'"},
      {"unknown role", "by: office_director}\n  - {incident: F-1, at: +3h",
       "by: ofice_director}\n  - {incident: F-1, at: +3h", "t.yaml:8:45", "did you mean 'office_director'"},
      {"bad level", "level: IV, by", "level: V, by", "t.yaml:8:37", "unknown level 'V'"},
      {"bad relative time", "at: +2h, level", "at: +2q, level", "t.yaml:8:25", "bad unit 'q'"},
      {"incident without report", "{incident: F-1, at: +2h, level", "{incident: F-2, at: +2h, level", "t.yaml:8:16",
       "has no report"},
      {"end with a level", "kind: end, by", "kind: end, level: IV, by", "t.yaml:9:", "no level"},
      {"bad status", "status: not-due", "status: done", "t.yaml:15:57", "unknown status"},
      {"bad finding code", "code: ended-early", "code: ended-erly", "t.yaml:16:36", "did you mean 'ended-early'"},
      {"missing start", "start: 2026-04-04T08:00:00+08:00\n", "", "t.yaml", "missing required key 'start'"},
      {"report without time", "reported_at: +1h, ", "", "t.yaml:6:", "missing required key 'reported_at'"},
      {"yaml syntax", "title: {zh: 测试, en: test}", "title: {zh: 测试, en: test", "t.yaml:", "YAML"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = kGood;
    auto pos = text.find(c.from);
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, c.from.size(), c.to);
    try {
      ParseScenario(text, "t.yaml", &Rules());
      FAIL() << "parsed a bad scenario";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_EQ(e.where().rfind(c.where, 0), 0u) << e.ToString();
      EXPECT_NE(e.ToString().find(c.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(Scenario, MissingFileIsNotFound) {
  try {
    LoadScenario("/nonexistent/x.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

TEST(Scenario, ReportObjectsSplitsJsonAndYaml) {
  EXPECT_EQ(format::ReadReportObjects(R"([{"incident_id":"A"},{"incident_id":"B"}])", "x").size(), 2u);
  EXPECT_EQ(format::ToJson(format::ReadReportObjects("incident_id: A\nburned_area_ha: 3\n", "x").at(0).node),
            R"({"incident_id":"A","burned_area_ha":3})");
  EXPECT_THROW(format::ReadReportObjects("{bad json", "x"), Error);
  EXPECT_THROW(format::ReadReportObjects("42", "x"), Error);
}

}  // namespace
}  // namespace firebreak::timeline
