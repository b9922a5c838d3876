// Issue 12: per-office views of the duty board on the shared store (desk.h, OfficeStatus), against a real server
// (FIREBREAK_TEST_PG; skipped without it).
#include <map>
#include <utility>

#include "firebreak/store/desk.h"
#include "firebreak/timeline/audit.h"
#include "pg_fixture.h"

namespace firebreak::store::pgtest {
namespace {

std::vector<std::string> Ids(const timeline::StatusBoard& b) {
  std::vector<std::string> ids;
  for (const auto& line : b.incidents) ids.push_back(line.incident_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Two counties each with a dangerous fire (III for both by 6.3.2.1(5), counted over both offices), the city
// declares III for 柳城县's: the city sees both; each county sees its own fire, with the city's declaration on
// it, and not the other county's; the levels are the whole picture's (III, not a county's lone fire's none).
TEST_F(PgStore, EachCountySeesItsOwnIncidentsAndWhatTheCityDeclaredForThem) {
  for (const auto& [office, id, county, at] : {std::tuple{kLiucheng, "LC-1", "柳城县", "2026-01-28T12:00:00+08:00"},
                                               std::tuple{kLuzhai, "LZ-1", "鹿寨县", "2026-01-28T13:00:00+08:00"}}) {
    Store st = Open(office);
    Desk d(st, eng_, {}, At("2026-01-28T14:00:00+08:00"));
    d.Report(Report(id, at, county, 6, true), std::string(id) + ".json");
  }
  {
    Store city = Open(kCity);
    Desk d(city, eng_, {}, At("2026-01-28T14:00:00+08:00"));
    d.Declare("LC-1", engine::Level::kIII, "deputy_commander", T("2026-01-28T13:30:00+08:00"));
  }
  const Timestamp at = T("2026-01-28T14:00:00+08:00");
  auto board = [&](const char* office) {
    return OfficeStatus(Store::Open(OfficeUrl(office), As(office, OpenMode::kRead)), eng_, at, {});
  };
  EXPECT_EQ(Ids(board(kCity)), (std::vector<std::string>{"LC-1", "LZ-1"}));
  const timeline::StatusBoard lc = board(kLiucheng);
  ASSERT_EQ(Ids(lc), std::vector<std::string>{"LC-1"});
  EXPECT_EQ(lc.incidents[0].required, engine::Level::kIII);  // two dangerous fires in the city: 6.3.2.1(5)
  EXPECT_EQ(lc.incidents[0].declared, engine::Level::kIII);  // the city's declaration
  ASSERT_EQ(lc.timeline.incidents.size(), 1u);
  ASSERT_EQ(lc.audit.incidents.size(), 1u);
  EXPECT_EQ(lc.audit.incidents[0].incident_id, "LC-1");
  const std::string json = timeline::StatusToJson(lc, Rules());
  EXPECT_EQ(json.find("LZ-1"), std::string::npos) << json;  // nothing of the other county's fire
  const timeline::StatusBoard lz = board(kLuzhai);
  ASSERT_EQ(Ids(lz), std::vector<std::string>{"LZ-1"});
  EXPECT_EQ(lz.incidents[0].required, engine::Level::kIII);
  EXPECT_FALSE(lz.incidents[0].declared.has_value());
  EXPECT_TRUE(Ids(board(kRongan)).empty());  // a county without fires sees none
}

// `firebreak audit --all` of an office (KeepOfficeView): a county judges its own fires, judged on the whole
// picture's levels, and not another county's; the city judges every county's. The audit's verdict is over the
// incidents kept: 融安县, with no fire, has nothing missed even though the others owe 5.2(3) reports.
TEST_F(PgStore, AnOfficesAuditOfEveryIncidentJudgesTheIncidentsItSees) {
  for (const auto& [office, id, county, at] : {std::tuple{kLiucheng, "LC-1", "柳城县", "2026-01-28T12:00:00+08:00"},
                                               std::tuple{kLuzhai, "LZ-1", "鹿寨县", "2026-01-28T13:00:00+08:00"}}) {
    Store st = Open(office);
    Desk d(st, eng_, {}, At(at));
    d.Report(R"({"incident_id": ")" + std::string(id) + R"(", "reported_at": ")" + at + R"(", "county": ")" + county +
                 R"(", "open_fire_since": ")" + at + R"(", "burned_area_ha": 6, "deaths": 1, "dangerous": true})",
             std::string(id) + ".json");
  }
  auto audit = [&](const char* office) {
    Store st = Store::Open(OfficeUrl(office), As(office, OpenMode::kRead));
    std::vector<IncidentRecord> read;
    timeline::Timeline tl = StoredTimeline(st, eng_, T("2026-01-28T18:00:00+08:00"), false, nullptr, &read);
    timeline::AuditReport a = timeline::Audit(tl, Rules(), {});
    KeepOfficeView(st, Rules(), read, tl, a);
    std::vector<std::string> ids, tl_ids;
    for (const auto& x : a.incidents) ids.push_back(x.incident_id);
    for (const auto& x : tl.incidents) tl_ids.push_back(x.incident_id);
    EXPECT_EQ(ids, tl_ids) << office;  // the timeline kept with its audit (the HTML page draws both)
    return std::pair{ids, a.ok};
  };
  const auto [city, city_ok] = audit(kCity);
  EXPECT_EQ(city, (std::vector<std::string>{"LC-1", "LZ-1"}));
  EXPECT_FALSE(city_ok);  // the 5.2(3) reports owed on both, and III never declared
  const auto [lc, lc_ok] = audit(kLiucheng);
  EXPECT_EQ(lc, std::vector<std::string>{"LC-1"});
  EXPECT_FALSE(lc_ok);
  const auto [ra, ra_ok] = audit(kRongan);
  EXPECT_TRUE(ra.empty());
  EXPECT_TRUE(ra_ok);
}

// A fire of 柳城县 burning into 融安县 (3.3): the report names the second county (`crosses_into`); the desk links
// the incident to 融安县's office, whose board then shows it, with the lead one level up (crosses_boundary).
TEST_F(PgStore, AFireCrossingIntoASecondCountyIsOnBothCountiesBoards) {
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-12-09T17:00:00+08:00"));
    d.Report(Report("LC-1209", "2026-12-09T14:00:00+08:00", "柳城县", 30, false), "1.json");
    EXPECT_EQ(lc.FindIncident("LC-1209")->offices, std::vector<std::string>{kLiucheng});
    d.Report(R"({"incident_id": "LC-1209", "reported_at": "2026-12-09T16:00:00+08:00", "burned_area_ha": 70,
                 "crosses_into": "融安"})",
             "2.json");
    EXPECT_EQ(lc.FindIncident("LC-1209")->offices, (std::vector<std::string>{kLiucheng, kRongan}));
    // Named again: linked once.
    d.Report(R"({"incident_id": "LC-1209", "reported_at": "2026-12-09T16:30:00+08:00", "crosses_into": 450224})",
             "3.json");
    EXPECT_EQ(lc.FindIncident("LC-1209")->offices.size(), 2u);
  }
  const Timestamp at = T("2026-12-09T17:00:00+08:00");
  const timeline::StatusBoard ra =
      OfficeStatus(Store::Open(OfficeUrl(kRongan), As(kRongan, OpenMode::kRead)), eng_, at, {});
  ASSERT_EQ(Ids(ra), std::vector<std::string>{"LC-1209"});
  const auto& steps = ra.timeline.incidents.at(0).steps;
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps.back().lead, engine::Tier::kCity);  // 3.3: one fire across two areas, one level up
  EXPECT_TRUE(Ids(OfficeStatus(Store::Open(OfficeUrl(kLuzhai), As(kLuzhai, OpenMode::kRead)), eng_, at, {})).empty());
  // 融安县's office now writes it too (the database allows it: the incident is linked to it).
  Store rs = Open(kRongan);
  Desk d(rs, eng_, {}, At("2026-12-09T17:30:00+08:00"));
  EXPECT_NO_THROW(d.Report(R"({"incident_id": "LC-1209", "reported_at": "2026-12-09T17:20:00+08:00",
                               "burned_area_ha": 80})",
                           "ra.json"));
  VerifyResult v = VerifyAll();
  for (const auto& p : v.problems) ADD_FAILURE() << p;
}

