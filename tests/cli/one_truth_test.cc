// One truth (issue 14): for the same facts at the same moment, `assess`, `assess --at`, the stored timeline
// (`status`), drills and the audit give the same answer. The six cases of the issue, each reproduced on the
// original main (f5a4690) and fixed here, run through the real binary.
//
// FIREBREAK_TEST_BINARY=path runs them against another build (e.g. of f5a4690, where each case fails).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/test_support/files.h"
#include "firebreak/test_support/run.h"

#include "firebreak/common/time.h"

namespace firebreak {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using Out = test_support::RunResult;  // code, out, err

std::string Dir() {
  static const std::string d = test_support::ScratchDir("firebreak-one-truth");
  return d;
}
std::string Write(const std::string& name, const std::string& text) {
  return test_support::WriteFile(Dir(), name, text);
}
std::string FreshStore(const std::string& name) { return test_support::FreshStore(Dir(), name); }

Out Fb(const std::string& args) { return test_support::Run(args, {.stderr_mode = test_support::Stderr::kSeparate}); }

json Json(const Out& o) {
  json j = json::parse(o.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << o.out << o.err;
  return j;
}

Timestamp T(const std::string& iso) { return *ParseIso8601(iso); }

std::string Level(const json& v) { return v.is_null() ? "none" : v.get<std::string>(); }

// `assess REPORT --at AT`: the level the engine requires.
std::string AssessAt(const std::string& report, const std::string& at, const std::string& incident = {}) {
  Out o = Fb("assess " + report + " --format json --at " + at);
  EXPECT_EQ(o.code, 0) << o.err;
  json j = Json(o);
  if (j.is_array())
    for (const auto& d : j)
      if (d["incident_id"] == incident) return Level(d["response_level"]);
  return Level(j["response_level"]);
}

// The step of `incident` in force at `at` in a timeline JSON (status, drill), or null.
json StepAt(const json& timeline, const std::string& incident, const std::string& at) {
  json out;
  for (const auto& inc : timeline["incidents"]) {
    if (inc["incident_id"] != incident) continue;
    for (const auto& s : inc["steps"])
      if (T(s["at"].get<std::string>()) <= T(at)) out = s;
  }
  return out;
}

// `status --at AT` on a store: the required level of `incident` and the step in force.
std::pair<std::string, json> StatusAt(const std::string& store, const std::string& incident, const std::string& at) {
  Out o = Fb("status --store " + store + " --format json --at " + at);
  EXPECT_EQ(o.code, 0) << o.err;
  json s = StepAt(Json(o)["timeline"], incident, at);
  return {s.is_null() ? "none" : Level(s["required"]), s};
}

// `report` recorded at `recorded_at`. (A build without --recorded-at, e.g. f5a4690, records in time order,
// which these in-order reports are: the cases then fail for what they test, not for the option.)
std::string Record(const std::string& store, const std::string& report, const std::string& recorded_at) {
  Out o = Fb("report --store " + store + " --format json " + report + " --recorded-at " + recorded_at);
  if (o.code != 0 && o.err.find("--recorded-at") != std::string::npos)
    o = Fb("report --store " + store + " --format json " + report);
  EXPECT_EQ(o.code, 0) << o.err;
  return o.out;
}

// ---------------------------------------------------------------------------------------------------------
// Case 1: a sensitive-period window (清明, from 03-28) opens during a fire that began at 03-27 20:00.

TEST(OneTruth, Case1WindowOpensDuringAFire) {
  const std::string report = Write("c1.json", R"({"incident_id":"W1","reported_at":"2026-03-27T20:00:00+08:00",
    "open_fire_since":"2026-03-27T20:00:00+08:00","burned_area_ha":5,"county":"柳城县"})");
  const std::string store = FreshStore("c1.sqlite");
  Record(store, report, "2026-03-27T20:00:00+08:00");
  // Interpretation sensitive-period-while-burning: IV at 6 h (03-28 02:00), III at 12 h, II at 24 h.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"2026-03-27T23:00:00+08:00", "none"}, {"2026-03-28T01:59:59+08:00", "none"},
      {"2026-03-28T02:00:00+08:00", "IV"},   {"2026-03-28T07:59:59+08:00", "IV"},
      {"2026-03-28T08:00:00+08:00", "III"},  {"2026-03-28T10:00:00+08:00", "III"},
      {"2026-03-28T20:00:00+08:00", "II"}};
  for (const auto& [at, level] : expected) {
    const std::string assessed = AssessAt(report, at);
    EXPECT_EQ(StatusAt(store, "W1", at).first, assessed) << at << ": status and assess --at disagree";
    EXPECT_EQ(assessed, level) << at;
  }
  // Before the window opens the board already announces IV at 02:00 (the calendar is known in advance).
  json step = StatusAt(store, "W1", "2026-03-27T23:00:00+08:00").second;
  ASSERT_TRUE(step.contains("next")) << step.dump();
  EXPECT_EQ(step["next"]["due"], "2026-03-28T02:00:00+08:00");
  EXPECT_EQ(step["next"]["level"], "IV");
  // The audit sees the same escalations at the same moments.
  Out a = Fb("audit --store " + store + " --all --until 2026-03-29T00:00:00+08:00 --format json");
  ASSERT_EQ(a.code, 0) << a.err;
  std::vector<std::string> due;
  const json audit = Json(a);  // named: a range-for must not iterate a member of a temporary
  for (const auto& e : audit["incidents"][0]["escalations"])
    due.push_back(e["to"].get<std::string>() + "@" + e["due_at"].get<std::string>());
  EXPECT_EQ(due, (std::vector<std::string>{"IV@2026-03-28T02:00:00+08:00", "III@2026-03-28T08:00:00+08:00",
                                           "II@2026-03-28T20:00:00+08:00"}));
}

