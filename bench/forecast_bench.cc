// forecast benchmarks (results and commands: docs/benchmarks.md, "forecast").
//   * Projection24h_1000x1000: a 24-hour projection on a 1,000 x 1,000 30 m landscape (example_lcp.tif mirrored
//     2 x 2: real LANDFIRE fuels and terrain), one core: Rothermel wavelets (lazy), the search, the area curve and the
//     plan thresholds through the engine. Counters: burned cells, heap pops.
//   * Ensemble100_1000x1000: RunForecast with 100 members on 2 threads over the same landscape (written once as an
//     LCP GeoTIFF into $FIREBREAK_BENCH_DIR, default /tmp/firebreak_bench): everything, including reading it.
//   * Process_ExampleLcp12h: the whole `firebreak forecast` process on example_lcp.tif, 12 h (plugin load, rules,
//     landscape, projection, JSON) — to set beside the peers' solver times.
//   * Flat600_GR2_6h: flat 600 x 600 GR2, 6 h (a peer's published test case).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <benchmark/benchmark.h>

#include "firebreak/engine/engine.h"
#include "firebreak/fire/surface.h"
#include "firebreak/forecast/behaviour.h"
#include "firebreak/forecast/forecast.h"
#include "firebreak/forecast/landscape.h"
#include "firebreak/forecast/projection.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace firebreak;
using namespace firebreak::forecast;

namespace {

std::string SharedData(const std::string& rel) {
  const char* env = std::getenv("FIREBREAK_SHARED_DATA");
  return std::string(env ? env : FIREBREAK_SHARED_DATA) + "/" + rel;
}

fs::path BenchDir() {
  const char* env = std::getenv("FIREBREAK_BENCH_DIR");
  fs::path d = env ? env : "/tmp/firebreak_bench";
  fs::create_directories(d);
  return d;
}

const fire::FuelModelTable& Models() {
  static const fire::FuelModelTable t =
      fire::FuelModelTable::Load(SharedData("reference/behave-surface/fuel_models.csv"));
  return t;
}

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  return r;
}

// example_lcp.tif mirrored 2 x 2 and cropped to n x n (aspects mirrored with the terrain). grass: every burnable
// cell holds GR2 instead (the stress case: nearly every cell burns within 24 h).
Landscape MakeMirrored(int n, bool grass) {
  {
    const Landscape src = LoadLandscape({SharedData("fallback_dem_montana_idaho/example_lcp.tif")}, Models());
    Landscape m;
    m.rows = m.cols = n;
    m.frame = gis::MakeGrid(n, n, src.frame.gt, src.frame.wkt);
    const std::size_t cells = static_cast<std::size_t>(n) * n;
    m.fuel.resize(cells);
    m.slope_deg.resize(cells);
    m.aspect_deg.resize(cells);
    m.canopy_cover.resize(cells);
    m.canopy_height_m.resize(cells);
    m.canopy_base_m.resize(cells);
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < n; ++c) {
        const bool fr = r >= src.rows, fc = c >= src.cols;
        const int sr = fr ? 2 * src.rows - 1 - r : r, sc = fc ? 2 * src.cols - 1 - c : c;
        const std::size_t i = static_cast<std::size_t>(r) * n + c, j = static_cast<std::size_t>(sr) * src.cols + sc;
        float a = src.aspect_deg[j];
        if (fc) a = 360 - a;
        if (fr) a = 180 - a;
        m.aspect_deg[i] = std::fmod(a + 720.0f, 360.0f);
        m.frame.z[i] = src.frame.z[j];
        m.fuel[i] = src.fuel[j];
        m.slope_deg[i] = src.slope_deg[j];
        m.canopy_cover[i] = src.canopy_cover[j];
        m.canopy_height_m[i] = src.canopy_height_m[j];
        m.canopy_base_m[i] = src.canopy_base_m[j];
      }
    }
    m.description = "example_lcp.tif mirrored 2 x 2";
    if (grass) {
      for (auto& f : m.fuel) {
        if (f >= 101) f = 102;
      }
    }
    CompleteLandscape(m, Models());
    return m;
  }
}
const Landscape& Mirrored(int n) {
  static const Landscape l = MakeMirrored(n, false);
  return l;
}
const Landscape& MirroredGrass(int n) {
  static const Landscape l = MakeMirrored(n, true);
  return l;
}

SurfaceWeather DryWind() {
  SurfaceWeather w;
  const char* wind = std::getenv("FOREST_BENCH_WIND");
  w.wind_ms = wind ? std::atof(wind) : 5.6;  // 20 km/h at 10 m
  w.wind_from_deg = 250;
  w.moisture = *ParseMoisture("D1L1");
  return w;
}

