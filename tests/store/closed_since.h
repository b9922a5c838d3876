// Recording before the latest closure (docs/postgresql.md, "Recording"), on both backends: the desk counts the fires
// burning at a report's moment, closed ones included when they ended after it (6.3.2.1(5), 3.3), and reads only
// the incidents closed since that moment (Store::ClosedHistories), once — never every incident. Shared by
// desk_test.cc (SQLite) and pg_count_test.cc (PostgreSQL): `open_a` and `open_b` open two connections to one store
// as one office (its county: `county`), `close_by` a role of that office.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "backend.h"  // store/src: the spy below wraps a real backend
#include "firebreak/engine/engine.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/store.h"

namespace firebreak::store::closedtest {

// A backend that forwards every call to a real one and counts the incidents each read returns.
class SpyBackend : public internal::Backend {
 public:
  explicit SpyBackend(std::unique_ptr<internal::Backend> real) : b_(std::move(real)) {}

  int whole_reads = 0;                     // Incidents() calls (every incident of the store)
  std::vector<std::string> histories;      // incidents read by History / ReportHistories
  std::vector<std::string> closed_listed;  // ids ClosedIncidentIds returned
  int closed_queries = 0;
  void Reset() {
    whole_reads = closed_queries = 0;
    histories.clear();
    closed_listed.clear();
  }

  const std::string& path() const override { return b_->path(); }
  int schema_version() const override { return b_->schema_version(); }
  BackendKind kind() const override { return b_->kind(); }
  const std::string& office() const override { return b_->office(); }
  void RecordAs(const std::string& o) override { b_->RecordAs(o); }
  void Begin() override { b_->Begin(); }
  void Commit() override { b_->Commit(); }
  void Rollback() override { b_->Rollback(); }
  bool InTransaction() const override { return b_->InTransaction(); }
  bool Recover(const std::exception_ptr& e, int attempt) override { return b_->Recover(e, attempt); }
  bool EnsureIncident(const std::string& id, const Timestamp& at, const std::optional<std::string>& county,
                      const std::vector<std::string>& offices) override {
    return b_->EnsureIncident(id, at, county, offices);
  }
  void LinkIncident(const std::string& id, const std::string& office) override { b_->LinkIncident(id, office); }
  std::int64_t AddReport(const std::string& id, const Timestamp& at, const std::string& body, const std::string& source,
                         const Timestamp& recorded_at, const std::string& by) override {
    return b_->AddReport(id, at, body, source, recorded_at, by);
  }
  std::int64_t AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                           const std::string& rules_id, const std::string& sha, const std::string& json) override {
    return b_->AddDecision(report_id, at, level, rules_id, sha, json);
  }
  std::int64_t AddDeclaration(const DeclarationRecord& d) override { return b_->AddDeclaration(d); }
  std::int64_t AddUpwardReport(const UpwardReportRecord& u) override { return b_->AddUpwardReport(u); }
  void CloseIncident(const std::string& id, const Timestamp& at, const std::string& by) override {
    b_->CloseIncident(id, at, by);
  }
  std::optional<IncidentRecord> FindIncident(const std::string& id) const override { return b_->FindIncident(id); }
  std::vector<IncidentRecord> Incidents(bool open_only) const override {
    ++const_cast<SpyBackend*>(this)->whole_reads;
    return b_->Incidents(open_only);
  }
  IncidentHistory History(const std::string& id) const override {
    const_cast<SpyBackend*>(this)->histories.push_back(id);
    return b_->History(id);
  }
  std::vector<IncidentHistory> ReportHistories(const std::vector<std::string>& ids) const override {
    auto& h = const_cast<SpyBackend*>(this)->histories;
    h.insert(h.end(), ids.begin(), ids.end());
    return b_->ReportHistories(ids);
  }
  std::vector<std::string> ClosedIncidentIds(std::int64_t from, std::optional<std::int64_t> before) const override {
    auto* self = const_cast<SpyBackend*>(this);
    ++self->closed_queries;
    std::vector<std::string> ids = b_->ClosedIncidentIds(from, before);
    self->closed_listed.insert(self->closed_listed.end(), ids.begin(), ids.end());
    return ids;
  }
  VerifyResult Verify() const override { return b_->Verify(); }
  SignedHead Head() const override { return b_->Head(); }
  std::int64_t InsertAudited(const std::string& table, const std::string& action, const std::string& sql,
                             const SqlRow& args) override {
    return b_->InsertAudited(table, action, sql, args);
  }
  std::vector<SqlRow> Query(const std::string& sql, const SqlRow& args) const override { return b_->Query(sql, args); }
  void ExecForTest(const std::string& sql) override { b_->ExecForTest(sql); }
  std::int64_t DataVersion() const override { return b_->DataVersion(); }
  Changes ChangedSince(const std::optional<std::string>& cursor) const override { return b_->ChangedSince(cursor); }
  void LockForRecording(const std::vector<std::string>& ids, CountLock count) override {
    b_->LockForRecording(ids, count);
  }
  bool WaitForChanges(int timeout_ms) override { return b_->WaitForChanges(timeout_ms); }

