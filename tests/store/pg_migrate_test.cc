// Issue 12: migration between an office's SQLite file and the shared PostgreSQL store (store/migrate.h) against a
// real server (FIREBREAK_TEST_PG; skipped without it). Round trip SQLite → PostgreSQL → SQLite gives the same
// timeline and audit (timeline::TimelineToJson / AuditToJson of the stored incidents, an independent read of each
// store) and every chain verifies; a tampered source, a conflicting destination and a record the database
// refuses leave the destination as it was.
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "firebreak/common/error.h"
#include "firebreak/store/drill.h"
#include "firebreak/store/migrate.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/scenario.h"
#include "pg_fixture.h"

namespace firebreak::store::pgtest {
namespace {

class PgMigrate : public PgStore {
 protected:
  // A drill replayed into a new SQLite file of no office (a county desk before the shared store), signed with the
  // migrating office's key.
  std::string DrillFile(const std::string& scenario, const std::string& name, const std::string& office = kCity) {
    const std::string path = (dir_ / name).string();
    timeline::Scenario sc = timeline::LoadScenario(FIREBREAK_SOURCE_DIR "/scenarios/" + scenario, &Rules());
    DrillOptions o;
    o.store_path = path;
    ::setenv("FIREBREAK_OFFICE_KEY", KeyOf(office).c_str(), 1);
    EXPECT_TRUE(RunDrill(sc, eng_, o).ok());
    return path;
  }
  MigrateOptions Opts(const std::string& office = "") const {
    MigrateOptions m;
    m.office = office;
    m.key_file = KeyOf(office.empty() ? kCity : office);
    m.key_dir = (dir_ / "keys").string();
    m.rules = &Rules();
    return m;
  }
  // The timeline and audit of everything in a store, as JSON (to compare two stores).
  std::string TimelineAndAudit(const std::string& path) const {
    OpenOptions o = As(kCity, OpenMode::kRead);
    Store st = Store::Open(path, o);
    const timeline::Timeline tl = StoredTimeline(st, eng_, T("2027-01-01T00:00:00+08:00"), false);
    return timeline::TimelineToJson(tl, Rules()) + "\n" +
           timeline::AuditToJson(timeline::Audit(tl, Rules(), timeline::AuditOptions{}), Rules());
  }
  std::int64_t AuditEntries() const { return VerifyAll().audit_entries; }
};

TEST_F(PgMigrate, RoundTripSqliteToPgToSqliteGivesTheSameTimelineAndAudit) {
  const std::string a = DrillFile("07-two-dangerous-fires.yaml", "a.sqlite");
  const std::string b = (dir_ / "b.sqlite").string();
  MigrateResult in = Migrate(a, OfficeUrl(kCity), Opts());
  EXPECT_EQ(in.incidents_copied, 2);
  EXPECT_GT(in.records_copied, 6);
  EXPECT_TRUE(in.from_before.ok && in.to_before.ok && in.to_after.ok && in.from_after.ok);
  // Linked as the desk links a new incident: to its county's office (the city recorded for them).
  {
    Store city = Open(kCity);
    EXPECT_EQ(city.FindIncident("RA-0128")->offices, std::vector<std::string>{kRongan});
    EXPECT_EQ(city.FindIncident("RS-0128")->offices, std::vector<std::string>{kRongshui});
  }
  EXPECT_EQ(TimelineAndAudit(OfficeUrl(kCity)), TimelineAndAudit(a));
  // Run again: every incident is there with the same records, nothing is written twice.
  const std::int64_t entries = AuditEntries();
  MigrateResult again = Migrate(a, OfficeUrl(kCity), Opts());
  EXPECT_EQ(again.incidents_copied, 0);
  EXPECT_EQ(again.incidents_present, 2);
  EXPECT_EQ(AuditEntries(), entries);
  // Back out into an archive.
  MigrateResult out = Migrate(OfficeUrl(kCity), b, Opts());
  EXPECT_EQ(out.incidents_copied, 2);
  EXPECT_FALSE(out.to_existed);
  EXPECT_EQ(out.office, kCity);
  EXPECT_EQ(TimelineAndAudit(b), TimelineAndAudit(a));
  VerifyOptions vo;
  vo.key_file = KeyOf(kCity);
  EXPECT_TRUE(VerifyStore(b, vo).ok);
  EXPECT_FALSE(fs::exists(b + ".migrating"));
  EXPECT_TRUE(fs::exists(HeadSidecarPath(b)));
  for (const auto& h : Store::Open(a, As(kCity, OpenMode::kRead)).AllHistories())
    EXPECT_EQ(HistoryFingerprint(Store::Open(b, As(kCity, OpenMode::kRead)).History(h.incident.incident_id)),
              HistoryFingerprint(h));
}

TEST_F(PgMigrate, AnArchiveOfOneCountyHoldsOnlyItsIncidents) {
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
    d.UpwardReport("LC-1", "5.2(1)", {"city_government"}, T("2026-03-01T10:20:00+08:00"));
  }
  {
    Store lz = Open(kLuzhai);
    Desk d(lz, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LZ-1", "2026-03-01T10:00:00+08:00", "鹿寨县", 5, false), "lz.json");
  }
  const std::string out = (dir_ / "lc.sqlite").string();
  MigrateResult r = Migrate(OfficeUrl(kLiucheng), out, Opts(kLiucheng));
  EXPECT_EQ(r.incidents_copied, 1);
  Store st = Store::Open(out, As(kLiucheng, OpenMode::kRead));
  EXPECT_EQ(st.office(), kLiucheng);
  ASSERT_EQ(st.Incidents(false).size(), 1u);
  EXPECT_EQ(st.Incidents(false)[0].incident_id, "LC-1");
  ASSERT_EQ(st.History("LC-1").upward_reports.size(), 2u);           // its 5.2 to the city (desk), and 5.2(1)
  EXPECT_EQ(st.History("LC-1").upward_reports[0].clause, "5.2(1)");  // 10:20
  EXPECT_EQ(st.History("LC-1").upward_reports[1].clause, "5.2");     // when the county recorded it, 12:00
}

// An archive keeps which office made each record: the city's declaration and closure on a county's fire name the
// city in the county's SQLite archive (office column, in each audit payload: the archive verifies), the county's
// own records the county; and the archive migrates back into a shared store and verifies on both sides.
TEST_F(PgMigrate, AnArchiveKeepsWhichOfficeMadeEachRecord) {
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
  }
  {
    Store city = Open(kCity);
    Desk d(city, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Declare("LC-1", engine::Level::kIV, "office_director", T("2026-03-01T10:30:00+08:00"), "declare");
    d.Close("LC-1", "deputy_commander", T("2026-03-01T11:30:00+08:00"));
  }
  const std::string out = (dir_ / "lc-kept.sqlite").string();
  Migrate(OfficeUrl(kLiucheng), out, Opts(kLiucheng));
  Store st = Store::Open(out, As(kLiucheng, OpenMode::kRead));
  EXPECT_EQ(st.office(), kLiucheng);  // the archive's own office
  const IncidentHistory h = st.History("LC-1");
  EXPECT_EQ(h.incident.office, kLiucheng);
  ASSERT_EQ(h.reports.size(), 1u);
  EXPECT_EQ(h.reports[0].office, kLiucheng);
  ASSERT_EQ(h.declarations.size(), 2u);  // IV and the end of the response, both the city's
  EXPECT_EQ(h.declarations[0].office, kCity);
  EXPECT_EQ(h.declarations[1].office, kCity);
  ASSERT_EQ(h.upward_reports.size(), 1u);
  EXPECT_EQ(h.upward_reports[0].office, kLiucheng);
  std::set<std::string> closures;  // the closure row: the city's (read as the archive holds it)
  for (const auto& row : st.Query("SELECT office FROM closures")) closures.insert(std::get<std::string>(row.at(0)));
  EXPECT_EQ(closures, std::set<std::string>{kCity});
  VerifyOptions vo;
  vo.key_file = KeyOf(kLiucheng);
  EXPECT_TRUE(VerifyStore(out, vo).ok);
  // Back into the shared store as the county: the same records (offices aside) are there already, both sides
  // verify before and after.
  MigrateResult back = Migrate(out, OfficeUrl(kLiucheng), Opts(kLiucheng));
  EXPECT_EQ(back.incidents_present, 1);
  EXPECT_EQ(back.incidents_copied, 0);
  EXPECT_TRUE(back.from_after.ok);
  EXPECT_TRUE(back.to_after.ok);
}

// Every refusal leaves the destination as it was: its chain has the same number of entries afterwards.
TEST_F(PgMigrate, ATamperedSourceIsRefusedAndNothingIsCopied) {
  const std::string a = DrillFile("01-level-iv-area.yaml", "a.sqlite");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(a.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db,
                     "DROP TRIGGER reports_no_update; UPDATE reports SET body = replace(body, '\"burned_area_ha\"', "
                     "'\"burned_area_ha\" ') WHERE id = 1",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
  }
  try {
    Migrate(a, OfficeUrl(kCity), Opts());
    ADD_FAILURE() << "a tampered source was migrated";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
    EXPECT_NE(e.message().find("the source does not verify before the migration"), std::string::npos) << e.message();
  }
  EXPECT_EQ(AuditEntries(), 0);
  // And out of the shared store into a file: nothing left behind either.
  const std::string b = (dir_ / "b.sqlite").string();
  EXPECT_THROW(Migrate(a, b, Opts()), Error);
  EXPECT_FALSE(fs::exists(b));
  EXPECT_FALSE(fs::exists(b + ".migrating"));
}

TEST_F(PgMigrate, AConflictingDestinationIsRefusedAtomically) {
  const std::string a = DrillFile("07-two-dangerous-fires.yaml", "a.sqlite");
  {
    Store rs = Open(kRongshui);  // RS-0128 already in the shared store, with other records
    Desk d(rs, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("RS-0128", "2026-03-01T10:00:00+08:00", "融水苗族自治县", 1, false), "rs.json");
  }
  const std::int64_t entries = AuditEntries();
  try {
    Migrate(a, OfficeUrl(kCity), Opts());
    ADD_FAILURE() << "a conflicting destination took the migration";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
    EXPECT_NE(e.message().find("already holds incident RS-0128"), std::string::npos) << e.message();
  }
  EXPECT_EQ(AuditEntries(), entries);
  EXPECT_FALSE(Open(kCity).FindIncident("RA-0128"));  // copied before the conflict, rolled back with it
}

TEST_F(PgMigrate, ARecordTheDatabaseRefusesRollsBackEverything) {
  // A file of 融安县 holding declarations of city levels (by the city's deputy_commander): the county's role may not
  // record them (row-level security), so the incident copied before them is rolled back with them.
  const std::string a = DrillFile("07-two-dangerous-fires.yaml", "a.sqlite", kRongan);
  try {
    Migrate(a, OfficeUrl(kRongan), Opts(kRongan));
    ADD_FAILURE() << "a county recorded the city's declarations";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
    EXPECT_NE(e.message().find("incident RA-0128: refused by the database: new row violates row-level security"),
              std::string::npos)
        << e.message();
  }
  EXPECT_EQ(AuditEntries(), 0);
}

TEST_F(PgMigrate, TheBinaryExitsWithTheDocumentedCodes) {
  const std::string a = DrillFile("01-level-iv-area.yaml", "a.sqlite");
  const std::string bin =
      "FIREBREAK_OFFICE_KEY='" + KeyOf(kCity) + "' " + FIREBREAK_BINARY + " store migrate --lang en ";
  auto run = [&](const std::string& args, std::string* out) {
    FILE* p = ::popen((bin + args + " 2>&1").c_str(), "r");
    char buf[4096];
    out->clear();
    while (std::fgets(buf, sizeof buf, p)) *out += buf;
    const int st = ::pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  };
  std::string out;
  EXPECT_EQ(run("--from '" + a + "' --to '" + OfficeUrl(kCity) + "'", &out), 0) << out;
  EXPECT_NE(out.find("incidents copied 1"), std::string::npos) << out;
  EXPECT_EQ(out.find("pw-"), std::string::npos) << out;  // the URL is shown without its password
  EXPECT_EQ(run("--from '" + a + "' --to '" + a + "'", &out), 2) << out;
  EXPECT_EQ(run("--from '" + (dir_ / "none.sqlite").string() + "' --to '" + OfficeUrl(kCity) + "'", &out), 8) << out;
  EXPECT_EQ(run("--from '" + a + "' --to '" + OfficeUrl(kCity) + "' --office 450299", &out), 2) << out;
  // --office not the database role's office: refused by the store (exit 6), naming it without the password.
  EXPECT_EQ(run("--from '" + a + "' --to '" + OfficeUrl(kLuzhai) + "' --office " + kCity, &out), 6) << out;
  EXPECT_NE(out.find("does not match the database role"), std::string::npos) << out;
  EXPECT_EQ(out.find("pw-"), std::string::npos) << out;
}

}  // namespace
}  // namespace firebreak::store::pgtest
