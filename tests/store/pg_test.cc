// The shared PostgreSQL store (issue 12) against a real server: FIREBREAK_TEST_PG names a database of a server
// whose role may create databases and roles (tools/bootstrap.sh test starts a throwaway cluster with
// tools/pg_cluster.sh and sets it; without it every test here is skipped, saying so). Each test creates its own
// database and office roles (a unique role prefix) and drops them at the end.
//
// What the database itself must refuse is tested with raw SQL over libpq as the office's role, not through
// firebreak's client code.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "pg_fixture.h"

#include "firebreak/common/error.h"
#include "firebreak/rules/loader.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/drill.h"
#include "firebreak/store/offices.h"
#include "firebreak/store/store.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/scenario.h"
#include "firebreak/timeline/status.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

using namespace pgtest;  // the shared fixture: Rules, Url, Raw, Report, T, PgStore, At, office codes

#ifndef FIREBREAK_PG_RESTART_TESTS

TEST_F(PgStore, SetupCreatesEveryOfficeWithItsRoleAndIsIdempotent) {
  EXPECT_EQ(setup_.from_version, 0);
  EXPECT_EQ(setup_.to_version, kSchemaVersion);
  ASSERT_EQ(setup_.roles.size(), 1 + Rules().counties.size());
  EXPECT_EQ(setup_.roles.front().first, kCity);
  SetupOptions so;
  so.role_prefix = tag_ + "_";
  SetupResult again = SetupSharedStore(AdminUrl(), Rules(), so);
  EXPECT_EQ(again.from_version, kSchemaVersion);
  EXPECT_TRUE(again.created_roles.empty());
  Store s = Open(kLiucheng);
  EXPECT_EQ(s.kind(), BackendKind::kPostgres);
  EXPECT_EQ(s.office(), kLiucheng);
  EXPECT_EQ(s.schema_version(), kSchemaVersion);
  EXPECT_EQ(s.path().find("pw-"), std::string::npos) << s.path();
}