// Interpretation shared-store-reports-upward: the city knows a county's report from the moment the county recorded
// it. A back-filled first report (recorded at 12:00, describing 10:00) starts the city's 5.2(3) clock at 12:00 (by
// 13:00, not yet overdue at 12:30); the same report recorded at 10:00 gives 11:00 (overdue at 12:30).
TEST_F(PgStore, TheCitysClockForABackFilledCountyReportStartsWhenTheCountyRecordedIt) {
  for (const auto& [id, recorded] : {std::pair<std::string, std::string>{"LZ-7", "2026-04-04T12:00:00+08:00"},
                                     std::pair<std::string, std::string>{"LZ-8", "2026-04-04T10:00:00+08:00"}}) {
    Store lz = Open(kLuzhai);
    Desk d(lz, eng_, {}, At(recorded));
    d.Report(R"({"incident_id": ")" + id + R"(", "reported_at": "2026-04-04T10:00:00+08:00", "county": "鹿寨县",
                 "open_fire_since": "2026-04-04T09:00:00+08:00", "burned_area_ha": 3, "deaths": 1})",
             "lz.json");
  }
  const std::vector<OwedReport> o = OwedReports(
      OfficeStatus(Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead)), eng_, T("2026-04-04T12:30:00+08:00"), {}),
      Rules());
  std::map<std::string, OwedReport> by_id;
  for (const OwedReport& x : o)
    if (x.clause == "5.2(3)") by_id[x.incident_id] = x;
  ASSERT_EQ(by_id.size(), 2u);
  EXPECT_EQ(by_id["LZ-7"].due_at, T("2026-04-04T10:00:00+08:00"));  // due by the facts
  EXPECT_EQ(by_id["LZ-7"].by, T("2026-04-04T13:00:00+08:00"));      // known when the county recorded it + 60 min
  EXPECT_FALSE(by_id["LZ-7"].overdue);
  EXPECT_EQ(by_id["LZ-8"].by, T("2026-04-04T11:00:00+08:00"));
  EXPECT_TRUE(by_id["LZ-8"].overdue);
}

