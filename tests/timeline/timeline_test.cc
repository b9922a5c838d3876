// Timeline and audit on the real Liuzhou rule file: clock-driven steps at the exact moments, the ratchet
// (level-holds-until-termination), concurrency, and the audit's verdicts on both sides of each boundary.
#include "firebreak/timeline/timeline.h"

#include <cstring>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/format/merge.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"
#include "firebreak/timeline/audit.h"

namespace firebreak::timeline {
namespace {

using namespace engine;
using namespace firebreak::format;

const RuleSet& Rules() {
  static const RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

Timestamp T0() { return *ParseIso8601("2026-05-12T08:00:00+08:00"); }
Timestamp At(std::int64_t seconds) { return Timestamp{T0().epoch_s + seconds, 480}; }
constexpr std::int64_t kH = 3600;

// A report `seconds` after T0, with `fields` (JSON members, no braces) merged over the incident's last state.
struct Builder {
  TimelineInput in;
  Builder& Report(const std::string& id, std::int64_t seconds, const std::string& fields) {
    std::string obj = "{\"incident_id\":\"" + id + "\",\"reported_at\":\"" + FormatIso8601(At(seconds)) + "\"" +
                      (fields.empty() ? "" : "," + fields) + "}";
    const auto order = static_cast<std::int64_t>(in.reports.size());
    in.reports.push_back(ReportEntry{id, At(seconds), At(seconds), order, obj, "test"});
    return *this;
  }
  Builder& Declare(const std::string& id, std::int64_t seconds, std::optional<Level> l, const std::string& by) {
    in.declarations.push_back(TimelineDeclaration{id, l ? "declare" : "end", l, by, At(seconds)});
    return *this;
  }
  Builder& Upward(const std::string& id, std::int64_t seconds, const std::string& clause, std::vector<std::string> to) {
    in.upward_reports.push_back(TimelineUpwardReport{id, clause, std::move(to), At(seconds)});
    return *this;
  }
  Timeline Build(std::int64_t until_seconds) {
    in.until = At(until_seconds);
    Engine e(Rules());
    return BuildTimeline(e, in);
  }
};

std::string Since0() { return "\"open_fire_since\":\"" + FormatIso8601(At(0)) + "\""; }

// Clock-driven steps: both sides of every hours threshold of 6.3.x.1(3), sensitive vs other.
struct ClockCase {
  const char* name;
  const char* sensitivity;  // report fields
  std::int64_t at;          // seconds after open fire started
  std::optional<Level> expected;
};
const ClockCase kClock[] = {
    {"sensitive 6h-1s", "\"sensitive_period\":true", 6 * kH - 1, std::nullopt},
    {"sensitive 6h", "\"sensitive_period\":true", 6 * kH, Level::kIV},
    {"sensitive 12h-1s", "\"sensitive_period\":true", 12 * kH - 1, Level::kIV},
    {"sensitive 12h", "\"sensitive_period\":true", 12 * kH, Level::kIII},
    {"sensitive 24h-1s", "\"sensitive_period\":true", 24 * kH - 1, Level::kIII},
    {"sensitive 24h", "\"sensitive_period\":true", 24 * kH, Level::kII},
    {"sensitive 48h-1s", "\"sensitive_period\":true", 48 * kH - 1, Level::kII},
    {"sensitive 48h", "\"sensitive_period\":true", 48 * kH, Level::kI},
    {"sensitive area 6h", "\"sensitive_period\":false,\"sensitive_area\":true", 6 * kH, Level::kIV},
    {"other 23h59m59s", "\"sensitive_period\":false,\"sensitive_area\":false", 24 * kH - 1, std::nullopt},
    // Other periods: IV(3) and III(3) both say 24 h: III at 24 h (the plan's overlap; rules lint reports it).
    {"other 24h", "\"sensitive_period\":false,\"sensitive_area\":false", 24 * kH, Level::kIII},
    {"other 48h-1s", "\"sensitive_period\":false,\"sensitive_area\":false", 48 * kH - 1, Level::kIII},
    {"other 48h", "\"sensitive_period\":false,\"sensitive_area\":false", 48 * kH, Level::kII},
    {"other 72h-1s", "\"sensitive_period\":false,\"sensitive_area\":false", 72 * kH - 1, Level::kII},
    {"other 72h", "\"sensitive_period\":false,\"sensitive_area\":false", 72 * kH, Level::kI},
};

TEST(Timeline, ClockDrivenLevelsBetweenReports) {
  for (const auto& c : kClock) {
    SCOPED_TRACE(c.name);
    Builder b;
    b.Report("F", 0, Since0() + ",\"burned_area_ha\":5," + c.sensitivity);
    Timeline t = b.Build(80 * kH);
    const IncidentTimeline* it = t.Find("F");
    ASSERT_NE(it, nullptr);
    EXPECT_EQ(it->RequiredAt(At(c.at)), c.expected);
    // Only one report: every later step is a clock step, at an exact due time.
    for (std::size_t i = 1; i < it->steps.size(); ++i) {
      EXPECT_EQ(it->steps[i].cause, StepCause::kClock);
      EXPECT_EQ((it->steps[i].at.epoch_s - At(0).epoch_s) % kH, 0) << "step not on a whole hour";
    }
  }
}

TEST(Timeline, ControlledFireHoldsItsLevelUntilTermination) {
  Builder b;
  b.Report("F", 0, Since0() + ",\"burned_area_ha\":120,\"sensitive_period\":false,\"sensitive_area\":false")
      .Report("F", 2 * kH, "\"controlled\":true")
      .Report("F", 4 * kH, "\"extinguished\":true")
      .Report("F", 6 * kH, "\"facts\":{\"cleanup_accepted\":true}");
  Timeline t = b.Build(8 * kH);
  const IncidentTimeline* it = t.Find("F");
  ASSERT_NE(it, nullptr);
  const Step* s = it->StepAt(At(2 * kH));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->assessed, std::nullopt);  // the engine: controlled, nothing required now
  EXPECT_EQ(s->required, Level::kIII);   // the ratchet holds III
  EXPECT_TRUE(s->held);
  EXPECT_EQ(it->RequiredAt(At(4 * kH)), Level::kIII);  // out, clean-up not accepted: still held
  EXPECT_EQ(it->RequiredAt(At(6 * kH)), std::nullopt);
  EXPECT_TRUE(it->StepAt(At(6 * kH))->terminated);
  // A controlled fire does not escalate by the clock.
  EXPECT_EQ(it->RequiredAt(At(7 * kH)), std::nullopt);
}

TEST(Timeline, TwoDangerousFiresRaiseBothAndConcurrencyIsCounted) {
  Builder b;
  b.Report("A", 0, Since0() + ",\"burned_area_ha\":3,\"dangerous\":true,\"sensitive_period\":false")
      .Report("B", kH, Since0() + ",\"burned_area_ha\":3,\"dangerous\":true,\"sensitive_period\":false")
      .Report("C", 2 * kH, Since0() + ",\"burned_area_ha\":3,\"sensitive_period\":false");
  Timeline t = b.Build(3 * kH);
  const IncidentTimeline* a = t.Find("A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->RequiredAt(At(kH - 1)), std::nullopt);
  EXPECT_EQ(a->RequiredAt(At(kH)), Level::kIII);
  EXPECT_EQ(a->StepAt(At(kH))->cause, StepCause::kConcurrency);
  EXPECT_EQ(a->StepAt(At(kH))->concurrency.dangerous_fires, 2);
  EXPECT_EQ(t.Find("B")->RequiredAt(At(kH)), Level::kIII);
  EXPECT_EQ(t.Find("C")->StepAt(At(2 * kH))->concurrency.fires, 3);
  EXPECT_EQ(t.Find("C")->StepAt(At(2 * kH))->lead, Tier::kCity);  // 3.3: three fires, one level up
}

// Interpretation history-known over concurrency: A's III (two dangerous fires, 6.3.2.1(5)) rests on B's report of
// 09:00, which the office had only at 11:00 (recorded after B's 10:00 report that B is no longer dangerous). The
// office's merged states never show two dangerous fires, yet at 11:00 it had every report the facts of 09:00 rest
// on: III is known at 11:00, not "not-known" for good.
TEST(Audit, HistoryKnownCountsTheOtherFiresReportsWhenTheyWereCounted) {
  TimelineInput in;
  auto entry = [&](const std::string& id, std::int64_t at, std::int64_t recorded, const std::string& fields) {
    const std::string obj = "{\"incident_id\":\"" + id + "\",\"reported_at\":\"" + FormatIso8601(At(at)) + "\"," +
                            Since0() + ",\"burned_area_ha\":3,\"sensitive_period\":false," + fields + "}";
    const auto order = static_cast<std::int64_t>(in.reports.size());
    in.reports.push_back(ReportEntry{id, At(at), At(recorded), order, obj, "test"});
  };
  entry("A", 0, 0, "\"dangerous\":true");
  entry("B", 2 * kH, 2 * kH, "\"dangerous\":false");
  entry("B", kH, 3 * kH, "\"dangerous\":true");  // late: B already had a report of 10:00
  in.until = At(4 * kH);
  Engine e(Rules());
  const Timeline t = BuildTimeline(e, in);
  const IncidentTimeline* a = t.Find("A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->RequiredAt(At(kH - 1)), std::nullopt);
  EXPECT_EQ(a->RequiredAt(At(kH)), Level::kIII);      // two dangerous fires
  EXPECT_EQ(a->RequiredAt(At(2 * kH)), Level::kIII);  // held
  EXPECT_EQ(t.HistoryKnownAt(*a, *a->StepAt(At(kH))), At(3 * kH));
  EXPECT_EQ(t.HistoryKnownAt(*a, *a->StepAt(At(0))), At(0));  // one fire counted: A's own reports only
  const AuditReport r = Audit(t, Rules(), AuditOptions{});
  const IncidentAudit* ia = r.Find("A");
  ASSERT_NE(ia, nullptr);
  ASSERT_EQ(ia->escalations.size(), 1u);
  EXPECT_EQ(ia->escalations[0].due_at, At(kH));
  EXPECT_EQ(ia->escalations[0].known_at, At(3 * kH));
  EXPECT_EQ(ia->escalations[0].verdict, "missing");
}

TEST(Timeline, EndDeclarationStopsTheIncident) {
  Builder b;
  b.Report("F", 0, Since0() + ",\"burned_area_ha\":60,\"sensitive_period\":false")
      .Declare("F", 10 * 60, Level::kIV, "office_director")
      .Declare("F", kH, std::nullopt, "office_director");
  Timeline t = b.Build(30 * kH);
  const IncidentTimeline* it = t.Find("F");
  ASSERT_EQ(it->ended_at, At(kH));
  EXPECT_EQ(it->steps.back().cause, StepCause::kEnd);
  EXPECT_EQ(it->RequiredAt(At(25 * kH)), std::nullopt);  // no clock steps after the end
  EXPECT_EQ(it->DeclaredAt(At(30 * 60)), Level::kIV);
  EXPECT_EQ(it->DeclaredAt(At(2 * kH)), std::nullopt);
}

TEST(Timeline, MergeReportJsonReplacesFieldsAndMergesObjects) {
  std::string m = MergeReportJson(R"({"a":1,"weather":{"wind_speed_ms":3,"humidity_pct":40},"threatens":["x"]})",
                                  R"({"a":2,"weather":{"wind_speed_ms":9},"threatens":[]})", "t");
  EXPECT_EQ(m, R"({"a":2,"weather":{"wind_speed_ms":9,"humidity_pct":40},"threatens":[]})");
  EXPECT_THROW(MergeReportJson("{}", "[1]", "t"), Error);
  EXPECT_THROW(MergeReportJson("3", "{}", "t"), Error);
}

// Terminations are compiled and evaluated by the engine (the timeline has no evaluator of its own): the
// response termination (the rule citing level-holds-until-termination: 6.3.6) on both sides of each fact.
TEST(Timeline, EngineEvaluatesTheResponseTermination) {
  Engine eng(Rules());
  auto decide = [&](const std::string& fields) {
    std::string r = R"({"incident_id":"T","reported_at":"2026-05-12T08:00:00+08:00")" + fields + "}";
    return eng.Assess(ParseReports(r, "t", Rules()).at(0));
  };
  EXPECT_FALSE(decide("").response_terminated);  // unknown does not hold
  EXPECT_FALSE(decide(R"(,"controlled":true,"extinguished":true)").response_terminated);
  EXPECT_FALSE(decide(R"(,"facts":{"cleanup_accepted":true})").response_terminated);
  auto done = decide(R"(,"controlled":true,"extinguished":true,"facts":{"cleanup_accepted":true})");
  EXPECT_TRUE(done.response_terminated);
  bool cited = false;
  for (const auto& t : done.terminations) cited = cited || t.clause == "6.3.6";
  EXPECT_TRUE(cited);
}

// ---- audit ----

struct DelayCase {
  std::int64_t declared_after;  // seconds after due
  const char* timeliness;
};
const DelayCase kDelays[] = {
    {-600, "on-time"}, {0, "on-time"}, {60 * 60, "on-time"}, {60 * 60 + 1, "late"}, {5 * kH, "late"}};

TEST(Audit, DeclarationTimelinessOnBothSidesOfTheTolerance) {
  for (const auto& c : kDelays) {
    SCOPED_TRACE(c.declared_after);
    Builder b;
    b.Report("F", 0, Since0() + ",\"burned_area_ha\":10,\"sensitive_period\":false")
        .Report("F", kH, "\"burned_area_ha\":60")
        .Declare("F", kH + c.declared_after, Level::kIV, "office_director");
    Timeline t = b.Build(8 * kH);
    AuditReport a = Audit(t, Rules(), AuditOptions{});
    ASSERT_EQ(a.incidents.size(), 1u);
    ASSERT_EQ(a.incidents[0].escalations.size(), 1u);
    const auto& e = a.incidents[0].escalations[0];
    EXPECT_EQ(e.to, Level::kIV);
    EXPECT_EQ(e.due_at, At(kH));
    EXPECT_EQ(e.timeliness, c.timeliness);
    EXPECT_EQ(*e.delay_s, std::max<std::int64_t>(0, c.declared_after));
    EXPECT_EQ(e.verdict, std::string(c.timeliness) == "late" ? "late" : "ok");
  }
}

struct RoleCase {
  Level level;
  const char* by;
  const char* role;
};
const RoleCase kRoles[] = {
    {Level::kIV, "office_director", "ok"},
    {Level::kIV, "office_deputy_director_entrusted", "ok"},
    {Level::kIV, "commander", "superior"},
    {Level::kIV, "deputy_commander", "superior"},
    {Level::kIV, "county_hq", "wrong-role"},
    {Level::kIII, "deputy_commander", "ok"},
    {Level::kIII, "office_director", "wrong-role"},
    {Level::kIII, "commander", "superior"},
    {Level::kII, "deputy_commander_entrusted", "ok"},
    {Level::kII, "deputy_commander", "wrong-role"},
    {Level::kI, "commander", "ok"},
    {Level::kI, "deputy_commander_entrusted", "wrong-role"},
};

TEST(Audit, WhoMayDeclare) {
  const char* area[] = {"", "60", "120", "600", "1200"};
  for (const auto& c : kRoles) {
    SCOPED_TRACE(std::string(LevelName(c.level)) + " by " + c.by);
    Builder b;
    b.Report("F", 0,
             Since0() + ",\"burned_area_ha\":" + area[static_cast<int>(c.level)] + ",\"sensitive_period\":false")
        .Declare("F", 600, c.level, c.by);
    Timeline t = b.Build(kH);
    AuditReport a = Audit(t, Rules(), AuditOptions{});
    ASSERT_EQ(a.incidents[0].escalations.size(), 1u);
    const auto& e = a.incidents[0].escalations[0];
    EXPECT_EQ(e.to, c.level);
    EXPECT_EQ(e.role, c.role);
    EXPECT_EQ(e.verdict, std::string(c.role) == "wrong-role" ? "wrong-role" : "ok");
  }
}

TEST(Audit, MissingDeclarationAndUnderDeclaration) {
  Builder b;
  b.Report("F", 0, Since0() + ",\"burned_area_ha\":120,\"sensitive_period\":false")
      .Declare("F", 600, Level::kIV, "office_director");  // III required: IV is not enough
  Timeline t = b.Build(kH);
  AuditReport a = Audit(t, Rules(), AuditOptions{});
  const auto& e = a.incidents[0].escalations.at(0);
  EXPECT_EQ(e.to, Level::kIII);
  EXPECT_EQ(e.verdict, "missing");
  EXPECT_FALSE(a.ok);
}

TEST(Audit, UpwardReportsMadeLateMissingIncomplete) {
  struct Case {
    std::int64_t at;  // seconds after due; < -1e6: no report
    std::vector<std::string> to;
    const char* status;
  } cases[] = {
      {10 * 60, {"city_party_committee", "city_government", "region_hq_office"}, "made"},
      {60 * 60 + 1, {"city_party_committee", "city_government", "region_hq_office"}, "late"},
      {10 * 60, {"city_government"}, "incomplete"},
      {-10000000, {}, "missing"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.status);
    Builder b;
    b.Report("F", 0, Since0() + ",\"burned_area_ha\":10,\"sensitive_period\":false").Report("F", kH, "\"deaths\":1");
    if (c.at > -1000000) b.Upward("F", kH + c.at, "5.2(3)", c.to);
    Timeline t = b.Build(4 * kH);
    AuditReport a = Audit(t, Rules(), AuditOptions{});
    const ReportingAudit* r = nullptr;
    for (const auto& x : a.incidents[0].reporting)
      if (x.clause == "5.2(3)") r = &x;
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->due_at, At(kH));
    EXPECT_EQ(r->status, c.status);
  }
}

TEST(Audit, RenderersNameTheInterpretationsAndHtmlIsSelfContained) {
  Builder b;
  b.Report("F", 0, Since0() + ",\"burned_area_ha\":60,\"sensitive_period\":false")
      .Declare("F", 2 * kH, Level::kIV, "county_hq");
  Timeline t = b.Build(3 * kH);
  AuditReport a = Audit(t, Rules(), AuditOptions{});
  for (const std::string lang : {"zh", "en"}) {
    std::string text = AuditToText(a, Rules(), lang);
    EXPECT_NE(text.find("superior-role-may-declare"), std::string::npos);
    EXPECT_NE(text.find("declaration-timeliness"), std::string::npos);
    std::string html = AuditToHtml(a, t, Rules(), lang);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
    EXPECT_NE(html.find("6.3.1.1(1)"), std::string::npos);
  }
  std::string js = AuditToJson(a, Rules());
  EXPECT_NE(js.find("\"verdict\": \"late, wrong-role\""), std::string::npos) << js;
  std::string tj = TimelineToJson(t, Rules());
  EXPECT_NE(tj.find("level-holds-until-termination"), std::string::npos);
}

// The plan clauses the audit cites in its own sentences (termination, upward reports) are the rule file's,
// never C++'s: renumber them in a copy of the rules and the messages follow.
TEST(Audit, CitedClausesComeFromTheRuleFile) {
  Builder b;
  b.Report("F", 0, Since0() + ",\"burned_area_ha\":10,\"sensitive_period\":false")
      .Report("F", kH, "\"deaths\":1")
      .Declare("F", kH + 60, Level::kIV, "office_director")
      .Declare("F", 2 * kH, std::nullopt, "office_director");  // ended before the termination conditions held
  Timeline t = b.Build(4 * kH);
  RuleSet renumbered = Rules();
  for (auto& term : renumbered.terminations)
    if (term.clause == "6.3.6") term.clause = "9.9.6";
  for (auto& r : renumbered.reporting) r.clause = "8.2" + r.clause.substr(r.clause.find('('));
  struct Case {
    const RuleSet* rules;
    const char* termination;
    const char* reporting;
  } cases[] = {{&Rules(), "(6.3.6)", "Upward reports (5.2):"}, {&renumbered, "(9.9.6)", "Upward reports (8.2):"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.termination);
    AuditReport a = Audit(t, *c.rules, AuditOptions{});
    const AuditFinding* early = nullptr;
    for (const auto& f : a.incidents[0].findings)
      if (f.code == "ended-early") early = &f;
    ASSERT_NE(early, nullptr);
    EXPECT_NE(early->detail.find(c.termination), std::string::npos) << early->detail;
    EXPECT_NE(early->detail_zh.find("（" + std::string(c.termination + 1, std::strlen(c.termination) - 2) + "）"),
              std::string::npos)
        << early->detail_zh;
    if (c.rules == &renumbered) {
      EXPECT_EQ(early->detail.find("6.3.6"), std::string::npos);
    }
    EXPECT_NE(AuditToText(a, *c.rules, "en").find(c.reporting), std::string::npos);
  }
}

}  // namespace
}  // namespace firebreak::timeline
