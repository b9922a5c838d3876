// The web desk on the shared PostgreSQL store (issue 12; docs/postgresql.md, "Per-office views"; docs/api.md):
// `firebreak serve --store postgresql://fb_<office>:…` shows the board as that office sees it — a county its own
// incidents with what the city declared for them, the city every county — and GET /api/status's "status" is
// `firebreak status --format json` of that office (store::StatusJson: timeline, audit and "owed_reports").
// Against a real server (FIREBREAK_TEST_PG; skipped without it).
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "../store/pg_fixture.h"
#include "desk_fixture.h"
#include "firebreak/server/server.h"
#include "firebreak/store/accounts.h"
#include "firebreak/store/desk.h"

namespace firebreak::store::pgtest {
namespace {

using server::testing::Client;
using server::testing::Reply;
using json = nlohmann::json;

class PgDesk : public PgStore {
 protected:
  void TearDown() override {
    if (server_) server_->Stop();
    server_.reset();
    if (had_key_)
      ::setenv("FIREBREAK_OFFICE_KEY", old_key_.c_str(), 1);
    else
      ::unsetenv("FIREBREAK_OFFICE_KEY");
    PgStore::TearDown();
  }

  // Two counties' fires, each with a death (5.2(3): the city office reports upward) and dangerous (III for both by
  // 6.3.2.1(5), counted over both offices); the city declares III for 柳城县's at 13:30.
  void Record() {
    for (const auto& [office, id, county, at] : {std::tuple{kLiucheng, "LC-1", "柳城县", "2026-01-28T12:00:00+08:00"},
                                                 std::tuple{kLuzhai, "LZ-1", "鹿寨县", "2026-01-28T13:00:00+08:00"}}) {
      Store st = Open(office);
      Desk d(st, eng_, {}, At(at));
      d.Report(R"({"incident_id": ")" + std::string(id) + R"(", "reported_at": ")" + at + R"(", "county": ")" + county +
                   R"(", "open_fire_since": ")" + at +
                   R"(", "burned_area_ha": 6, "deaths": 1, "dangerous": true, "sensitive_period": false})",
               std::string(id) + ".json");
    }
    Store city = Open(kCity);
    Desk d(city, eng_, {}, At("2026-01-28T13:40:00+08:00"));
    d.Declare("LC-1", engine::Level::kIII, "deputy_commander", T("2026-01-28T13:30:00+08:00"));
  }

  // The desk of `office` (its database role), at 13:50, with one user of `role`; returns the signed-in client.
  Client Serve(const std::string& office, const std::string& role) {
    if (const char* k = std::getenv("FIREBREAK_OFFICE_KEY")) {
      had_key_ = true;
      old_key_ = k;
    }
    ::setenv("FIREBREAK_OFFICE_KEY", KeyOf(office).c_str(), 1);  // the office's own key (its audit chain)
    {
      Store st = Open(office);
      Accounts acc(st, Rules(), PasswordCost::kMinimal);
      acc.AddUser("duty", role, "值班员", "duty-password", "test", T("2026-01-28T07:00:00+08:00"));
    }
    server::ServerOptions o;
    o.port = 0;
    o.store_path = OfficeUrl(office);
    o.test_clock = T("2026-01-28T13:50:00+08:00");
    o.password_cost = PasswordCost::kMinimal;
    server_ = std::make_unique<server::Server>(Rules(), o);
    server_->Start();
    Client c(server_->port());
    const Reply r = c.Login("duty", "duty-password");
    EXPECT_EQ(r.status, 200) << r.body;
    return c;
  }

  // GET /api/status, and `firebreak status --format json` of the same office at the desk's moment.
  std::pair<json, json> StatusAndCli(Client& c, const std::string& office) {
    const Reply r = c.Get("/api/status");
    EXPECT_EQ(r.status, 200) << r.body;
    const json j = r.Json();
    const Timestamp now = T(j["now"].get<std::string>());
    Store st = Store::Open(OfficeUrl(office), As(office, OpenMode::kRead));
    const json cli = json::parse(StatusJson(st, OfficeStatus(st, eng_, now, {}), Rules()));
    return {j, cli};
  }

  static std::vector<std::string> BoardIds(const json& j) {
    std::vector<std::string> ids;
    for (const auto& row : j["board"]) ids.push_back(row["incident_id"]);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  // The incidents GET /api/audit (the audit of every incident) judges.
  static std::vector<std::string> AuditIds(Client& c) {
    const Reply r = c.Get("/api/audit");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const json j = r.Json();
    for (const auto& a : j["incidents"]) ids.push_back(a["incident_id"]);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static std::vector<std::string> Owed(const json& j) {  // "incident clause office overdue"
    std::vector<std::string> out;
    for (const auto& o : j["status"]["owed_reports"])
      out.push_back(o["incident_id"].get<std::string>() + " " + o["clause"].get<std::string>() + " " +
                    o["office"].get<std::string>() + (o["overdue"].get<bool>() ? " overdue" : ""));
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<server::Server> server_;
  bool had_key_ = false;
  std::string old_key_;
};

// A county's desk: its own fire only (board, map positions, status timeline and audit), with the city's
// declaration on it and the level of the whole picture (III: two dangerous fires in two counties); the 5.2(3)
// report the city owes on it (overdue: due at the county's record, 12:00, by 13:00). Its status is the CLI's.
TEST_F(PgDesk, ACountysDeskShowsItsOwnIncidentsAndWhatTheCityOwesOnThem) {
  Record();
  Client c = Serve(kLiucheng, "county_hq");
  auto [j, cli] = StatusAndCli(c, kLiucheng);
  EXPECT_EQ(j["office"]["id"], kLiucheng);
  EXPECT_EQ(j["office"]["kind"], "county");
  ASSERT_EQ(BoardIds(j), std::vector<std::string>{"LC-1"});
  EXPECT_EQ(j["board"][0]["required"], "III");  // 6.3.2.1(5): counted over both counties
  EXPECT_EQ(j["board"][0]["declared"], "III");  // the city's declaration
  ASSERT_EQ(j["incidents"].size(), 1u);
  EXPECT_EQ(j["incidents"][0]["incident_id"], "LC-1");
  EXPECT_EQ(j.dump().find("LZ-1"), std::string::npos) << "another county's fire on the county's desk";
  EXPECT_EQ(Owed(j), std::vector<std::string>{"LC-1 5.2(3) 450200 overdue"});
  EXPECT_EQ(j["status"], cli);  // `firebreak status --format json` of the office, at the same moment
  EXPECT_EQ(AuditIds(c), std::vector<std::string>{"LC-1"});  // the audit of every incident: the office's
  const Reply other = c.Get("/api/incidents/LZ-1/audit");    // named: offices read every record (docs/postgresql.md)
  EXPECT_EQ(other.status, 200) << other.body;
}

// The city's desk: every county's fire; the 5.2(3) reports it owes on both (柳城县's overdue, 鹿寨县's due by 14:00).
TEST_F(PgDesk, TheCitysDeskShowsEveryCountyAndTheReportsItOwes) {
  Record();
  Client c = Serve(kCity, "city_hq_office");
  auto [j, cli] = StatusAndCli(c, kCity);
  EXPECT_EQ(j["office"]["id"], kCity);
  EXPECT_EQ(j["office"]["kind"], "city");
  EXPECT_EQ(BoardIds(j), (std::vector<std::string>{"LC-1", "LZ-1"}));
  EXPECT_EQ(j["incidents"].size(), 2u);
  EXPECT_EQ(Owed(j), (std::vector<std::string>{"LC-1 5.2(3) 450200 overdue", "LZ-1 5.2(3) 450200"}));
  EXPECT_EQ(j["status"], cli);
  EXPECT_EQ(AuditIds(c), (std::vector<std::string>{"LC-1", "LZ-1"}));
}

// A county without fires sees an empty board and owes nothing; neither the handover sheet nor the incident list
// shows another county's records.
TEST_F(PgDesk, ACountyWithoutFiresSeesNoneOfTheOthers) {
  Record();
  Client c = Serve(kRongan, "county_hq");
  auto [j, cli] = StatusAndCli(c, kRongan);
  EXPECT_TRUE(BoardIds(j).empty());
  EXPECT_TRUE(j["status"]["owed_reports"].empty());
  EXPECT_EQ(j["status"], cli);
  // Not signed in to a shift: the sheet covers the last 12 h, the other counties' records included were they shown.
  const Reply h = c.Get("/api/shift/handover");
  EXPECT_EQ(h.status, 200) << h.body;
  EXPECT_EQ(h.body.find("LC-1"), std::string::npos) << h.body;
  EXPECT_EQ(h.body.find("LZ-1"), std::string::npos) << h.body;
  const Reply l = c.Get("/api/incidents");
  EXPECT_EQ(l.status, 200) << l.body;
  EXPECT_EQ(l.Json(), json::array()) << l.body;
  const Reply a = c.Get("/api/audit");  // judged on none of the others' fires, and so nothing missed
  EXPECT_EQ(a.status, 200) << a.body;
  const json aj = a.Json();
  EXPECT_TRUE(aj["incidents"].empty()) << a.body;
  EXPECT_TRUE(aj["ok"].get<bool>()) << a.body;
}

}  // namespace
}  // namespace firebreak::store::pgtest