// 5.2 level by level (interpretation shared-store-reports-upward): a county's first record of a fire is its report
// to the city office, made when recorded; the city's own 5.2(3) report (a death) is owed by the city office from
// the moment it could know (the county's record), and no longer once made.
TEST_F(PgStore, UpwardReportsGoCountyToCityToRegionWithTheirClocks) {
  {
    Store lz = Open(kLuzhai);
    Desk d(lz, eng_, {}, At("2026-04-04T10:00:00+08:00"));
    d.Report(R"({"incident_id": "LZ-9", "reported_at": "2026-04-04T10:00:00+08:00", "county": "鹿寨县",
                 "open_fire_since": "2026-04-04T09:00:00+08:00", "burned_area_ha": 3, "deaths": 1})",
             "lz.json");
    Desk later(lz, eng_, {}, At("2026-04-04T10:30:00+08:00"));
    later.Report(R"({"incident_id": "LZ-9", "reported_at": "2026-04-04T10:30:00+08:00", "burned_area_ha": 4})",
                 "lz2.json");
    const IncidentHistory h = lz.History("LZ-9");
    ASSERT_EQ(h.upward_reports.size(), 1u);  // the first record only
    EXPECT_EQ(h.upward_reports[0].clause, "5.2");
    EXPECT_EQ(h.upward_reports[0].to, std::vector<std::string>{"city_hq_office"});
    EXPECT_EQ(h.upward_reports[0].by, "county_hq");
    EXPECT_EQ(h.upward_reports[0].office, kLuzhai);
    EXPECT_EQ(h.upward_reports[0].at, T("2026-04-04T10:00:00+08:00"));  // when recorded
  }
  auto owed = [&](const char* office, const char* at) {
    return OwedReports(OfficeStatus(Store::Open(OfficeUrl(office), As(office, OpenMode::kRead)), eng_, T(at), {}),
                       Rules());
  };
  std::vector<OwedReport> o = owed(kCity, "2026-04-04T10:40:00+08:00");
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].incident_id, "LZ-9");
  EXPECT_EQ(o[0].clause, "5.2(3)");
  EXPECT_EQ(o[0].office, kCity);  // the city office reports to the city committee, government and the region
  EXPECT_EQ(o[0].reporter, "city_hq_office");
  EXPECT_NE(std::find(o[0].to.begin(), o[0].to.end(), "region_hq_office"), o[0].to.end());
  EXPECT_EQ(o[0].by, T("2026-04-04T11:00:00+08:00"));  // due at the county's record (10:00) + 60 min
  EXPECT_FALSE(o[0].overdue);
  EXPECT_TRUE(owed(kCity, "2026-04-04T11:01:00+08:00").at(0).overdue);
  EXPECT_EQ(owed(kLuzhai, "2026-04-04T10:40:00+08:00").size(), 1u);  // the county sees what the city owes on it
  EXPECT_NE(OwedReportsText(o, Rules(), "en").find("LZ-9 5.2(3): office 450200"), std::string::npos)
      << OwedReportsText(o, Rules(), "en");
  const std::string js = OwedReportsJson(o);
  EXPECT_NE(js.find(R"j({"incident_id":"LZ-9","clause":"5.2(3)","office":"450200","reporter":"city_hq_office")j"),
            std::string::npos)
      << js;
  EXPECT_NE(js.find(R"("due_at":"2026-04-04T10:00:00+08:00","by":"2026-04-04T11:00:00+08:00","overdue":false})"),
            std::string::npos)
      << js;
  {  // the binary: the county's `status --format json` names the office that owes the report, and by when
    FILE* p = ::popen((std::string(FIREBREAK_BINARY) +
                       " status --format json --at 2026-04-04T10:40:00+08:00 --store '" + OfficeUrl(kLuzhai) + "' 2>&1")
                          .c_str(),
                      "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    EXPECT_EQ(::pclose(p), 0) << out;
    EXPECT_NE(out.find(R"j(,"owed_reports":[{"incident_id":"LZ-9","clause":"5.2(3)","office":"450200")j"),
              std::string::npos)
        << out;
  }
  {
    Store city = Open(kCity);
    Desk d(city, eng_, {}, At("2026-04-04T10:50:00+08:00"));
    d.UpwardReport("LZ-9", "5.2(3)", {"city_party_committee", "city_government", "region_hq_office"},
                   T("2026-04-04T10:50:00+08:00"));
  }
  EXPECT_TRUE(owed(kCity, "2026-04-04T11:30:00+08:00").empty());
}

}  // namespace
}  // namespace firebreak::store::pgtest