TEST_F(PgStore, OfficesRecordAndEveryChainVerifies) {
  {
    Store county = Open(kLiucheng);
    Desk d(county, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
    d.UpwardReport("LC-1", "5.2(1)", {"city_government"}, T("2026-03-01T10:20:00+08:00"));
  }
  {
    Store city = Open(kCity);
    Desk d(city, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T11:00:00+08:00", "柳城县", 120, false), "city.json");  // the level above
    d.Declare("LC-1", engine::Level::kIV, "office_director", T("2026-03-01T11:10:00+08:00"));
    IncidentHistory h = city.History("LC-1");
    ASSERT_EQ(h.reports.size(), 2u);
    EXPECT_EQ(h.reports[0].office, kLiucheng);
    EXPECT_EQ(h.reports[1].office, kCity);
    EXPECT_EQ(h.incident.offices, std::vector<std::string>{kLiucheng});
    ASSERT_EQ(h.declarations.size(), 1u);
    EXPECT_EQ(h.declarations[0].office, kCity);
    ASSERT_EQ(h.decisions.size(), 2u);
    EXPECT_FALSE(h.decisions[0].level.has_value());  // 5 ha: no level
    EXPECT_TRUE(h.decisions[1].level.has_value());   // 120 ha: a level, decided with the county's report merged
  }
  VerifyResult v = VerifyAll();
  for (const auto& p : v.problems) ADD_FAILURE() << p;
  EXPECT_TRUE(v.ok);
  EXPECT_TRUE(v.keyed);
  EXPECT_TRUE(v.unkeyed_offices.empty());
  EXPECT_EQ(v.reports, 2);
  EXPECT_EQ(v.declarations, 1);
  // Without the other offices' keys their chains are listed as checked without a key (not failed).
  VerifyOptions own;
  own.key_file = KeyOf(kCity);
  VerifyResult partial = VerifyStore(OfficeUrl(kCity), own);
  EXPECT_TRUE(partial.ok);
  EXPECT_EQ(partial.unkeyed_offices, std::vector<std::string>{kLiucheng});
}

TEST_F(PgStore, AppendOnlyIsEnforcedByTheDatabaseForEveryone) {
  {
    Store county = Open(kLiucheng);
    Desk d(county, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
  }
  Raw owner(AdminUrl());  // the owner (a superuser here): the triggers still refuse
  for (const std::string sql : {"UPDATE firebreak.reports SET body = '{}'", "DELETE FROM firebreak.reports",
                                "TRUNCATE firebreak.audit_log CASCADE", "UPDATE firebreak.audit_log SET payload = 'x'",
                                "DELETE FROM firebreak.incident_offices"}) {
    SCOPED_TRACE(sql);
    EXPECT_NE(owner.Run(sql).find("append-only"), std::string::npos);
  }
  Raw office(OfficeUrl(kLiucheng));
  for (const std::string sql :
       {"UPDATE firebreak.reports SET body = '{}'", "DELETE FROM firebreak.decisions", "TRUNCATE firebreak.reports"}) {
    SCOPED_TRACE(sql);
    EXPECT_NE(office.Run(sql).find("permission denied"), std::string::npos);
  }
  EXPECT_EQ(owner.One("SELECT count(*) FROM firebreak.reports"), "1");
  EXPECT_TRUE(VerifyAll().ok);
}

// Issue 12: "a county role cannot write another county's incident (the database refuses, not only the client)".
TEST_F(PgStore, TheDatabaseRefusesACountyWritingAnotherCountysIncident) {
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
  }
  Raw lz(OfficeUrl(kLuzhai));
  const std::string ref = lz.One("SELECT id FROM firebreak.incidents WHERE incident_id = 'LC-1'");
  // Raw inserts as Luzhai: naming itself on Liucheng's incident, and pretending to be Liucheng.
  for (const std::string& office : {std::string(kLuzhai), std::string(kLiucheng)}) {
    SCOPED_TRACE(office);
    EXPECT_EQ(lz.Run("BEGIN"), "");
    EXPECT_NE(lz.Run("INSERT INTO firebreak.reports(incident_ref, reported_at, reported_offset, body, source, office, "
                     "audit_seq) VALUES (" +
                     ref + ", 0, 480, '{}', 'x', '" + office + "', 1)")
                  .find("row-level security"),
              std::string::npos);
    lz.Run("ROLLBACK");
    EXPECT_EQ(lz.Run("BEGIN"), "");
    EXPECT_NE(lz.Run("INSERT INTO firebreak.incident_offices(incident_ref, linked, office, audit_seq) VALUES (" + ref +
                     ", '" + kLuzhai + "', '" + office + "', 1)")
                  .find("row-level security"),
              std::string::npos);
    lz.Run("ROLLBACK");
  }
  // Through firebreak: the desk refuses first (kInput); the store's own insert is refused by the database (kStore).
  Store luzhai = Open(kLuzhai);
  Desk d(luzhai, eng_, {}, At("2026-03-01T12:00:00+08:00"));
  try {
    d.Report(Report("LC-1", "2026-03-01T11:00:00+08:00", "柳城县", 6, false), "lz.json");
    ADD_FAILURE() << "a county recorded another county's incident";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.ToString();
  }
  try {
    luzhai.AddReport("LC-1", T("2026-03-01T11:00:00+08:00"), "{}", "lz.json");
    ADD_FAILURE() << "the database accepted a county's report on another county's incident";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
    EXPECT_NE(e.ToString().find("row-level security"), std::string::npos) << e.ToString();
    EXPECT_EQ(e.ToString().find("pw-"), std::string::npos) << e.ToString();
  }
  // A county opening an incident in another county is refused too.
  EXPECT_THROW(d.Report(Report("LZ-X", "2026-03-01T11:00:00+08:00", "融安县", 6, false), "lz.json"), Error);
  // A county declares no city level: the desk refuses, and so does the database.
  Store lc = Open(kLiucheng);
  Desk dl(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
  EXPECT_THROW(dl.Declare("LC-1", engine::Level::kIV, "county_hq", T("2026-03-01T11:00:00+08:00")), Error);
  try {
    lc.AddDeclaration(
        DeclarationRecord{0, "LC-1", "declare", engine::Level::kIV, "county_hq", T("2026-03-01T11:00:00+08:00")});
    ADD_FAILURE() << "the database accepted a county's level IV";
  } catch (const Error& e) {
    EXPECT_NE(e.ToString().find("row-level security"), std::string::npos) << e.ToString();
  }
  Store again = Open(kCity);
  EXPECT_EQ(again.History("LC-1").reports.size(), 1u);  // nothing of the refused writes
  EXPECT_TRUE(VerifyAll().ok);
}

// Issue 12: two counties each with one dangerous fire -> the city's assessment requires III by 6.3.2.1(5) for both.
TEST_F(PgStore, TwoCountiesEachOneDangerousFireRequireIIIForBoth) {
  {
    Store ra = Open(kRongan);
    Desk d(ra, eng_, {}, At("2026-01-28T15:00:00+08:00"));
    auto r = d.Report(Report("RA-1", "2026-01-28T12:00:00+08:00", "融安县", 6, true), "ra.json");
    EXPECT_FALSE(r.at(0).decision.response_level.has_value());  // one dangerous fire alone: nothing
  }
  {
    Store rs = Open(kRongshui);
    Desk d(rs, eng_, {}, At("2026-01-28T15:00:00+08:00"));
    auto r = d.Report(Report("RS-1", "2026-01-28T14:00:00+08:00", "融水苗族自治县", 4, true), "rs.json");
    ASSERT_EQ(r.at(0).decision.response_level, engine::Level::kIII);  // counted over both offices' fires
    const auto& t = r.at(0).decision.triggers;
    EXPECT_TRUE(std::any_of(t.begin(), t.end(), [](const auto& f) { return f.clause == "6.3.2.1(5)"; }));
  }
  Store city = Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead));
  timeline::StatusBoard b = StoredStatus(city, eng_, T("2026-01-28T14:30:00+08:00"), {});
  ASSERT_EQ(b.incidents.size(), 2u);
  for (const auto& line : b.incidents) EXPECT_EQ(line.required, engine::Level::kIII) << line.incident_id;
}

// Issue 12: three fires in three counties -> command goes up (3.3).
TEST_F(PgStore, ThreeFiresInThreeCountiesMoveCommandUp) {
  const std::vector<std::tuple<const char*, const char*, const char*, const char*>> fires = {
      {kLiucheng, "LC-2", "柳城县", "2026-10-02T09:00:00+08:00"},
      {kLuzhai, "LZ-2", "鹿寨县", "2026-10-02T10:00:00+08:00"},
      {kRongan, "RA-2", "融安县", "2026-10-02T11:00:00+08:00"}};
  std::vector<engine::Tier> tiers;
  for (const auto& [office, id, county, at] : fires) {
    Store s = Open(office);
    Desk d(s, eng_, {}, At("2026-10-02T12:00:00+08:00"));
    tiers.push_back(d.Report(Report(id, at, county, 3, false), "r.json").at(0).decision.lead.tier);
  }
  EXPECT_EQ(tiers, (std::vector<engine::Tier>{engine::Tier::kCounty, engine::Tier::kCounty, engine::Tier::kCity}));
  Store city = Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead));
  timeline::Timeline tl = StoredTimeline(city, eng_, T("2026-10-02T12:00:00+08:00"), true);
  for (const char* id : {"LC-2", "LZ-2", "RA-2"}) {  // the city's view: every county's fire is city-led from 11:00
    ASSERT_NE(tl.Find(id), nullptr) << id;
    const timeline::Step* at10 = tl.Find(id)->StepAt(T("2026-10-02T10:30:00+08:00"));
    const timeline::Step* at11 = tl.Find(id)->StepAt(T("2026-10-02T11:00:00+08:00"));
    if (at10) {
      EXPECT_EQ(at10->lead, engine::Tier::kCounty) << id;
    }
    ASSERT_NE(at11, nullptr);
    EXPECT_EQ(at11->lead, engine::Tier::kCity) << id;
  }
}

