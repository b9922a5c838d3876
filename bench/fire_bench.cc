// Fire (issue 9): surface-fire evaluations per second on one core over a mix of all 53 standard fuel models,
// moistures, winds and slopes; FWI for one station-year; the FWI over a 5,000 x 5,000 grid, one day, with the
// `fire grid` kernel and with a plain single-threaded loop over the same arrays in the same run.
// Results and commands: docs/benchmarks.md, docs/bench/fire.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "firebreak/fire/fuel_models.h"
#include "firebreak/fire/fwi.h"
#include "firebreak/fire/fwi_grid.h"
#include "firebreak/fire/rothermel.h"
#include "firebreak/fire/surface.h"

namespace {

using namespace firebreak::fire;

const FuelModelTable& Table() {
  static const FuelModelTable t = FuelModelTable::Load(FuelModelPath());
  return t;
}

struct MixRow {
  const SurfaceFuel* fuel;
  SpreadInputs in;
};

// 1,000 rows cycling through the 53 burnable standard models with random moistures (dead 2-16 %, live 30-200 %),
// midflame winds 0-10 mi/h, wind directions 0-360° and slopes 0-45°. Fixed seed.
std::vector<MixRow> Mix(const SurfaceFuels& fuels) {
  std::vector<const SurfaceFuel*> models;
  for (const FuelModel& m : Table().models())
    if (m.burnable) models.push_back(fuels.Find(m.number));
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> dead(0.02, 0.16), live(0.3, 2.0), wind(0, 10 * 88), dir(0, 360), slope(0, 45);
  std::vector<MixRow> rows;
  for (int i = 0; i < 1000; ++i) {
    MixRow r{models[static_cast<std::size_t>(i) % models.size()], {}};
    const double d = dead(rng);
    r.in.moisture = {d, d + 0.01, d + 0.02, live(rng), live(rng)};
    r.in.midflame_wind_ftmin = wind(rng);
    r.in.wind_dir_deg = dir(rng);
    r.in.slope_deg = slope(rng);
    rows.push_back(r);
  }
  return rows;
}

// One evaluation = a full surface run: fuel bed (curing), reaction intensity, spread with wind and slope as
// vectors, effective wind, length-to-width, backing/flanking, Byram intensity and flame length. The 1,000 runs go
// through SpreadBatch (the form a grid or an ensemble calls); BM_SurfaceSingle calls Spread() once per run.
void BM_SurfaceMix(benchmark::State& state) {
  const SurfaceFuels fuels(Table());
  const std::vector<MixRow> rows = Mix(fuels);
  std::vector<const SurfaceFuel*> f;
  std::vector<SpreadInputs> in;
  for (const MixRow& r : rows) f.push_back(r.fuel), in.push_back(r.in);
  std::vector<SpreadResult> out(rows.size());
  for (auto _ : state) {
    SpreadBatch(f.data(), in.data(), out.data(), rows.size());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_SurfaceMix);

void BM_SurfaceSingle(benchmark::State& state) {
  const SurfaceFuels fuels(Table());
  const std::vector<MixRow> rows = Mix(fuels);
  std::size_t i = 0;
  for (auto _ : state) {
    const MixRow& r = rows[i];
    benchmark::DoNotOptimize(Spread(*r.fuel, r.in));
    if (++i == rows.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SurfaceSingle);

// The same through the BehavePlus-conventions layer (20-ft wind with the computed WAF, north mode, aspect).
void BM_SurfaceMixWithConventions(benchmark::State& state) {
  const SurfaceFuels fuels(Table());
  const std::vector<MixRow> rows = Mix(fuels);
  std::vector<SurfaceCase> cases;
  for (const MixRow& r : rows) {
    SurfaceCase c;
    c.fuel_model = r.fuel->model().number;
    c.moisture = r.in.moisture;
    c.wind_speed_ftmin = r.in.midflame_wind_ftmin * 2.5;
    c.orientation = Orientation::kNorth;
    c.wind_direction_deg = r.in.wind_dir_deg;
    c.aspect_deg = 135;
    c.slope_deg = r.in.slope_deg;
    c.canopy_cover = 0.4;
    c.canopy_height_ft = 30;
    c.crown_ratio = 0.5;
    cases.push_back(c);
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RunSurface(*rows[i].fuel, cases[i]));
    if (++i == rows.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SurfaceMixWithConventions);

// FWI for one station-year: 365 days from the start-up codes (weather from a fixed seed).
void BM_FwiStationYear(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> t(0, 35), h(15, 100), w(0, 40), u(0, 1);
  std::vector<NoonWeather> year;
  for (int d = 0; d < 365; ++d) {
    const double r = u(rng);
    year.push_back({d / 31 + 1, t(rng), h(rng), w(rng), r < 0.7 ? 0.0 : (r - 0.7) * 60});
  }
  const DayLength dl = DayLengthFor(24.3);
  for (auto _ : state) benchmark::DoNotOptimize(RunFwi(FwiCodes{}, year, dl));
  state.SetItemsProcessed(state.iterations() * 365);
}
BENCHMARK(BM_FwiStationYear)->Unit(benchmark::kMicrosecond);

// 5,000 x 5,000 cells, one day; arg 0 = the plain loop (Step() per cell, one thread), 1 = the `fire grid` kernel
// with 1 thread, 2 = with 2 threads. The arrays are built once and shared by the three.
struct GridArrays {
  std::size_t n;
  std::vector<float> t, h, w, r, f, p, d;
  std::vector<float> out[7];
  GridArrays() {
    const char* side_env = std::getenv("FIREBREAK_BENCH_GRID_SIDE");
    const std::size_t side = side_env ? std::stoul(side_env) : 5000;
    n = side * side;
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<float> T(5, 35), H(10, 100), W(0, 40), R(0, 1), F(60, 95), P(5, 80), D(50, 500);
    for (auto* v : {&t, &h, &w, &r, &f, &p, &d}) v->resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = T(rng), h[i] = H(rng), w[i] = W(rng), f[i] = F(rng), p[i] = P(rng), d[i] = D(rng);
      const float x = R(rng);
      r[i] = x < 0.7f ? 0.0f : (x - 0.7f) * 40;
    }
    for (auto& o : out) o.resize(n);
  }
};

void BM_FwiGrid5000(benchmark::State& state) {
  static GridArrays g;
  const FwiGridInput in{g.n,        g.t.data(), g.h.data(), g.w.data(), g.r.data(),        g.f.data(),
                        g.p.data(), g.d.data(), FwiCodes{}, 3,          DayLengthFor(24.3)};
  const FwiGridOutput out{g.out[0].data(), g.out[1].data(), g.out[2].data(), g.out[3].data(),
                          g.out[4].data(), g.out[5].data(), g.out[6].data()};
  for (auto _ : state) {
    if (state.range(0) == 0)
      FwiGridPlain(in, out);
    else
      FwiGridFast(in, out, static_cast<int>(state.range(0)));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(g.n));
}
BENCHMARK(BM_FwiGrid5000)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