// ---------------------------------------------------------------------------------------------------------
// Case 2: the window closes during a fire (fire at 04-10 20:00, the window's last day).

TEST(OneTruth, Case2WindowClosesDuringAFire) {
  const std::string report = Write("c2.json", R"({"incident_id":"W2","reported_at":"2026-04-10T20:00:00+08:00",
    "open_fire_since":"2026-04-10T20:00:00+08:00","burned_area_ha":5,"county":"柳城县"})");
  Out d = Fb("assess " + report + " --format json");
  ASSERT_EQ(d.code, 0) << d.err;
  bool announced = false;
  const json decision = Json(d);
  for (const auto& due : decision["next_level"]["due"])
    announced = announced || (due["level"] == "IV" && due["at"] == "2026-04-11T02:00:00+08:00");
  ASSERT_TRUE(announced) << d.out;
  const std::string store = FreshStore("c2.sqlite");
  Record(store, report, "2026-04-10T20:00:00+08:00");
  // The level the report announced is required when it falls due, on every path, after the window closed too.
  for (const std::string at : {"2026-04-11T02:00:00+08:00", "2026-04-11T03:00:00+08:00"}) {
    EXPECT_EQ(AssessAt(report, at), "IV") << at;
    EXPECT_EQ(StatusAt(store, "W2", at).first, "IV") << at;
  }
  // A "next due" shown by the board is never in the past.
  json step = StatusAt(store, "W2", "2026-04-11T03:00:00+08:00").second;
  if (step.contains("next")) {
    EXPECT_GT(T(step["next"]["due"].get<std::string>()), T("2026-04-11T03:00:00+08:00"));
  }
  Out text = Fb("status --store " + store + " --lang en --at 2026-04-11T03:00:00+08:00");
  EXPECT_EQ(text.out.find("due 04-11 02:00"), std::string::npos) << text.out;
}

// ---------------------------------------------------------------------------------------------------------
// Case 3: `facts: {dangerous: true}` and `facts: {extinguished: true}` count for concurrency as in assess.

TEST(OneTruth, Case3FactsOverridesCountForConcurrency) {
  const std::string two = Write("c3a.json", R"([
    {"incident_id":"D1","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":5,"facts":{"dangerous":true}},
    {"incident_id":"D2","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":5,"facts":{"dangerous":true}}])");
  const std::string at = "2026-05-12T10:30:00+08:00";
  EXPECT_EQ(AssessAt(two, at, "D1"), "III");  // 6.3.2.1(5): two dangerous fires at once
  const std::string store = FreshStore("c3a.sqlite");
  Record(store, two, "2026-05-12T10:00:00+08:00");
  EXPECT_EQ(StatusAt(store, "D1", at).first, "III");
  EXPECT_EQ(StatusAt(store, "D2", at).first, "III");

  const std::string out = Write("c3b.json", R"([
    {"incident_id":"E1","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":5,"dangerous":true},
    {"incident_id":"E2","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":5,"dangerous":true,
     "facts":{"extinguished":true}}])");
  const std::string assessed = AssessAt(out, at, "E1");
  EXPECT_EQ(assessed, "none");  // E2 is out: one dangerous fire burns
  const std::string store2 = FreshStore("c3b.sqlite");
  Record(store2, out, "2026-05-12T10:00:00+08:00");
  EXPECT_EQ(StatusAt(store2, "E1", at).first, assessed);
}

