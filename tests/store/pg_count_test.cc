// The count of burning fires on the shared store (issue 12; docs/postgresql.md, "Recording"): reports that leave
// every fire's state as it was hold the count shared and run side by side; reports that change a fire's state hold
// it exclusive. Checked against the server (the lock itself) and against an independent replay of what was
// committed, in commit order, before each recording.
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "closed_since.h"
#include "pg_fixture.h"

#include "firebreak/store/desk.h"
#include "firebreak/store/store.h"

namespace firebreak::store {
namespace {

using namespace pgtest;
using namespace std::chrono_literals;

// Every row of `sql` as text (raw libpq as the database owner).
std::vector<std::vector<std::string>> Rows(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c, sql.c_str());
  std::vector<std::vector<std::string>> out;
  if (PQresultStatus(r) != PGRES_TUPLES_OK) ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
  for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
    std::vector<std::string> row;
    for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
    out.push_back(std::move(row));
  }
  PQclear(r);
  PQfinish(c);
  return out;
}

// A moment `min` minutes after 2026-02-10T10:00+08:00.
std::string Minute(int min) { return FormatIso8601(Timestamp{T("2026-02-10T10:00:00+08:00").epoch_s + min * 60, 480}); }

// The locking protocol against the server itself: while another session holds the count shared, a report that
// leaves its fire's state as it was is recorded, one that makes the fire dangerous waits; it is recorded once the
// count is released. And a session holding the count exclusive holds up the state-preserving one too.
TEST_F(PgStore, StatePreservingReportsShareTheCountStateChangesWaitForIt) {
  Store ra = Open(kRongan);
  Desk d(ra, eng_, {}, At("2026-02-10T12:00:00+08:00"));
  d.Report(Report("RA-1", Minute(0), "融安县", 2, false), "open.json");
  const std::string lock = "hashtextextended('firebreak count', 0)";
  Raw holder(AdminUrl());
  ASSERT_EQ(holder.Run("BEGIN"), "");
  ASSERT_EQ(holder.Run("SELECT pg_advisory_xact_lock_shared(" + lock + ")"), "");
  auto in_background = [&](int minute, double area, bool dangerous, const char* name) {  // RA-1's next report
    return std::async(std::launch::async, [&, minute, area, dangerous, name] {
      return d.Report(Report("RA-1", Minute(minute), "融安县", area, dangerous), name);
    });
  };
  auto same = in_background(5, 3, false, "a");
  ASSERT_EQ(same.wait_for(30s), std::future_status::ready) << "a state-preserving report waited for a shared holder";
  EXPECT_EQ(same.get().size(), 1u);
  auto change = in_background(10, 3, true, "b");
  EXPECT_EQ(change.wait_for(1500ms), std::future_status::timeout) << "a change of state did not wait for the count";
  ASSERT_EQ(holder.Run("ROLLBACK"), "");
  ASSERT_EQ(change.wait_for(30s), std::future_status::ready);
  EXPECT_EQ(change.get().size(), 1u);

  ASSERT_EQ(holder.Run("BEGIN"), "");
  ASSERT_EQ(holder.Run("SELECT pg_advisory_xact_lock(" + lock + ")"), "");
  auto held = in_background(15, 4, true, "c");
  EXPECT_EQ(held.wait_for(1500ms), std::future_status::timeout) << "a shared recording ignored an exclusive holder";
  ASSERT_EQ(holder.Run("ROLLBACK"), "");
  ASSERT_EQ(held.wait_for(30s), std::future_status::ready);
  EXPECT_EQ(held.get().size(), 1u);
  EXPECT_EQ(ra.History("RA-1").reports.size(), 4u);
  EXPECT_TRUE(VerifyAll().ok);
}