// Issue 12: the same drill gives identical timelines and audits on both backends.
TEST_F(PgStore, EveryDrillGivesTheSameTimelineAndAuditOnBothBackends) {
  int compared = 0;
  for (const auto& e : fs::directory_iterator(FIREBREAK_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    timeline::Scenario sc = timeline::LoadScenario(e.path().string(), &Rules());
    if (sc.terrain) continue;  // needs maps (the CLI's enrich hook); the others cover the paths
    SCOPED_TRACE(e.path().filename().string());
    DrillResult lite = RunDrill(sc, eng_, DrillOptions{});
    DrillOptions pg;
    pg.store_path = OfficeUrl(kCity);
    ::setenv("FIREBREAK_OFFICE_KEY", KeyOf(kCity).c_str(), 1);
    // A declaration by a role that is not the city office's (scenario 11: a county HQ declares a city level)
    // cannot be recorded in a shared store at all: refused before the database, which refuses it too.
    const auto city = OfficesOf(Rules()).front();
    if (std::any_of(sc.declarations.begin(), sc.declarations.end(),
                    [&](const auto& d) { return !HoldsRole(city, d.by); })) {
      EXPECT_THROW(RunDrill(sc, eng_, pg), Error);
      continue;
    }
    DrillResult shared = RunDrill(sc, eng_, pg);
    EXPECT_TRUE(shared.verify.ok);
    EXPECT_TRUE(shared.ok());
    EXPECT_EQ(timeline::TimelineToJson(shared.timeline, Rules()), timeline::TimelineToJson(lite.timeline, Rules()));
    EXPECT_EQ(timeline::AuditToJson(shared.audit, Rules()), timeline::AuditToJson(lite.audit, Rules()));
    ++compared;
  }
  EXPECT_GE(compared, 8);
}

// Issue 12, bad input: a clear Error(kStore) naming the connection without its password.
TEST_F(PgStore, BadConnectionsNameTheServerWithoutThePassword) {
  auto refused = [](const std::string& url, const OpenOptions& o, const std::string& says) {
    SCOPED_TRACE(says);
    try {
      Store::Open(url, o);
      ADD_FAILURE() << "opened " << url;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kStore);
      const std::string msg = e.ToString();
      EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
      EXPECT_EQ(msg.find("pw-"), std::string::npos) << msg;
      EXPECT_EQ(msg.find("secret-pw"), std::string::npos) << msg;
      EXPECT_NE(msg.find(says), std::string::npos) << msg;
    }
  };
  // Nothing listens on port 1.
  Url closed = admin_;
  closed.port = "1";
  refused(closed.As(RoleOf(kCity), "pw-" + std::string(kCity), tag_), As(kCity), "cannot reach");
  refused(admin_.As(RoleOf(kCity), "secret-pw", tag_), As(kCity), "password");
  refused(admin_.As(admin_.user, admin_.password, tag_), As(kCity), "is not an office");  // the owner records nothing
  OpenOptions other = As(kCity);
  other.office = kLiucheng;
  refused(OfficeUrl(kCity), other, "does not match");
  {
    Raw owner(AdminUrl());
    ASSERT_EQ(owner.Run("UPDATE firebreak.meta SET value = '99' WHERE key = 'schema_version'"), "");
  }
  refused(OfficeUrl(kCity), As(kCity), "newer than this firebreak");
}