// ---------------------------------------------------------------------------------------------------------
// Case 4: re-ignition. Out at +2 h, burning again at +4 h: the hours out are not hours of open fire.

const char* kCase4 = R"({"incident_id":"R1","reported_at":"2026-05-12T08:00:00+08:00",
  "open_fire_since":"2026-05-12T08:00:00+08:00","burned_area_ha":5,"sensitive_period":true,"county":"柳城县"})";

TEST(OneTruth, Case4ReignitionDoesNotCountHoursOut) {
  const std::string store = FreshStore("c4.sqlite");
  Record(store, Write("c4-1.json", kCase4), "2026-05-12T08:00:00+08:00");
  Record(store, Write("c4-2.json", R"({"incident_id":"R1","reported_at":"2026-05-12T10:00:00+08:00",
    "controlled":true,"extinguished":true})"),
         "2026-05-12T10:00:00+08:00");
  Out re;
  re.out = Record(store, Write("c4-3.json", R"({"incident_id":"R1","reported_at":"2026-05-12T12:00:00+08:00",
                "controlled":false,"extinguished":false})"),
                  "2026-05-12T12:00:00+08:00");
  // Interpretation reignition-at-report: no new open_fire_since, so re-ignited at 12:00, with a warning.
  json w = Json(re)["warnings"];
  ASSERT_EQ(w.size(), 1u) << re.out;
  EXPECT_EQ(w[0]["code"], "reignition-without-since");
  EXPECT_EQ(w[0]["interpretation"], "reignition-at-report");
  // open-fire-hours-accumulate: 2 h + from 12:00; 6 h (sensitive) are reached at 16:00, not at 14:00.
  EXPECT_EQ(StatusAt(store, "R1", "2026-05-12T14:30:00+08:00").first, "none");
  EXPECT_EQ(StatusAt(store, "R1", "2026-05-12T15:59:59+08:00").first, "none");
  EXPECT_EQ(StatusAt(store, "R1", "2026-05-12T16:00:00+08:00").first, "IV");
}

TEST(OneTruth, Case4ReignitionWithItsTime) {
  const std::string store = FreshStore("c4b.sqlite");
  Record(store, Write("c4b-1.json", kCase4), "2026-05-12T08:00:00+08:00");
  Record(store, Write("c4b-2.json", R"({"incident_id":"R1","reported_at":"2026-05-12T10:00:00+08:00",
    "controlled":true,"extinguished":true})"),
         "2026-05-12T10:00:00+08:00");
  Out re;
  re.out = Record(store, Write("c4b-3.json", R"({"incident_id":"R1","reported_at":"2026-05-12T12:00:00+08:00",
                "controlled":false,"extinguished":false,"open_fire_since":"2026-05-12T11:30:00+08:00"})"),
                  "2026-05-12T12:00:00+08:00");
  EXPECT_TRUE(Json(re)["warnings"].empty()) << re.out;
  // 2 h before, 4 more from 11:30: IV at 15:30.
  EXPECT_EQ(StatusAt(store, "R1", "2026-05-12T15:29:59+08:00").first, "none");
  EXPECT_EQ(StatusAt(store, "R1", "2026-05-12T15:30:00+08:00").first, "IV");
}

// ---------------------------------------------------------------------------------------------------------
// Case 5: one report reader: `report` and `assess` accept and refuse the same inputs, the same way.

