// The desk's JSON API against the in-process server: the same answers as the CLI's library calls, the
// person and role behind every record, refusals by role, and nothing half-written on bad input.
#include <yaml-cpp/yaml.h>

#include <thread>

#include "desk_fixture.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"

namespace firebreak::server::testing {
namespace {

// The store's record counts (what verify sees), to prove that a refused request wrote nothing.
std::string Counts(Client& c) {
  json v = c.Get("/api/store/verify").Json();
  return v.dump();
}

TEST_F(DeskTest, AssessAnswersWhatTheLibraryAnswers) {
  Client c = SignedIn("duty");
  const std::string report = ReportIII().dump();
  Reply r = c.Post("/api/assess", report);
  ASSERT_EQ(r.status, 200) << r.body;
  // The same library call the CLI makes: ParseReports + AssessAll + DecisionToJson.
  engine::Engine eng(Rules());
  auto incidents = format::ParseReports(report, "x", Rules());
  const std::string expected = format::DecisionToJson(eng.AssessAll(incidents)[0], Rules(), format::JsonDetail::kFull);
  EXPECT_EQ(r.body, expected);
  EXPECT_EQ(r.Json()["response_level"], "III");
  // ?detail=compact: the CLI's default rendering (format::JsonDetail::kCompact); anything else but full: 400.
  Reply compact = c.Post("/api/assess?detail=compact", report);
  ASSERT_EQ(compact.status, 200) << compact.body;
  EXPECT_EQ(compact.body, format::DecisionToJson(eng.AssessAll(incidents)[0], Rules(), format::JsonDetail::kCompact));
  EXPECT_LT(compact.body.size(), r.body.size());
  EXPECT_EQ(c.Post("/api/assess?detail=full", report).body, r.body);
  EXPECT_EQ(c.Post("/api/assess?detail=short", report).status, 400);
  // ?at: what the clock will require (48 h of open fire outside a sensitive period: II); before the report: 400.
  EXPECT_EQ(c.Post("/api/assess?at=2026-04-06T07:59:59%2B08:00", report).Json()["response_level"], "III");
  EXPECT_EQ(c.Post("/api/assess?at=2026-04-06T08:00:00%2B08:00", report).Json()["response_level"], "II");
  Reply early = c.Post("/api/assess?at=2026-04-04T07:00:00%2B08:00", report);
  EXPECT_EQ(early.status, 400);
  EXPECT_EQ(early.Kind(), "usage");
  // An array: concurrent incidents.
  Reply two = c.Post("/api/assess", json::array({ReportIII("A"), ReportIII("B")}).dump());
  ASSERT_EQ(two.status, 200);
  EXPECT_EQ(two.Json().size(), 2u);
  // The lean verdict (Engine::Evaluate): the same level as the full decision; one report only.
  Reply v = c.Post("/api/assess?view=verdict", report);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.Json()["response_level"], "III");
  EXPECT_EQ(v.Json()["lead"], r.Json()["lead"]["tier"]);
  EXPECT_EQ(v.Json()["reporting_due"].get<std::size_t>(), r.Json()["reporting"].size());
  EXPECT_EQ(c.Post("/api/assess?view=verdict", json::array({ReportIII("A"), ReportIII("B")}).dump()).status, 422);
  // The text sheet.
  Reply text = c.Request("POST", "/api/assess?format=text&lang=en", report);
  EXPECT_NE(text.body.find("[Response] level III"), std::string::npos) << text.body;
  EXPECT_EQ(Counts(c), Counts(c));
  EXPECT_EQ(c.Get("/api/incidents").Json().size(), 0u) << "assess records nothing";
}

TEST_F(DeskTest, ReportErrorsCarryTheFieldPathAndRecordNothing) {
  Client c = SignedIn("duty");
  const std::string before = Counts(c);
  struct Case {
    json report;
    int status;
    std::string path;
    std::string says;
  } cases[] = {
      {[] {
         auto r = ReportIII();
         r["burned_area_ha"] = -3;
         return r;
       }(),
       422, "/burned_area_ha", "must be >= 0, got -3"},
      {[] {
         auto r = ReportIII();
         r["deaths"] = 1.5;
         return r;
       }(),
       422, "/deaths", "whole number"},
      {[] {
         auto r = ReportIII();
         r["burnt_area_ha"] = 3;
         return r;
       }(),
       422, "/burnt_area_ha", "did you mean 'burned_area_ha'"},
      {[] {
         auto r = ReportIII();
         r["weather"] = {{"humidity_pct", 120}};
         return r;
       }(),
       422, "/weather/humidity_pct", "<= 100"},
      {[] {
         auto r = ReportIII();
         r["county"] = "柳州县";
         return r;
       }(),
       422, "/county", "unknown county"},
      {[] {
         auto r = ReportIII();
         r["reported_at"] = "2026-04-04 09:30";
         return r;
       }(),
       422, "/reported_at", "ISO 8601"},
      {[] {
         auto r = ReportIII();
         r["burned_area_ha"] = "12";
         return r;
       }(),
       422, "/burned_area_ha", "must be a number"},
      {[] {
         auto r = ReportIII();
         r.erase("incident_id");
         return r;
       }(),
       422, "/", "missing required field 'incident_id'"},  // the one report reader's words (format/)
  };
  for (const auto& k : cases) {
    Reply r = c.Post("/api/reports", k.report);
    EXPECT_EQ(r.status, k.status) << k.report.dump() << " -> " << r.body;
    EXPECT_EQ(r.Path(), k.path) << r.body;
    EXPECT_NE(r.Message().find(k.says), std::string::npos) << r.body;
    EXPECT_EQ(r.Json()["error"]["exit_code"], 4);
  }
  // A batch with one bad report records none of them.
  json batch = json::array({ReportIII("A"), [] {
                              auto r = ReportIII("B");
                              r["deaths"] = -1;
                              return r;
                            }()});
  Reply r = c.Post("/api/reports", batch.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.Path(), "/deaths") << r.body;
  EXPECT_NE(r.Json()["error"]["where"].get<std::string>().find("/1"), std::string::npos) << "the second report";
  Reply malformed = c.Post("/api/reports", std::string("{\"incident_id\": \"X\", "));
  EXPECT_EQ(malformed.status, 422);
  EXPECT_NE(malformed.Message().find("syntax"), std::string::npos) << malformed.body;
  EXPECT_EQ(Counts(c), before) << "nothing was written";
  EXPECT_EQ(c.Get("/api/incidents").Json().size(), 0u);
}

TEST_F(DeskTest, ReportDeclareUpwardCloseRecordThePersonAndRole) {
  Client duty = SignedIn("duty"), deputy = SignedIn("deputy");
  Reply rec = duty.Post("/api/reports", ReportIII());
  ASSERT_EQ(rec.status, 201) << rec.body;
  EXPECT_EQ(rec.Json()["response_level"], "III");
  Reply d = deputy.Post("/api/incidents/F-1/declare", json{{"level", "III"}, {"expect_declared", nullptr}});
  ASSERT_EQ(d.status, 201) << d.body;
  EXPECT_EQ(d.Json()["by"], "deputy_commander");
  EXPECT_EQ(d.Json()["at"], kStart) << "recorded at the desk's clock";
  Reply up =
      duty.Post("/api/incidents/F-1/upward",
                json{{"clause", "5.2(3)"}, {"to", {"city_party_committee", "city_government", "region_hq_office"}}});
  ASSERT_EQ(up.status, 201) << up.body;
  json inc = duty.Get("/api/incidents/F-1").Json();
  EXPECT_EQ(inc["declared"], "III");
  EXPECT_EQ(inc["declarations"][0]["by"], "deputy_commander");
  EXPECT_EQ(inc["declarations"][0]["by_user"]["username"], "deputy");
  EXPECT_EQ(inc["reports"][0]["by_user"]["username"], "duty");
  EXPECT_EQ(inc["reports"][0]["source"], "web:duty");
  EXPECT_EQ(inc["upward_reports"][0]["by_user"]["username"], "duty");
  EXPECT_EQ(inc["decision"]["response_level"], "III");
  // The audit (the library's) sees the declaration on time and by the right role.
  json audit = duty.Get("/api/incidents/F-1/audit?format=json").Json();
  json esc = audit["incidents"][0]["escalations"][0];
  EXPECT_EQ(esc["to"], "III");
  EXPECT_EQ(esc["declared_by"], "deputy_commander");
  EXPECT_EQ(esc["verdict"], "ok") << esc.dump();
  // Close: by a decider; then the incident is closed and no longer on the board.
  Reply closed = deputy.Post("/api/incidents/F-1/close", json{{"expect_declared", "III"}});
  ASSERT_EQ(closed.status, 201) << closed.body;
  EXPECT_TRUE(duty.Get("/api/status").Json()["board"].empty());
  EXPECT_EQ(duty.Get("/api/incidents/F-1").Json()["incident"]["closed_by"], "deputy_commander");
  json v = duty.Get("/api/store/verify").Json();
  EXPECT_TRUE(v["ok"]) << v.dump();
}

// A late report (earlier than one recorded before it) is recorded; the incident JSON says when the desk recorded
// each report and marks exactly the late one — the timeline's own test (timeline::LateReports), both sides.
TEST_F(DeskTest, IncidentJsonMarksLateReportsWithWhenRecorded) {
  Client duty = SignedIn("duty");
  json first = ReportIII(), later = ReportIII(), earlier = ReportIII();
  first["reported_at"] = "2026-04-04T08:00:00+08:00";
  later["reported_at"] = "2026-04-04T08:03:00+08:00";
  earlier["reported_at"] = "2026-04-04T08:01:00+08:00";  // recorded after 08:03: late
  for (const json* r : {&first, &later, &earlier}) ASSERT_EQ(duty.Post("/api/reports", *r).status, 201);
  const json reports = duty.Get("/api/incidents/F-1").Json()["reports"];
  ASSERT_EQ(reports.size(), 3u) << reports.dump();
  std::map<std::string, bool> late;
  for (const auto& r : reports) {
    late[r["reported_at"].get<std::string>()] = r["late"].get<bool>();
    // The desk's clock (here the test clock, which runs on from kStart), not the machine's.
    const auto at = ParseIso8601(r["recorded_at"].get<std::string>());
    ASSERT_TRUE(at) << r.dump();
    EXPECT_NEAR(static_cast<double>(at->epoch_s - ParseIso8601(kStart)->epoch_s), 30.0, 30.0) << r.dump();
  }
  EXPECT_EQ(late, (std::map<std::string, bool>{{"2026-04-04T08:00:00+08:00", false},
                                               {"2026-04-04T08:01:00+08:00", true},
                                               {"2026-04-04T08:03:00+08:00", false}}));
}

// The board's overdue items count from when the office owed them (timeline::OwedSince): a death reported late
// (describing 08:01, recorded after the 08:03 report) makes III and 5.2(3) due at 08:01 by the facts but owed
// only from its recording, as the audit judges it; a fire reported in order (F-2) owes them from the time due.
TEST_F(DeskTest, BoardOverdueItemsCountFromWhenTheOfficeCouldKnow) {
  Client duty = SignedIn("duty");
  json first = ReportIII(), later = ReportIII(), earlier = ReportIII();
  first["deaths"] = 0;
  later.erase("deaths");  // says nothing of casualties
  later["reported_at"] = "2026-04-04T08:03:00+08:00";
  earlier["reported_at"] = "2026-04-04T08:01:00+08:00";  // the death, recorded after 08:03: late
  for (const json* r : {&first, &later, &earlier}) ASSERT_EQ(duty.Post("/api/reports", *r).status, 201);
  ASSERT_EQ(duty.Post("/api/reports", ReportIII("F-2")).status, 201);
  ASSERT_EQ(duty.Post("/api/test/clock", json{{"set", "2026-04-04T10:00:00+08:00"}}).status, 200);  // all undone
  const json status = duty.Get("/api/status").Json();
  std::map<std::string, json> items;  // "F-1 level:III" -> item
  for (const auto& row : status["board"])
    for (const auto& o : row["overdue"])
      items[row["incident_id"].get<std::string>() + " " + o["item"].get<std::string>()] = o;
  for (const char* key : {"F-1 level:III", "F-1 report:5.2(3)"}) {
    ASSERT_TRUE(items.count(key)) << key << " " << status["board"].dump();
    const json& o = items[key];
    EXPECT_EQ(o["due_at"], "2026-04-04T08:01:00+08:00") << key;
    ASSERT_FALSE(o["known_at"].is_null()) << key;
    EXPECT_EQ(o["since"], o["known_at"]) << key;
    const auto since = ParseIso8601(o["since"].get<std::string>());
    ASSERT_TRUE(since) << key;
    EXPECT_GE(since->epoch_s, ParseIso8601(kStart)->epoch_s) << key;  // recorded on the desk's clock, after 08:05
  }
  for (const char* key : {"F-2 level:III", "F-2 report:5.2(3)"}) {
    ASSERT_TRUE(items.count(key)) << key << " " << status["board"].dump();
    EXPECT_EQ(items[key]["since"], items[key]["due_at"]) << key;
  }
}

// Only roles that decide a level may declare or close; the HQ office's duty officers and the deciders enter
// reports; a role that decides nothing and reports nothing (the expert group) only looks.
TEST_F(DeskTest, EachRefusalByRole) {
  Client duty = SignedIn("duty"), expert = SignedIn("expert"), director = SignedIn("director");
  ASSERT_EQ(duty.Post("/api/reports", ReportIII()).status, 201);
  const std::string before = Counts(duty);
  struct Case {
    Client* who;
    std::string target;
    json body;
  } refused[] = {
      {&duty, "/api/incidents/F-1/declare", {{"level", "III"}, {"expect_declared", nullptr}}},
      {&duty, "/api/incidents/F-1/close", {{"expect_declared", nullptr}}},
      {&expert, "/api/incidents/F-1/declare", {{"level", "III"}, {"expect_declared", nullptr}}},
      {&expert, "/api/reports", ReportIII("F-2")},
      {&expert, "/api/incidents/F-1/upward", {{"clause", "5.2(3)"}, {"to", {"city_government"}}}},
      {&expert, "/api/incidents/F-1/ack", {{"item", "level:III"}}},
  };
  for (auto& k : refused) {
    Reply r = k.who->Post(k.target, k.body);
    EXPECT_EQ(r.status, 403) << k.target << ": " << r.body;
    EXPECT_EQ(r.Kind(), "forbidden");
  }
  EXPECT_EQ(Counts(duty), before) << "a refusal writes nothing";
  // The expert may still look and assess.
  EXPECT_EQ(expert.Get("/api/status").status, 200);
  EXPECT_EQ(expert.Post("/api/assess", ReportIII()).status, 200);
  // A declaration never takes a role or person from the body.
  for (const char* k : {"by", "role"}) {
    Reply r = director.Post("/api/incidents/F-1/declare",
                            json{{"level", "III"}, {"expect_declared", nullptr}, {k, "commander"}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.Path(), std::string("/") + k);
  }
  // The office director decides IV only: declaring III is recorded (a role that decides a level), and the
  // audit says the wrong role declared.
  Reply d = director.Post("/api/incidents/F-1/declare", json{{"level", "III"}, {"expect_declared", nullptr}});
  ASSERT_EQ(d.status, 201) << d.body;
  json esc = director.Get("/api/incidents/F-1/audit?format=json").Json()["incidents"][0]["escalations"][0];
  EXPECT_EQ(esc["declared_by"], "office_director");
  EXPECT_EQ(esc["role"], "wrong-role") << esc.dump();
}

TEST_F(DeskTest, RequestObjectsAreStrict) {
  Client deputy = SignedIn("deputy");
  ASSERT_EQ(deputy.Post("/api/reports", ReportIII()).status, 201);
  struct Case {
    std::string body;
    int status;
    std::string path;
    std::string says;
  } cases[] = {
      {R"({"level":"III"})", 422, "/expect_declared", "missing required field"},
      {R"({"levle":"III","expect_declared":null})", 422, "/level", "missing required field 'level'"},
      {R"({"level":"III","expect_declared":null,"levle":"II"})", 422, "/levle", "did you mean 'level'"},
      {R"({"level":3,"expect_declared":null})", 422, "/level", "must be a string, got a number"},
      {R"({"level":"V","expect_declared":null})", 422, "/level", "unknown level 'V'"},
      {R"(["III"])", 422, "/", "expected a JSON object"},
      {R"({"level":"III",)", 422, "", "malformed JSON"},
  };
  for (const auto& k : cases) {
    Reply r = deputy.Post("/api/incidents/F-1/declare", k.body);
    EXPECT_EQ(r.status, k.status) << k.body << " -> " << r.body;
    EXPECT_EQ(r.Path(), k.path) << r.body;
    EXPECT_NE(r.Message().find(k.says), std::string::npos) << r.body;
  }
  Reply up = deputy.Post("/api/incidents/F-1/upward", json{{"clause", "5.2(33)"}, {"to", {"city_government"}}});
  EXPECT_EQ(up.status, 422);
  EXPECT_EQ(up.Path(), "/clause") << up.body;
  up = deputy.Post("/api/incidents/F-1/upward", json{{"clause", "5.2(3)"}, {"to", {"city_govenment"}}});
  EXPECT_EQ(up.Path(), "/to") << up.body;
  EXPECT_NE(up.Message().find("did you mean 'city_government'"), std::string::npos) << up.body;
  Reply nf = deputy.Post("/api/incidents/NOPE/declare", json{{"level", "III"}, {"expect_declared", nullptr}});
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.Json()["error"]["exit_code"], 8);
  EXPECT_TRUE(deputy.Get("/api/incidents/F-1").Json()["declarations"].empty());
}

// Two officers declare at once, each from the page that showed "not declared": one declaration is recorded,
// the other is refused with who declared what, and the store holds exactly one.
TEST_F(DeskTest, TwoOfficersDeclaringAtOnce) {
  Client duty = SignedIn("duty"), deputy = SignedIn("deputy"), commander = SignedIn("commander");
  ASSERT_EQ(duty.Post("/api/reports", ReportIII()).status, 201);
  Reply a, b;
  std::thread t1([&] {
    a = deputy.Post("/api/incidents/F-1/declare", json{{"level", "III"}, {"expect_declared", nullptr}});
  });
  std::thread t2([&] {
    b = commander.Post("/api/incidents/F-1/declare", json{{"level", "III"}, {"expect_declared", nullptr}});
  });
  t1.join();
  t2.join();
  std::vector<int> statuses = {a.status, b.status};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{201, 409})) << a.body << "\n" << b.body;
  const Reply& lost = a.status == 409 ? a : b;
  EXPECT_EQ(lost.Kind(), "conflict");
  EXPECT_EQ(lost.Path(), "/expect_declared");
  EXPECT_NE(lost.Message().find("declared by"), std::string::npos) << lost.body;
  EXPECT_EQ(duty.Get("/api/incidents/F-1").Json()["declarations"].size(), 1u);
}