// Issue 12, live: an office learns of another's change by LISTEN/NOTIFY and reads only what changed.
TEST_F(PgStore, AnOfficeFollowsAnothersChanges) {
  Store city = Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead));
  EXPECT_TRUE(city.WaitForChanges(0));  // starts listening: whatever came before is read with ChangedSince
  Changes first = city.ChangedSince(std::nullopt);
  EXPECT_TRUE(first.everything);
  EXPECT_TRUE(first.incident_ids.empty());
  EXPECT_FALSE(city.WaitForChanges(50));  // nothing yet
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-9", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
  }
  EXPECT_TRUE(city.WaitForChanges(10000));
  Changes c = city.ChangedSince(first.cursor);
  EXPECT_EQ(c.incident_ids, std::vector<std::string>{"LC-9"});
  EXPECT_TRUE(city.ChangedSince(c.cursor).incident_ids.empty());
}

// Issue 12, faults: a writer killed mid-transaction leaves nothing half-written.
TEST_F(PgStore, AWriterKilledMidTransactionLeavesNothing) {
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
  }
  const std::string url = OfficeUrl(kLiucheng);
  const OpenOptions opt = As(kLiucheng);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      Store s = Store::Open(url, opt);
      s.Transaction([&] {
        s.AddReport("LC-1", T("2026-03-01T10:30:00+08:00"), R"({"burned_area_ha": 50})", "half.json");
        s.EnsureIncident("LC-2", T("2026-03-01T10:30:00+08:00"), std::string("柳城县"));
        ::kill(::getpid(), SIGKILL);  // before COMMIT
      });
    } catch (...) {
    }
    ::_exit(3);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  Store city = Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead));
  EXPECT_EQ(city.History("LC-1").reports.size(), 1u);
  EXPECT_FALSE(city.FindIncident("LC-2").has_value());
  EXPECT_TRUE(VerifyAll().ok);
  // The office goes on recording after the killed writer: its chain continues without a gap.
  Store lc = Open(kLiucheng);
  lc.AddReport("LC-1", T("2026-03-01T11:00:00+08:00"), R"({"burned_area_ha": 6})", "next.json");
  EXPECT_TRUE(VerifyAll().ok);
}