TEST(OneTruth, Case5ReportAndAssessReadAlike) {
  struct Case {
    const char* name;
    std::string text;
    bool ok;
    const char* says;  // in the error
  } cases[] = {
      {"relative time", "incident_id: X1\nreported_at: +6h\n", false, "relative time"},
      {"yes is not a boolean", "incident_id: X1\nreported_at: 2026-05-12T08:00:00+08:00\ncontrolled: yes\n", false,
       "must be true or false"},
      {"duplicate key",
       "incident_id: X1\nreported_at: 2026-05-12T08:00:00+08:00\nburned_area_ha: 600\nburned_area_ha: 0\n", false,
       "(first at 3:1)"},
      {"second document", "incident_id: X1\nreported_at: 2026-05-12T08:00:00+08:00\n---\nincident_id: X2\n", false,
       "second YAML document"},
      {"no offset", "incident_id: X1\nreported_at: 2026-05-12T08:00:00\n", false, "UTC offset"},
      {"epoch seconds", "incident_id: X1\nreported_at: 1778544000\n", false, "ISO 8601"},
      {"date only", "incident_id: X1\nreported_at: 2026-05-12\n", false, "ISO 8601"},
      {"a good report", "incident_id: X1\nreported_at: 2026-05-12T08:00:00+08:00\ncontrolled: true\n", true, ""},
      {"space for T", "incident_id: X1\nreported_at: 2026-05-12 08:00:00+08:00\n", true, ""},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string file = Write("c5-" + std::to_string(n) + ".yaml", c.text);
    Out a = Fb("assess " + file);
    Out r = Fb("report --store " + FreshStore("c5-" + std::to_string(n++) + ".sqlite") + " " + file);
    EXPECT_EQ(a.code, c.ok ? 0 : 4) << c.name << ": assess " << a.err;
    EXPECT_EQ(r.code, a.code) << c.name << ": report " << r.err;
    if (!c.ok) {
      EXPECT_NE(a.err.find(c.says), std::string::npos) << c.name << ": " << a.err;
      EXPECT_NE(r.err.find(c.says), std::string::npos) << c.name << ": " << r.err;
      EXPECT_NE(r.err.find(file + ":"), std::string::npos) << c.name << ": no file:line:col in " << r.err;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Case 6: a late report is recorded; the audit judges lateness from when the office could know.

TEST(OneTruth, Case6LateReportIsRecordedAndJudgedFromWhenKnown) {
  const std::string store = FreshStore("c6.sqlite");
  Record(store, Write("c6-1.json", R"({"incident_id":"L1","reported_at":"2026-05-12T10:00:00+08:00",
    "open_fire_since":"2026-05-12T09:00:00+08:00","burned_area_ha":20,"county":"柳城县"})"),
         "2026-05-12T10:00:00+08:00");
  // At 11:00 the office learns that someone died at 09:30: III (6.3.2.1(2)) was due at 09:30 by the facts.
  Out late = Fb("report --store " + store + " --lang en --recorded-at 2026-05-12T11:00:00+08:00 " +
                Write("c6-2.json", R"({"incident_id":"L1","reported_at":"2026-05-12T09:30:00+08:00","deaths":1})"));
  ASSERT_EQ(late.code, 0) << late.err;
  EXPECT_NE(late.out.find("[Late report]"), std::string::npos) << late.out;
  EXPECT_EQ(StatusAt(store, "L1", "2026-05-12T09:45:00+08:00").first, "III");  // re-derived
  Out decl = Fb("declare L1 III --by deputy_commander --at 2026-05-12T11:40:00+08:00 --store " + store);
  ASSERT_EQ(decl.code, 0) << decl.err;
  Out a = Fb("audit L1 --store " + store + " --until 2026-05-12T12:00:00+08:00 --format json");
  ASSERT_EQ(a.code, 0) << a.err;
  json j = Json(a);
  const json& e = j["incidents"][0]["escalations"][0];
  EXPECT_EQ(e["to"], "III");
  EXPECT_EQ(e["due_at"], "2026-05-12T09:30:00+08:00");
  EXPECT_EQ(e["known_at"], "2026-05-12T11:00:00+08:00");
  EXPECT_EQ(e["verdict"], "ok");  // 40 min after it could be known; 2 h 10 after it was due
  EXPECT_NE(j["interpretations"].dump().find("known-to-the-office"), std::string::npos);
  // Two reports of the same moment: merged in the order recorded (same-moment-reports-merge), both kept.
  Out same =
      Fb("report --store " + store + " --format json --recorded-at 2026-05-12T11:50:00+08:00 " +
         Write("c6-3.json", R"({"incident_id":"L1","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":25})"));
  ASSERT_EQ(same.code, 0) << same.err;
  EXPECT_NE(same.out.find("same-moment-reports-merge"), std::string::npos) << same.out;
}

// A late report of a death at 09:30 arrives at 11:00, after an in-order report of 10:00 that said no one had died
// (written before the office knew). The facts required III from 09:30 and it holds (level-holds-until-termination);
// the office's merged state at 11:00 says 0 deaths, but by 11:00 it had every report describing 09:30 or earlier,
// so it knew III was required (history-known): the audit owes the declaration and the 5.2 report from 11:00 —
// not "not-known" — and the status' owed reports agree.
TEST(OneTruth, Case6LateDeathBeforeAnInOrderReportOfNoneIsKnownWhenRecorded) {
  const std::string store = FreshStore("c6b.sqlite");
  Record(store, Write("c6b-1.json", R"({"incident_id":"L3","reported_at":"2026-05-12T10:00:00+08:00",
    "open_fire_since":"2026-05-12T09:00:00+08:00","burned_area_ha":20,"deaths":0,"county":"柳城县"})"),
         "2026-05-12T10:00:00+08:00");
  Out late = Fb("report --store " + store + " --recorded-at 2026-05-12T11:00:00+08:00 " +
                Write("c6b-2.json", R"({"incident_id":"L3","reported_at":"2026-05-12T09:30:00+08:00","deaths":1})"));
  ASSERT_EQ(late.code, 0) << late.err;
  EXPECT_EQ(StatusAt(store, "L3", "2026-05-12T10:30:00+08:00").first, "III");  // held after the 10:00 report
  Out a = Fb("audit L3 --store " + store + " --until 2026-05-12T12:00:00+08:00 --format json");
  ASSERT_EQ(a.code, 0) << a.err;
  json j = Json(a);
  EXPECT_EQ(j["ok"], false);  // the declaration and the report are missing
  const json& e = j["incidents"][0]["escalations"][0];
  EXPECT_EQ(e["to"], "III");
  EXPECT_EQ(e["due_at"], "2026-05-12T09:30:00+08:00");
  EXPECT_EQ(e["known_at"], "2026-05-12T11:00:00+08:00");
  EXPECT_EQ(e["verdict"], "missing");
  bool death_duty = false;
  for (const auto& r : j["incidents"][0]["reporting"]) {
    if (r["due_at"] != "2026-05-12T09:30:00+08:00") continue;
    death_duty = true;
    EXPECT_EQ(r["known_at"], "2026-05-12T11:00:00+08:00") << r.dump();
    EXPECT_EQ(r["status"], "missing") << r.dump();
  }
  EXPECT_TRUE(death_duty) << j.dump();
  EXPECT_NE(j["interpretations"].dump().find("history-known"), std::string::npos);
  // Declared 40 minutes after it could be known: on time.
  Out decl = Fb("declare L3 III --by deputy_commander --at 2026-05-12T11:40:00+08:00 --store " + store);
  ASSERT_EQ(decl.code, 0) << decl.err;
  json j2 = Json(Fb("audit L3 --store " + store + " --until 2026-05-12T12:00:00+08:00 --format json"));
  EXPECT_EQ(j2["incidents"][0]["escalations"][0]["verdict"], "ok") << j2.dump();
}

// The same through a drill: a scenario report with `recorded_at` after later reports.
TEST(OneTruth, Case6LateReportInADrill) {
  const std::string sc = Write("c6.yaml", R"(scenario: late
start: 2026-05-12T09:00:00+08:00
reports:
  - {incident_id: L2, reported_at: +1h, open_fire_since: +0, burned_area_ha: 20, county: 柳城县}
  - {incident_id: L2, reported_at: +30m, recorded_at: +2h, deaths: 1}
declarations:
  - {incident: L2, at: +2h40m, level: III, by: deputy_commander}
expect:
  levels: [{incident: L2, at: +45m, level: III}]
  escalations: [{incident: L2, level: III, due: +30m, verdict: ok, delay_min: 40}]
)");
  Out d = Fb("drill " + sc + " --lang en");
  EXPECT_EQ(d.code, 0) << d.out << d.err;
}

}  // namespace
}  // namespace firebreak