 private:
  std::unique_ptr<internal::Backend> b_;
};

// "C7": an incident id (not "C" + std::to_string(i): g++ 12 -O2 warns falsely, -Wrestrict).
inline std::string Id(char prefix, int i) {
  std::string s(1, prefix);
  s += std::to_string(i);
  return s;
}

// A report of fire `id` at `minute` minutes after 2026-02-10T08:00+08:00.
inline Timestamp At(int minute) { return Timestamp{1770681600 + minute * 60, 480}; }
inline std::string Fire(const std::string& id, int minute, const std::string& county, bool dangerous) {
  return R"({"incident_id": ")" + id + R"(", "reported_at": ")" + FormatIso8601(At(minute)) + R"(", "county": ")" +
         county + R"(", "burned_area_ha": 2, "sensitive_period": false, "sensitive_area": false, "dangerous": )" +
         (dangerous ? "true" : "false") + "}";
}
inline Clock Noon() {
  return [] { return At(240); };
}
inline double FactOf(const engine::Decision& d, engine::FactId f) {
  for (const auto& u : d.facts)
    if (u.fact == f && u.value) return *u.value;
  return -1;
}

// 120 fires opened at minutes 0..119 and closed a minute later each; then the spied desk records fire W at minute
// 300 (after every closure: nothing closed is read), at 100 (reads the 21 closed at 100 or later, nothing else), at
// 105 (already known: reads nothing closed; those closed before 105 count no more from then on and are dropped) and
// at 90 (reads only the 15 closed in [90, 105)). Never every incident.
inline void ReadsOnlyTheIncidentsClosedSince(const std::function<Store()>& open_a, const std::function<Store()>& open_b,
                                             const engine::Engine& eng, const std::string& county,
                                             const std::string& close_by) {
  {
    Store b = open_b();
    Desk d(b, eng, {}, Noon());
    for (int i = 0; i < 120; ++i) {
      d.Report(Fire(Id('C', i), i, county, false), "c");
      d.Close(Id('C', i), close_by, At(i + 1));
    }
  }
  auto spy_owner = std::make_unique<SpyBackend>(open_a().TakeBackend());
  SpyBackend& spy = *spy_owner;
  Store a = Store::OverBackend(std::move(spy_owner));
  Desk d(a, eng, {}, Noon());
  d.Report(Fire("W", 300, county, false), "w300");  // the desk reads the store once (its open incidents)
  EXPECT_EQ(spy.closed_queries, 0);
  spy.Reset();
  auto ids = [](int from, int to) {  // C(from) .. C(to - 1)
    std::vector<std::string> v;
    for (int i = from; i < to; ++i) v.push_back(Id('C', i));
    return v;
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  const Recorded r100 = d.Report(Fire("W", 100, county, false), "w100").at(0);
  EXPECT_EQ(spy.whole_reads, 0);
  EXPECT_EQ(spy.closed_queries, 1);
  EXPECT_EQ(sorted(spy.closed_listed), sorted(ids(99, 120)));  // closed at minute 100..120
  for (const auto& id : spy.closed_listed)
    EXPECT_LE(std::count(spy.histories.begin(), spy.histories.end(), id), 1) << id << " read twice";
  std::set<std::string> read(spy.histories.begin(), spy.histories.end());
  read.erase("W");
  EXPECT_EQ(std::vector<std::string>(read.begin(), read.end()), sorted(ids(99, 120)));
  EXPECT_EQ(FactOf(r100.decision, engine::FactId::kConcurrentFires), 2);  // W and C100 (C99 ended at 100)
  spy.Reset();
  const Recorded r105 = d.Report(Fire("W", 105, county, false), "w105").at(0);
  EXPECT_EQ(spy.whole_reads, 0);
  EXPECT_EQ(spy.closed_queries, 0);
  for (const auto& id : spy.histories) EXPECT_EQ(id, "W");
  EXPECT_EQ(FactOf(r105.decision, engine::FactId::kConcurrentFires), 2);  // W and C105
  spy.Reset();
  const Recorded r90 = d.Report(Fire("W", 90, county, false), "w90").at(0);
  EXPECT_EQ(spy.whole_reads, 0);
  EXPECT_EQ(spy.closed_queries, 1);
  EXPECT_EQ(sorted(spy.closed_listed), sorted(ids(89, 104)));  // closed at minute 90..104 (since 90, before 105)
  EXPECT_EQ(FactOf(r90.decision, engine::FactId::kConcurrentFires), 2);  // W and C90
}

// The counts stay exact while the desk remembers what it loaded: dangerous fires D0.. (each burning from 10·i to
// 10·i + 25 minutes) are opened and closed by another connection and by the desk itself, while the desk records the
// dangerous fire W at moments going back and forth. Each decision's concurrent (dangerous) fires are checked
// against the fires as recorded: reported by the moment, not closed at or before it.
inline void CountsStayExactAsClosuresComeIn(const std::function<Store()>& open_a, const std::function<Store()>& open_b,
                                            const engine::Engine& eng, const std::string& county,
                                            const std::string& close_by) {
  struct Span {
    int open, close;  // minutes; close < 0: open still
  };
  std::map<std::string, Span> fires;
  Store b = open_b();
  Desk db(b, eng, {}, Noon());
  auto b_opens = [&](int i) {
    const std::string id = Id('D', i);
    db.Report(Fire(id, 10 * i, county, true), "b");
    fires[id] = Span{10 * i, -1};
  };
  auto b_closes = [&](int i) {
    const std::string id = Id('D', i);
    db.Close(id, close_by, At(10 * i + 25));
    fires[id].close = 10 * i + 25;
  };
  for (int i = 0; i < 10; ++i) b_opens(i);
  for (int i = 0; i < 10; ++i) b_closes(i);
  Store a = open_a();
  Desk da(a, eng, {}, Noon());
  std::vector<std::pair<int, Recorded>> recorded;
  auto w = [&](int minute) { recorded.emplace_back(minute, da.Report(Fire("W", minute, county, true), "w").at(0)); };
  w(0);   // the closed ones since 0: all ten
  w(50);  // forward: those closed before 50 are dropped
  w(20);  // back below what the desk holds: only those closed in [20, 50)
  for (int i = 10; i < 15; ++i) b_opens(i);
  b_closes(10);
  b_closes(11);
  w(130);  // D10 and D11 closed by the other connection since the desk's last read
  da.Close("D12", close_by, At(150));
  fires["D12"].close = 150;
  w(145);  // D12 closed by the desk itself, after 145
  w(10);
  w(126);
  w(160);
  for (const auto& [minute, r] : recorded) {
    int burning = 1;  // W
    for (const auto& [id, s] : fires)
      if (s.open <= minute && (s.close < 0 || s.close > minute)) ++burning;
    EXPECT_EQ(FactOf(r.decision, engine::FactId::kConcurrentFires), burning) << "W at minute " << minute;
    EXPECT_EQ(FactOf(r.decision, engine::FactId::kConcurrentDangerousFires), burning) << "W at minute " << minute;
  }
  // A desk that reads the store afresh decides the same at every moment.
  Store c = open_a();
  Desk dc(c, eng, {}, Noon());
  const Recorded again = dc.Report(Fire("W", 126, county, true), "again").at(0);
  EXPECT_EQ(FactOf(again.decision, engine::FactId::kConcurrentFires),
            FactOf(recorded[6].second.decision, engine::FactId::kConcurrentFires));
}

// Store::ClosedHistories: closed at `from` is in, closed at `before` is out, open incidents never; each with its
// reports, by closing moment.
inline void ClosedHistoriesTakesTheHalfOpenRange(const std::function<Store()>& open_a, const engine::Engine& eng,
                                                 const std::string& county, const std::string& close_by) {
  Store a = open_a();
  Desk d(a, eng, {}, Noon());
  for (int i = 0; i < 4; ++i) {  // K0..K3 closed at minutes 30, 20, 10, 40; K4 open
    d.Report(Fire(Id('K', i), i, county, false), "k");
    d.Report(Fire(Id('K', i), i + 5, county, false), "k2");
  }
  d.Report(Fire("K4", 4, county, false), "k");
  const int closes[] = {30, 20, 10, 40};
  for (int i = 0; i < 4; ++i) d.Close(Id('K', i), close_by, At(closes[i]));
  auto ids = [](const std::vector<IncidentHistory>& hs) {
    std::vector<std::string> v;
    for (const auto& h : hs) v.push_back(h.incident.incident_id);
    return v;
  };
  EXPECT_EQ(ids(a.ClosedHistories(At(20))), (std::vector<std::string>{"K1", "K0", "K3"}));
  EXPECT_EQ(ids(a.ClosedHistories(At(10), At(30))), (std::vector<std::string>{"K2", "K1"}));
  EXPECT_EQ(ids(a.ClosedHistories(At(19), At(20))), std::vector<std::string>{});
  EXPECT_EQ(ids(a.ClosedHistories(At(41))), std::vector<std::string>{});
  const std::vector<IncidentHistory> one = a.ClosedHistories(At(40), At(41));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].reports.size(), 2u);
  EXPECT_EQ(one[0].incident.closed_at, At(40));
}

}  // namespace firebreak::store::closedtest