// The binary: `store verify` and `status --follow` on a shared store; the password never appears.
TEST_F(PgStore, TheBinaryFollowsAndVerifiesWithoutPrintingThePassword) {
  const std::string key = "FIREBREAK_OFFICE_KEY='" + KeyOf(kCity) + "' ";
  const std::string bin = std::string(FIREBREAK_BINARY);
  FILE* follow =
      ::popen((key + bin + " status --lang en --follow --max-updates 1 --at 2026-03-01T12:00:00+08:00 --store '" +
               OfficeUrl(kCity) + "' 2>&1")
                  .c_str(),
              "r");
  ASSERT_NE(follow, nullptr);
  std::string out;
  char buf[4096];
  while (out.find("Open incidents") == std::string::npos && std::fgets(buf, sizeof buf, follow)) out += buf;
  ASSERT_NE(out.find("Open incidents"), std::string::npos) << out;  // listening: the first board is out
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-7", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "lc.json");
  }
  while (std::fgets(buf, sizeof buf, follow)) out += buf;
  EXPECT_EQ(::pclose(follow), 0) << out;
  EXPECT_NE(out.find("changed: LC-7"), std::string::npos) << out;
  EXPECT_NE(out.find("LC-7:"), std::string::npos) << out;
  FILE* verify = ::popen((key + bin + " store verify --lang en --store '" + OfficeUrl(kCity) + "' 2>&1").c_str(), "r");
  ASSERT_NE(verify, nullptr);
  std::string v;
  while (std::fgets(buf, sizeof buf, verify)) v += buf;
  EXPECT_EQ(::pclose(verify), 0) << v;
  out += v;
  EXPECT_NE(v.find(": ok"), std::string::npos) << v;
  EXPECT_EQ(out.find("pw-"), std::string::npos) << out;
  EXPECT_NE(out.find("***"), std::string::npos) << out;
}