void Projection24h(benchmark::State& state, const Landscape& land) {
  const fire::SurfaceFuels fuels(Models());
  const engine::Engine engine(Rules());
  const auto radius = HomogeneousRadius(land.rows, land.cols, land.edge);
  const engine::Incident report =
      format::ParseReports(R"({"incident_id": "B", "reported_at": "2026-08-10T13:00:00-06:00"})", "bench", Rules())
          .front();
  const MapOnGrid map;
  Ignition ign;
  const char* at = std::getenv("FOREST_BENCH_AT");
  double col = 500.5, row = 600.5;
  if (at) std::sscanf(at, "%lf,%lf", &col, &row);
  ign.points.push_back({col, row});
  SolveOptions opt;
  opt.horizon_min = 24 * 60;
  std::size_t burned = 0, pops = 0;
  for (auto _ : state) {
    const SurfaceBehaviour beh(land, fuels, DryWind());
    const Arrival a = Solve(beh.Grid(radius), ign, opt);
    const RunTimes run = Summarise(a, map, 0, land.frame.cell_x_m * land.frame.cell_y_m,
                                   static_cast<int>(row) * land.cols + static_cast<int>(col));
    const std::vector<Crossing> c = FindCrossings(engine, report, run, map, 24);
    benchmark::DoNotOptimize(c.data());
    burned = a.order.size();
    pops = a.pops;
  }
  state.counters["burned_cells"] = static_cast<double>(burned);
  state.counters["pops"] = static_cast<double>(pops);
}
void Projection24h_1000x1000(benchmark::State& state) { Projection24h(state, Mirrored(1000)); }
void Projection24h_1000x1000_Grass(benchmark::State& state) { Projection24h(state, MirroredGrass(1000)); }
BENCHMARK(Projection24h_1000x1000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(Projection24h_1000x1000_Grass)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// The mirrored landscape as an LCP GeoTIFF (7 bands, LCP units), written once.
std::string MirroredFile() {
  const fs::path p = BenchDir() / "forecast_mirrored_1000.tif";
  if (fs::exists(p)) return p.string();
  const Landscape& l = Mirrored(1000);
  const std::size_t n = l.size();
  std::vector<gis::Grid> bands(7, l.frame);
  for (std::size_t i = 0; i < n; ++i) {
    bands[1].z[i] = l.slope_deg[i];
    bands[2].z[i] = l.aspect_deg[i];
    bands[3].z[i] = l.fuel[i];
    bands[4].z[i] = l.canopy_cover[i] * 100;
    bands[5].z[i] = l.canopy_height_m[i] * 10;
    bands[6].z[i] = l.canopy_base_m[i] * 10;
  }
  std::vector<std::string> parts;
  for (int b = 0; b < 7; ++b) {
    parts.push_back((BenchDir() / ("band" + std::to_string(b) + ".tif")).string());
    gis::WriteGeoTiff(bands[static_cast<std::size_t>(b)], parts.back());
  }
  std::string cmd = "gdal_merge.py -q -separate -co COMPRESS=LZW -o " + p.string();
  for (const auto& s : parts) cmd += " " + s;
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("gdal_merge.py failed");
  for (const auto& s : parts) fs::remove(s);
  return p.string();
}

void Ensemble100_1000x1000(benchmark::State& state) {
  const std::string file = MirroredFile();
  const engine::Incident report =
      format::ParseReports(
          R"({"incident_id": "B", "reported_at": "2026-08-10T13:00:00-06:00", "location": {"lon": -114.084623, "lat": 46.597244},
          "weather": {"wind_speed_ms": 5.6, "wind_dir_deg": 250}})",
          "bench", Rules())
          .front();
  ForecastOptions opt;
  opt.landscape.landscape = file;
  opt.hours = 24;
  opt.ensemble = 100;
  opt.threads = 2;
  opt.moisture = "D1L1";
  opt.geometry = false;
  opt.fuel_models = SharedData("reference/behave-surface/fuel_models.csv");
  double burned = 0;
  for (auto _ : state) {
    const ForecastResult r = RunForecast(report, Rules(), opt);
    burned = r.area_curve.back().second;
    benchmark::DoNotOptimize(r.thresholds.data());
  }
  state.counters["base_run_ha"] = burned;
}
BENCHMARK(Ensemble100_1000x1000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(2);

// Runs the firebreak binary once; returns its exit status.
int Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) return -1;
  posix_spawn_file_actions_destroy(&fa);
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

double ChildrenCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

void Process_ExampleLcp12h(benchmark::State& state) {
  const double cpu0 = ChildrenCpuSeconds();
  const std::vector<std::string> args = {
      FIREBREAK_BINARY,
      "forecast",
      std::string(FIREBREAK_SOURCE_DIR) + "/tests/forecast/data/mt_golden_report.json",
      "--landscape",
      SharedData("fallback_dem_montana_idaho/example_lcp.tif"),
      "--hours",
      "12",
      "--moisture",
      "D1L1",
      "--format",
      "json"};
  for (auto _ : state) {
    if (Spawn(args) != 0) state.SkipWithError("firebreak forecast failed");
  }
  // The child's own CPU time (user + system) per run: what the process costs on an idle core.
  state.counters["process_cpu_ms"] = (ChildrenCpuSeconds() - cpu0) * 1e3 / static_cast<double>(state.iterations());
}
BENCHMARK(Process_ExampleLcp12h)->Unit(benchmark::kMillisecond)->UseRealTime();

void Flat600_GR2_6h(benchmark::State& state) {
  Landscape l;
  l.rows = l.cols = 600;
  l.frame = gis::MakeGrid(600, 600, {300000, 30, 0, 2778000, 0, -30}, "EPSG:32649");
  l.fuel.assign(600 * 600, 102);
  l.slope_deg.assign(600 * 600, 0);
  l.aspect_deg.assign(600 * 600, 0);
  CompleteLandscape(l, Models());
  const fire::SurfaceFuels fuels(Models());
  const auto radius = HomogeneousRadius(600, 600, l.edge);
  Ignition ign;
  ign.points.push_back({150.5, 300.5});
  SolveOptions opt;
  opt.horizon_min = 6 * 60;
  std::size_t burned = 0;
  for (auto _ : state) {
    SurfaceWeather w = DryWind();
    w.wind_from_deg = 270;
    const SurfaceBehaviour beh(l, fuels, w);
    const Arrival a = Solve(beh.Grid(radius), ign, opt);
    burned = a.order.size();
    benchmark::DoNotOptimize(a.minutes.data());
  }
  state.counters["burned_cells"] = static_cast<double>(burned);
}
BENCHMARK(Flat600_GR2_6h)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
