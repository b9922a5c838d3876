// Load on the shared PostgreSQL store (issue 12): 11 offices x 4 writers (processes, each its own connection as
// its office's role), every report recorded through the duty desk (one transaction per report, as `firebreak
// report` does: the engine decides with every office's open fires counted), then: nothing lost (every report is
// in the store) and `store verify` (every office's chain) passes. Beside it the SQLite figure of one office: one
// writer on one file, the same per-office share of reports.
//
// Needs FIREBREAK_BENCH_PG (the owner's URL of a database on a server that may create databases and roles, e.g.
// from `tools/pg_cluster.sh start DIR --durable`); skipped without it. FIREBREAK_BENCH_REPORTS scales the total
// (default 100,000). Counters: reports/s (wall), p50 and p99 commit latency of one recording (ms).
//
// Each writer works on its own incidents one after another: 20 reports 5 min apart (area growing), then it closes
// the incident, so a handful of fires burn at once in each county, and the count of burning fires (6.3.2.1(5),
// 3.3) changes all the time across offices.
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/rules/loader.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/offices.h"
#include "firebreak/store/store.h"

namespace {

using namespace firebreak;
namespace fs = std::filesystem;

constexpr int kWritersPerOffice = 4;
constexpr int kReportsPerIncident = 20;
const std::int64_t kT0 = 1767225600;  // 2026-01-01T08:00:00+08:00

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

int TotalReports() {
  const char* e = std::getenv("FIREBREAK_BENCH_REPORTS");
  return e && std::atoi(e) > 0 ? std::atoi(e) : 100000;
}

void Sql(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  const std::string err = ok ? "" : PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + err);
}

std::string WithDb(const std::string& url, const std::string& user, const std::string& pw, const std::string& db) {
  std::string rest = url.substr(url.rfind('@') + 1);
  rest = rest.substr(0, rest.find('/'));
  return "postgresql://" + user + (pw.empty() ? "" : ":" + pw) + "@" + rest + "/" + db;
}

// USER and PASSWORD of postgresql://USER:PASSWORD@HOST:PORT/DB.
std::string UserOf(const std::string& url) {
  const std::string cred = url.substr(url.find("://") + 3, url.rfind('@') - url.find("://") - 3);
  return cred.substr(0, cred.find(':'));
}
std::string PasswordOf(const std::string& url) {
  const std::string cred = url.substr(url.find("://") + 3, url.rfind('@') - url.find("://") - 3);
  return cred.find(':') == std::string::npos ? "" : cred.substr(cred.find(':') + 1);
}

// One writer: `n` reports on its own incidents, one transaction each; latencies (µs) to `out`.
void Writer(const std::string& store, const std::string& key, const std::string& county, const std::string& close_by,
            const std::string& tag, int n, const std::string& out) {
  engine::Engine eng(Rules());
  store::OpenOptions o;
  o.key_file = key;
  store::Store st = store::Store::Open(store, o);
  store::Desk desk(st, eng);
  std::ofstream lat(out);
  for (int i = 0; i < n; ++i) {
    const int inc = i / kReportsPerIncident, k = i % kReportsPerIncident;
    const std::int64_t start = kT0 + inc * 4 * 3600, at = start + k * 300;
    const std::string id = tag + "-" + std::to_string(inc);
    std::ostringstream r;
    r << R"({"incident_id": ")" << id << R"(", "reported_at": ")" << FormatIso8601(Timestamp{at, 480})
      << R"(", "county": ")" << county << R"(", "open_fire_since": ")" << FormatIso8601(Timestamp{start, 480})
      << R"(", "burned_area_ha": )" << 2 + 8 * k << R"(, "dangerous": )" << (inc % 3 == 0 ? "true" : "false")
      << R"(, "sensitive_period": false, "sensitive_area": false})";
    const auto t0 = std::chrono::steady_clock::now();
    desk.Report(r.str(), "bench.json");
    lat << std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count() << "\n";
    if (k == kReportsPerIncident - 1 || i == n - 1) desk.Close(id, close_by, Timestamp{at + 60, 480});
  }
}

struct Writers {
  std::vector<std::string> store, key, county, close_by, tag;
  std::vector<int> n;
};

// Runs every writer in its own process; returns the sorted latencies (µs) and the wall time (s).
std::pair<std::vector<long>, double> Run(const Writers& w, const fs::path& dir) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<pid_t> pids;
  for (std::size_t i = 0; i < w.store.size(); ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      int rc = 0;
      try {
        Writer(w.store[i], w.key[i], w.county[i], w.close_by[i], w.tag[i], w.n[i],
               (dir / ("lat" + std::to_string(i))).string());
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %zu: %s\n", i, e.what());
        rc = 1;
      }
      std::fflush(nullptr);
      ::_exit(rc);
    }
    pids.push_back(pid);
  }
  bool ok = true;
  for (pid_t p : pids) {
    int status = 0;
    ::waitpid(p, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!ok) throw std::runtime_error("a writer failed");
  std::vector<long> lat;
  for (std::size_t i = 0; i < w.store.size(); ++i) {
    std::ifstream in(dir / ("lat" + std::to_string(i)));
    for (long v; in >> v;) lat.push_back(v);
  }
  std::sort(lat.begin(), lat.end());
  return {lat, wall};
}