TEST_F(DeskTest, DrillsReplayBundledScenariosOnly) {
  Client c = SignedIn("expert");
  json list = c.Get("/api/scenarios").Json();
  ASSERT_GE(list.size(), 12u);
  Reply r = c.Post("/api/drill", json{{"scenario", "10-late-declaration"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json d = r.Json();
  EXPECT_TRUE(d["ok"]) << r.body.substr(0, 400);
  ASSERT_FALSE(d["checks"].empty());
  int timed = 0;
  for (const auto& k : d["checks"]) timed += k["at"].is_string();
  EXPECT_GT(timed, 0) << "checks carry the moment they are about";
  EXPECT_EQ(c.Post("/api/drill", json{{"scenario", "../../rules/liuzhou-2022"}}).status, 404);
  Reply near = c.Post("/api/drill", json{{"scenario", "10-late-declaratio"}});
  EXPECT_NE(near.Message().find("did you mean '10-late-declaration'"), std::string::npos) << near.body;
  EXPECT_TRUE(c.Get("/api/incidents").Json().empty()) << "a drill never touches the duty store";
}

TEST_F(DeskTest, ShiftSignInOutRecordsTheHandoverSheet) {
  Client duty = SignedIn("duty");
  ASSERT_EQ(duty.Post("/api/reports", ReportIII()).status, 201);
  EXPECT_EQ(duty.Post("/api/shift/sign-out", std::string("{}")).status, 409) << "not signed in yet";
  ASSERT_EQ(duty.Post("/api/shift/sign-in", std::string("{}")).status, 201);
  EXPECT_EQ(duty.Post("/api/shift/sign-in", std::string("{}")).status, 409);
  EXPECT_EQ(duty.Get("/api/status").Json()["on_duty"][0]["username"], "duty");
  json sheet = duty.Get("/api/shift/handover").Json();
  EXPECT_EQ(sheet["open_incidents"][0]["incident_id"], "F-1");
  Reply out = duty.Post("/api/shift/sign-out", json{{"note", "F-1 待副指挥长宣布"}});
  ASSERT_EQ(out.status, 201) << out.body;
  json events = out.Json()["events"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["kind"], "sign_out");
  EXPECT_EQ(events[1]["note"], "F-1 待副指挥长宣布");
  EXPECT_EQ(events[1]["handover"]["open_incidents"][0]["incident_id"], "F-1");
  EXPECT_TRUE(duty.Get("/api/status").Json()["on_duty"].empty());
  EXPECT_TRUE(duty.Get("/api/store/verify").Json()["ok"]);
}

TEST_F(DeskTest, MapsAreAbsentWithoutGeo) {
  Client c = SignedIn("duty");
  for (const char* t : {"/api/map/layers", "/api/map/hillshade", "/api/terrain?lon=109.3&lat=25",
                        "/api/deploy?incident=F-1", "/api/forecast?incident=F-1"}) {
    Reply r = c.Get(t);
    EXPECT_EQ(r.status, 404) << t;
    EXPECT_NE(r.Message().find("configured"), std::string::npos) << r.body;
  }
  json meta = c.Get("/api/meta").Json();
  EXPECT_FALSE(meta["maps"]["dem"]);
  EXPECT_FALSE(meta["maps"]["forecast"]);
  EXPECT_EQ(meta["levels"].size(), 4u);
  EXPECT_TRUE(meta["roles"][0]["permissions"].is_object());
}

// docs/openapi.yaml and the server agree: every documented path and method exists (no 404 "no such API
// endpoint", no 405).
TEST_F(DeskTest, EveryDocumentedEndpointExists) {
  Client c = SignedIn("deputy");
  ASSERT_EQ(c.Post("/api/reports", ReportIII()).status, 201);
  const YAML::Node doc = YAML::LoadFile(std::string(FIREBREAK_SOURCE_DIR) + "/docs/openapi.yaml");
  int checked = 0;
  for (const auto& p : doc["paths"]) {
    std::string path = p.first.as<std::string>();
    if (path == "/api/events" || path == "/api/logout" || path == "/api/test/expire-sessions") continue;  // below
    if (const auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "F-1");
    for (const auto& m : p.second) {
      std::string method = m.first.as<std::string>();
      if (method == "parameters") continue;
      for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      Reply r = c.Request(method, path, method == "POST" ? "{}" : "");
      EXPECT_NE(r.status, 405) << method << " " << path;
      EXPECT_EQ(r.Message().find("no such API endpoint"), std::string::npos) << method << " " << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 28);
  EXPECT_EQ(c.Post("/api/logout", std::string()).status, 200);
}

}  // namespace
}  // namespace firebreak::server::testing