// Issue 12, faults: two declarations on one incident at the same instant from two connections of the city (the
// office that declares levels): both recorded, in a defined order (commit order: ids), and the audit judges both.
TEST_F(PgStore, TwoDeclarationsAtTheSameInstantAreBothRecordedInCommitOrder) {
  {
    Store lc = Open(kLiucheng);
    Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
    d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 150, false), "lc.json");
  }
  const Timestamp at = T("2026-03-01T10:30:00+08:00");
  std::atomic<int> ready{0};
  std::vector<std::string> errors(2);
  auto declare = [&](int i, const char* role, engine::Level level) {
    try {
      Store city = Open(kCity);
      Desk d(city, eng_, {}, At("2026-03-01T12:00:00+08:00"));
      ++ready;
      while (ready < 2) std::this_thread::yield();
      d.Declare("LC-1", level, role, at, "declare");
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  };
  std::thread a(declare, 0, "office_director", engine::Level::kIV);
  std::thread b(declare, 1, "deputy_commander", engine::Level::kIII);
  a.join();
  b.join();
  EXPECT_EQ(errors, std::vector<std::string>(2));
  Store city = Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead));
  IncidentHistory h = city.History("LC-1");
  ASSERT_EQ(h.declarations.size(), 2u);
  EXPECT_LT(h.declarations[0].id, h.declarations[1].id);
  EXPECT_EQ(h.declarations[0].at, at);
  EXPECT_EQ(h.declarations[1].at, at);
  timeline::Timeline tl = StoredTimeline(city, eng_, T("2026-03-01T12:00:00+08:00"), false);
  ASSERT_NE(tl.Find("LC-1"), nullptr);
  EXPECT_EQ(tl.Find("LC-1")->declarations.size(), 2u);  // the audit reads both
  EXPECT_TRUE(VerifyAll().ok);
}

#else  // FIREBREAK_PG_RESTART_TESTS: a binary of its own, run alone (RUN_SERIAL): it restarts the server.

// Issue 12, faults: the server restarts mid-run (like a crash: immediate shutdown); clients notice the lost
// connection, connect again and retry; nothing committed is lost, nothing is written twice.
TEST_F(PgStore, ClientsRetryAcrossAServerRestartAndLoseNothing) {
  const char* cluster = std::getenv("FIREBREAK_TEST_PG_CLUSTER");
  if (!cluster || !*cluster)
    GTEST_SKIP() << "FIREBREAK_TEST_PG_CLUSTER is not set: no cluster of tools/pg_cluster.sh to restart";
  Store lc = Open(kLiucheng);
  Store city = Store::Open(OfficeUrl(kCity), As(kCity, OpenMode::kRead));
  EXPECT_TRUE(city.WaitForChanges(0));
  Desk d(lc, eng_, {}, At("2026-03-01T12:00:00+08:00"));
  d.Report(Report("LC-1", "2026-03-01T10:00:00+08:00", "柳城县", 5, false), "1.json");
  const std::string restart =
      std::string("'" FIREBREAK_SOURCE_DIR "/tools/pg_cluster.sh' restart '") + cluster + "' immediate";
  ASSERT_EQ(std::system(restart.c_str()), 0);
  d.Report(Report("LC-1", "2026-03-01T10:30:00+08:00", "柳城县", 9, false), "2.json");  // on a new connection
  // The server goes away INSIDE a transaction: it is rolled back by the server and run again, once.
  int runs = 0;
  lc.Transaction([&] {
    lc.AddReport("LC-1", T("2026-03-01T10:45:00+08:00"), R"({"burned_area_ha": 12})", "3.json");
    if (++runs == 1) {
      ASSERT_EQ(std::system(restart.c_str()), 0);
    }
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(lc.History("LC-1").reports.size(), 3u);  // nothing lost, nothing twice
  // A follower notices too: the reconnect counts as "something may have changed", and it reads what did.
  const std::string cursor = city.ChangedSince(std::nullopt).cursor;
  d.Report(Report("LC-1", "2026-03-01T11:00:00+08:00", "柳城县", 15, false), "4.json");
  EXPECT_TRUE(city.WaitForChanges(10000));
  EXPECT_EQ(city.ChangedSince(cursor).incident_ids, std::vector<std::string>{"LC-1"});
  VerifyResult v = VerifyAll();
  for (const auto& p : v.problems) ADD_FAILURE() << p;
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.reports, 4);
}

#endif  // FIREBREAK_PG_RESTART_TESTS

}  // namespace
}  // namespace firebreak::store