void Report(benchmark::State& state, const std::vector<long>& lat, double wall, int expected) {
  state.counters["reports"] = static_cast<double>(lat.size());
  state.counters["reports_per_s"] = lat.size() / wall;
  state.counters["p50_ms"] = lat.empty() ? 0 : lat[lat.size() / 2] / 1000.0;
  state.counters["p99_ms"] = lat.empty() ? 0 : lat[lat.size() * 99 / 100] / 1000.0;
  state.counters["wall_s"] = wall;
  if (static_cast<int>(lat.size()) != expected) state.SkipWithError("not every report was recorded");
}

void BM_SharedStore11x4(benchmark::State& state) {
  const char* admin = std::getenv("FIREBREAK_BENCH_PG");
  if (!admin || !*admin) {
    state.SkipWithError("FIREBREAK_BENCH_PG is not set (tools/pg_cluster.sh start DIR --durable prints a URL)");
    return;
  }
  const std::vector<store::Office> offices = store::OfficesOf(Rules());
  const int total = TotalReports(), writers = static_cast<int>(offices.size()) * kWritersPerOffice;
  for (auto _ : state) {
    const std::string tag = "fbbench" + std::to_string(::getpid());
    const fs::path dir = fs::temp_directory_path() / tag;
    fs::create_directories(dir);
    Sql(admin, "CREATE DATABASE " + tag);
    const std::string url = WithDb(admin, UserOf(admin), PasswordOf(admin), tag);
    store::SetupOptions so;
    so.role_prefix = tag + "_";
    store::SetupResult setup = store::SetupSharedStore(url, Rules(), so);
    Writers w;
    for (int i = 0; i < writers; ++i) {
      const store::Office& o = offices[i / kWritersPerOffice];
      const std::string role = tag + "_" + o.id;
      if (i % kWritersPerOffice == 0) Sql(url, "ALTER ROLE " + role + " PASSWORD 'bench'");
      w.store.push_back(WithDb(admin, role, "bench", tag));
      w.key.push_back((dir / (o.id + ".key")).string());
      w.county.push_back(o.county ? *o.county : Rules().counties.front().name);
      w.close_by.push_back(o.kind == "city" ? "deputy_commander" : "county_hq");
      w.tag.push_back("O" + o.id + "W" + std::to_string(i % kWritersPerOffice));
      w.n.push_back(total / writers + (i < total % writers ? 1 : 0));
    }
    for (const auto& o : offices) {  // each office's key before its writers start (no race creating it)
      store::OpenOptions oo;
      oo.key_file = (dir / (o.id + ".key")).string();
      store::Store::Open(WithDb(admin, tag + "_" + o.id, "bench", tag), oo);
    }
    auto [lat, wall] = Run(w, dir);
    Report(state, lat, wall, total);
    const auto v0 = std::chrono::steady_clock::now();
    store::VerifyOptions vo;
    vo.key_dir = dir.string();
    store::VerifyResult v = store::VerifyStore(url, vo);
    state.counters["verify_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
    if (!v.ok || !v.keyed || v.reports != total) state.SkipWithError("store verify failed or reports missing");
    Sql(admin, "DROP DATABASE " + tag + " WITH (FORCE)");
    for (const auto& [office, role] : setup.roles) Sql(admin, "DROP ROLE " + role);
    Sql(admin, "DROP ROLE " + tag + "_office");
    fs::remove_all(dir);
  }
}
BENCHMARK(BM_SharedStore11x4)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// One office on SQLite: one writer on one file, the per-office share of the reports. (Four desk processes on one
// file give up: the desk's optimistic read-then-check finds the file changed on every attempt, "other processes
// kept writing ... (5 attempts)": the SQLite desk is built for one recording process per office.)
void BM_SqliteOneOffice(benchmark::State& state) {
  const int offices = static_cast<int>(store::OfficesOf(Rules()).size());
  const int total = TotalReports() / offices;
  for (auto _ : state) {
    const fs::path dir = fs::temp_directory_path() / ("fbbench-sqlite" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string file = (dir / "office.sqlite").string(), key = (dir / "office.key").string();
    {
      store::OpenOptions oo;
      oo.key_file = key;
      store::Store::Open(file, oo);
    }
    Writers w;
    for (int i = 0; i < 1; ++i) {
      w.store.push_back(file);
      w.key.push_back(key);
      w.county.push_back(Rules().counties.front().name);
      w.close_by.push_back("deputy_commander");
      w.tag.push_back("W" + std::to_string(i));
      w.n.push_back(total);
    }
    auto [lat, wall] = Run(w, dir);
    Report(state, lat, wall, total);
    store::VerifyOptions vo;
    vo.key_file = key;
    if (!store::VerifyStore(file, vo).ok) state.SkipWithError("store verify failed");
    fs::remove_all(dir);
  }
}
BENCHMARK(BM_SqliteOneOffice)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