// Two offices race changes of their fires' state (dangerous on, off, on ...) while two writers of a third office
// record state-preserving reports side by side. Every decision must count exactly the dangerous fires of what was
// committed before it (commit order: the exclusive holders commit in the order of their transaction ids), replayed
// here from the stored reports: 6.3.2.1(5) (two or more dangerous fires at once) fires exactly when the replay says.
TEST_F(PgStore, RacedStateChangesAreCountedAsCommittedBeforeEachRecording) {
  {  // three fires, none dangerous yet
    const std::vector<std::tuple<const char*, const char*, const char*>> fires = {
        {kRongan, "RA-1", "融安县"}, {kRongshui, "RS-1", "融水苗族自治县"}, {kLiucheng, "LC-1", "柳城县"}};
    for (const auto& [office, id, county] : fires) {
      Store s = Open(office);
      Desk d(s, eng_, {}, At("2026-02-10T12:00:00+08:00"));
      d.Report(Report(id, Minute(-10), county, 2, false), "open.json");
    }
  }
  constexpr int kRounds = 12;
  std::atomic<int> ready{0};
  std::vector<std::string> errors(4);
  auto writer = [&](int w, const char* office, const char* id, const char* county, int first, int step, bool flips) {
    try {
      Store s = Open(office);
      Desk d(s, eng_, {}, At("2026-02-10T12:00:00+08:00"));
      ++ready;
      while (ready < 4) std::this_thread::yield();
      for (int k = 0; k < kRounds; ++k)
        d.Report(Report(id, Minute(first + step * k), county, 2 + (flips ? 0 : k + 1), flips && k % 2 == 0), "r");
    } catch (const std::exception& e) {
      errors[w] = e.what();
    }
  };
  std::vector<std::thread> ts;
  ts.emplace_back(writer, 0, kRongan, "RA-1", "融安县", 0, 2, true);            // minutes 0, 2, 4 ...
  ts.emplace_back(writer, 1, kRongshui, "RS-1", "融水苗族自治县", 1, 2, true);  // minutes 1, 3, 5 ...
  ts.emplace_back(writer, 2, kLiucheng, "LC-1", "柳城县", 0, 1, false);
  ts.emplace_back(writer, 3, kLiucheng, "LC-2", "柳城县", 0, 1, false);  // a fire of its own: opens (exclusive)
  for (auto& t : ts) t.join();
  EXPECT_EQ(errors, std::vector<std::string>(4));

  // Every report in commit order, with its decision's 6.3.2.1(5).
  const auto rows = Rows(AdminUrl(),
                         "SELECT i.incident_id, r.reported_at, (r.body::jsonb->>'dangerous') = 'true', "
                         "d.json LIKE '%\"6.3.2.1(5)\"%' FROM firebreak.reports r "
                         "JOIN firebreak.incidents i ON i.id = r.incident_ref "
                         "JOIN firebreak.decisions d ON d.report_ref = r.id ORDER BY r.xid, r.id");
  ASSERT_EQ(rows.size(), 3 + 4u * kRounds);
  struct Seen {
    std::int64_t at;
    bool dangerous;
  };
  std::map<std::string, std::vector<Seen>> committed;  // per incident, the reports committed so far
  int checked = 0, fired = 0;
  for (const auto& row : rows) {
    const std::string& id = row[0];
    const std::int64_t at = std::stoll(row[1]);
    const bool dangerous = row[2] == "t";
    int count = dangerous ? 1 : 0;
    for (const auto& [other, seen] : committed) {
      if (other == id) continue;
      const Seen* state = nullptr;  // the other fire's latest report at or before `at`
      for (const Seen& s : seen)
        if (s.at <= at && (!state || s.at >= state->at)) state = &s;
      count += state && state->dangerous ? 1 : 0;
    }
    const bool expect = dangerous && count >= 2;
    EXPECT_EQ(row[3] == "t", expect) << id << " at " << FormatIso8601(Timestamp{at, 480}) << ": " << count
                                     << " dangerous fires committed before it";
    ++checked;
    fired += expect ? 1 : 0;
    committed[id].push_back(Seen{at, dangerous});
  }
  EXPECT_EQ(checked, 3 + 4 * kRounds);
  EXPECT_GT(fired, 0);  // the race did make two dangerous fires at once
  EXPECT_TRUE(VerifyAll().ok);
}

// Recording before the latest closure reads only the incidents closed since (closed_since.h), on PostgreSQL: two
// connections of one county office.
TEST_F(PgStore, ARecordingBeforeTheLatestClosureReadsOnlyTheIncidentsClosedSince) {
  auto open = [&] { return Open(kRongan); };
  closedtest::ReadsOnlyTheIncidentsClosedSince(open, open, eng_, "融安县", "county_hq");
}

TEST_F(PgStore, CountsStayExactAsClosuresComeIn) {
  auto open = [&] { return Open(kRongan); };
  closedtest::CountsStayExactAsClosuresComeIn(open, open, eng_, "融安县", "county_hq");
}

TEST_F(PgStore, ClosedHistoriesTakesTheHalfOpenRange) {
  closedtest::ClosedHistoriesTakesTheHalfOpenRange([&] { return Open(kRongan); }, eng_, "融安县", "county_hq");
}

}  // namespace
}  // namespace firebreak::store
