// Decision-engine throughput with the real Liuzhou rules, no I/O (results: docs/bench/b.md).
//
//   BM_AssessFull      Engine::Assess -> a fresh Decision (every text, fact, note, next-level item): what the CLI
//                      renders. Allocates the Decision's strings each time.
//   BM_AssessInto      the same full Decision, written into one reused Decision (its storage is recycled).
//                      Counter allocs: operator new calls per assessment after the first (0: none).
//   BM_EvaluateLean    level, grade, lead and counts only (no strings).
//   BM_AssessAndJson / BM_AssessAndText   full assessment plus rendering.
//   BM_RenderJsonCompact / BM_RenderJsonFull / BM_RenderText   rendering one decision (default JSON, --full, text).
//   BM_ParseReport     parsing one JSON report.
//   BM_LoadRules       loading and validating rules/liuzhou-2022.yaml (+ compiling it into an Engine).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"

// Counts operator new calls (BM_AssessInto's allocs counter).
std::atomic<std::uint64_t> g_allocs{0};

void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace firebreak;
using namespace firebreak::engine;
using namespace firebreak::format;

const char* kRulesPath = FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml";

// A realistic report: III by area, casualties, residential threat, orange warning, at night, hot and windy.
const char* kReport = R"({
  "incident_id": "LZ-2026-0314-01", "reported_at": "2026-03-14T21:30:00+08:00", "county": "融水苗族自治县",
  "location": {"lon": 109.25, "lat": 25.07}, "open_fire_since": "2026-03-14T08:00:00+08:00",
  "burned_area_ha": 120, "damaged_forest_area_ha": 35, "deaths": 0, "serious_injuries": 2,
  "threatens": ["residential"], "warning_colour": "orange", "dangerous": true,
  "weather": {"temperature_c": 31, "humidity_pct": 28, "wind_speed_ms": 6}})";

const RuleSet& Rules() {
  static const RuleSet r = rules::LoadRuleFile(kRulesPath);
  return r;
}

const Incident& Report() {
  static const Incident in = ParseReports(kReport, "bench.json", Rules()).front();
  return in;
}

void BM_AssessFull(benchmark::State& st) {
  Engine eng(Rules());
  const Incident& in = Report();
  Concurrency c{1, 1};
  for (auto _ : st) {
    Decision d = eng.Assess(in, in.reported_at, c);
    benchmark::DoNotOptimize(d);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AssessFull);

void BM_AssessInto(benchmark::State& st) {
  Engine eng(Rules());
  const Incident& in = Report();
  Concurrency c{1, 1};
  Decision d;
  eng.AssessInto(in, in.reported_at, c, d);  // the first one grows the lists
  const std::uint64_t allocs = g_allocs.load();
  for (auto _ : st) {
    eng.AssessInto(in, in.reported_at, c, d);
    benchmark::DoNotOptimize(d);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["allocs"] = static_cast<double>(g_allocs.load() - allocs) / static_cast<double>(st.iterations());
  st.counters["measures"] = static_cast<double>(d.measures.size());
  st.counters["safety"] = static_cast<double>(d.safety.size());
  st.counters["notes"] = static_cast<double>(d.notes.size());
}
BENCHMARK(BM_AssessInto);

void BM_EvaluateLean(benchmark::State& st) {
  Engine eng(Rules());
  const Incident& in = Report();
  Concurrency c{1, 1};
  for (auto _ : st) {
    Verdict v = eng.Evaluate(in, in.reported_at, c);
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EvaluateLean);

void BM_AssessAndJson(benchmark::State& st) {
  Engine eng(Rules());
  const Incident& in = Report();
  for (auto _ : st) {
    std::string s = DecisionToJson(eng.Assess(in), Rules());
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AssessAndJson);

void BM_AssessAndText(benchmark::State& st) {
  Engine eng(Rules());
  const Incident& in = Report();
  for (auto _ : st) {
    std::string s = DecisionToText(eng.Assess(in), Rules(), "zh");
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AssessAndText);

// Rendering alone, one decision already made: the default compact JSON, the full JSON (--full) and the text
// sheet side by side. Counters: bytes of output.
void BM_RenderJsonCompact(benchmark::State& st) {
  const Decision d = Engine(Rules()).Assess(Report());
  std::size_t bytes = 0;
  for (auto _ : st) {
    std::string s = DecisionToJson(d, Rules());
    bytes = s.size();
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderJsonCompact);

void BM_RenderJsonFull(benchmark::State& st) {
  const Decision d = Engine(Rules()).Assess(Report());
  std::size_t bytes = 0;
  for (auto _ : st) {
    std::string s = DecisionToJson(d, Rules(), JsonDetail::kFull);
    bytes = s.size();
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderJsonFull);

void BM_RenderText(benchmark::State& st) {
  const Decision d = Engine(Rules()).Assess(Report());
  std::size_t bytes = 0;
  for (auto _ : st) {
    std::string s = DecisionToText(d, Rules(), "zh");
    bytes = s.size();
    benchmark::DoNotOptimize(s);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderText);

void BM_ParseReport(benchmark::State& st) {
  const RuleSet& r = Rules();
  for (auto _ : st) {
    auto v = ParseReports(kReport, "bench.json", r);
    benchmark::DoNotOptimize(v);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_ParseReport);

// One `firebreak assess` of N concurrent reports (one JSON array), without the process: read the document,
// parse every report, count the fires burning (ConcurrencyOf), assess each and render the text sheets (issue 13:
// 10,000 concurrent reports <= 1 s). Linear in N: ms per 1,000 reports stays flat from 1,000 to 10,000.
std::string ConcurrentReports(int n) {
  std::string text = "[";
  for (int i = 0; i < n; ++i) {
    text += (i ? ",\n" : "") + std::string(R"({"incident_id":"C-)") + std::to_string(i) +
            R"(","reported_at":"2026-05-12T10:00:00+08:00","open_fire_since":"2026-05-12T08:00:00+08:00",)" +
            R"("burned_area_ha":)" + std::to_string(i % 700 + 1) + R"(,"county":"柳城县","dangerous":)" +
            (i % 3 == 0 ? "true" : "false") + "}";
  }
  return text + "]";
}

void BM_AssessConcurrent(benchmark::State& st) {
  const std::string text = ConcurrentReports(static_cast<int>(st.range(0)));
  Engine eng(Rules());
  for (auto _ : st) {
    std::vector<Incident> all = ParseReports(text, "bench.json", Rules());
    std::vector<Decision> ds = eng.AssessAll(all);
    std::size_t bytes = 0;
    for (const Decision& d : ds) bytes += DecisionToText(d, Rules(), "zh").size();
    benchmark::DoNotOptimize(bytes);
  }
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_AssessConcurrent)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_LoadRules(benchmark::State& st) {
  for (auto _ : st) {
    RuleSet r = rules::LoadRuleFile(kRulesPath);
    Engine eng(r);
    benchmark::DoNotOptimize(eng);
  }
}
BENCHMARK(BM_LoadRules)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
