// gis benchmarks (results: docs/bench/c.md).
//   * whole-raster slope + aspect + slope class on missoula_valley.tif and on a generated 10,000 x 10,000 DEM,
//     side by side with `gdaldem slope` on the same file in the same run;
//   * local analysis for a 5 km radius around a point on a 30 m DEM (reads only the window), with the
//     process's peak RSS as a counter (run it alone to see its own peak: --benchmark_filter=Local).
// The 10k x 10k DEM is generated once into $FIREBREAK_BENCH_DIR (default /tmp/firebreak_bench).
#include <sys/resource.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>

#include "firebreak/gis/raster.h"
#include "firebreak/gis/site.h"
#include "firebreak/gis/terrain.h"

namespace fs = std::filesystem;
using namespace firebreak;
using namespace firebreak::gis;

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

double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

// A 10,000 x 10,000 Float32 DEM (1.2 m cells, UTM 49N): ridges and valleys from a few sine waves, so slopes
// cover all classes. Written once (DEFLATE, tiled).
const std::string& BigDem() {
  static const std::string path = [] {
    const fs::path p = BenchDir() / "dem_10000x10000.tif";
    if (!fs::exists(p)) {
      const int n = 10000;
      Grid g = MakeGrid(n, n, {322000, 1.2, 0, 2772000, 0, -1.2}, "EPSG:32649");
      for (int r = 0; r < n; ++r) {
        const double y = r * 1.2;
        for (int c = 0; c < n; ++c) {
          const double x = c * 1.2;
          g.z[g.Index(r, c)] = static_cast<float>(400 + 60 * std::sin(x / 150.0) * std::cos(y / 210.0) +
                                                  25 * std::sin((x + y) / 57.0) + 0.002 * x);
        }
      }
      WriteGeoTiff(g, p.string());
    }
    return p.string();
  }();
  return path;
}

// The same 10,000 x 10,000 file seen as a 30 m DEM (a VRT with a 30 m geotransform): 300 km x 300 km, so a
// 5 km window is 1 % of it. Shows that local analysis reads only its window (peak RSS far below 400 MB).
const std::string& BigDem30() {
  static const std::string path = [] {
    const fs::path p = BenchDir() / "dem_10000x10000_30m.vrt";
    std::ofstream out(p);
    out << "<VRTDataset rasterXSize=\"10000\" rasterYSize=\"10000\">\n"
           "  <SRS>EPSG:32649</SRS>\n"
           "  <GeoTransform>322000, 30, 0, 2772000, 0, -30</GeoTransform>\n"
           "  <VRTRasterBand dataType=\"Float32\" band=\"1\">\n"
           "    <NoDataValue>-32768</NoDataValue>\n"
           "    <SimpleSource><SourceFilename relativeToVRT=\"0\">"
        << BigDem()
        << "</SourceFilename>\n"
           "      <SourceBand>1</SourceBand></SimpleSource>\n"
           "  </VRTRasterBand>\n</VRTDataset>\n";
    return p.string();
  }();
  return path;
}

void SlopeAspectClass(benchmark::State& state, const std::string& path, bool include_read) {
  if (!fs::exists(path)) {
    state.SkipWithError(("missing " + path).c_str());
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  std::optional<Grid> pre;
  if (!include_read) pre = Raster::Open(path).ReadAll();
  for (auto _ : state) {
    if (include_read) {
      Grid g = Raster::Open(path).ReadAll();
      SlopeAspect sa = ComputeSlopeAspect(g, threads);
      benchmark::DoNotOptimize(sa.slope_deg.data());
    } else {
      SlopeAspect sa = ComputeSlopeAspect(*pre, threads);
      benchmark::DoNotOptimize(sa.slope_deg.data());
    }
  }
  const Grid& g = pre ? *pre : Raster::Open(path).ReadAll();
  state.counters["cells"] = static_cast<double>(g.rows) * g.cols;
  state.counters["Mcells/s"] =
      benchmark::Counter(static_cast<double>(g.rows) * g.cols * state.iterations() / 1e6, benchmark::Counter::kIsRate);
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}

// Read + slope/aspect/class + write the slope as a GeoTIFF: the same work gdaldem slope does (and more).
void EndToEnd(benchmark::State& state, const std::string& path) {
  if (!fs::exists(path)) {
    state.SkipWithError(("missing " + path).c_str());
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  const std::string out = (BenchDir() / "ours_slope.tif").string();
  for (auto _ : state) {
    Grid g = Raster::Open(path).ReadAll();
    SlopeAspect sa = ComputeSlopeAspect(g, threads);
    g.z = std::move(sa.slope_deg);
    WriteGeoTiff(g, out);
  }
}

void Gdaldem(benchmark::State& state, const std::string& path, bool deflate) {
  if (!fs::exists(path)) {
    state.SkipWithError(("missing " + path).c_str());
    return;
  }
  const std::string out = (BenchDir() / "gdaldem_slope.tif").string();
  const std::string cmd = "/usr/bin/gdaldem slope -q -alg Horn " +
                          std::string(deflate ? "-co COMPRESS=DEFLATE -co TILED=YES " : "") + "'" + path + "' '" + out +
                          "'";
  for (auto _ : state) {
    if (std::system(cmd.c_str()) != 0) {
      state.SkipWithError("gdaldem failed (is gdal-bin installed?)");
      return;
    }
  }
}

const std::string kMissoula = "fallback_dem_montana_idaho/missoula_valley.tif";

void BM_Missoula_Compute(benchmark::State& s) { SlopeAspectClass(s, SharedData(kMissoula), false); }
void BM_Missoula_ReadCompute(benchmark::State& s) { SlopeAspectClass(s, SharedData(kMissoula), true); }
void BM_Missoula_EndToEnd(benchmark::State& s) { EndToEnd(s, SharedData(kMissoula)); }
void BM_Missoula_Gdaldem(benchmark::State& s) { Gdaldem(s, SharedData(kMissoula), false); }
void BM_Missoula_GdaldemDeflate(benchmark::State& s) { Gdaldem(s, SharedData(kMissoula), true); }
void BM_Big_Compute(benchmark::State& s) { SlopeAspectClass(s, BigDem(), false); }
void BM_Big_ReadCompute(benchmark::State& s) { SlopeAspectClass(s, BigDem(), true); }
void BM_Big_EndToEnd(benchmark::State& s) { EndToEnd(s, BigDem()); }
void BM_Big_GdaldemDeflate(benchmark::State& s) { Gdaldem(s, BigDem(), true); }

// Local analysis: 5 km window around a point on the 30 m Missoula DEM (slope, aspect, TPI at two scales,
// curvature classes, narrow valley and box canyon near the point, cliffs, facts; no vector layers, no zones).
void BM_Local5km(benchmark::State& state) {
  const std::string path = SharedData(kMissoula);
  if (!fs::exists(path)) {
    state.SkipWithError(("missing " + path).c_str());
    return;
  }
  Dem dem = Dem::Open(path);
  Layers none;
  SiteOptions opt;
  opt.radius = Metres(5000);
  opt.zones = state.range(0) != 0;
  const LonLat at{-114.0, 46.90};
  double cells = 0;
  for (auto _ : state) {
    SiteAnalysis s = AnalyzeSite(none, &dem, at, opt);
    cells = s.window_cells;
    benchmark::DoNotOptimize(s.facts);
  }
  state.counters["window_cells"] = cells;
  state.counters["raster_cells"] = static_cast<double>(dem.rows()) * dem.cols();
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}

// Local analysis on the 300 km x 300 km 30 m DEM (run alone for its own peak RSS:
// --benchmark_filter=Local5km_Big30).
void BM_Local5km_Big30(benchmark::State& state) {
  Dem dem = Dem::Open(BigDem30());
  Layers none;
  SiteOptions opt;
  opt.radius = Metres(5000);
  opt.zones = false;
  // The centre of the 300 km square (UTM 49N 472 km E, 2622 km N).
  const LonLat at = MakeGrid(1, 1, {471985, 30, 0, 2622015, 0, -30}, "EPSG:32649").CellCentreWgs84(0, 0);
  double cells = 0;
  for (auto _ : state) {
    SiteAnalysis s = AnalyzeSite(none, &dem, at, opt);
    cells = s.window_cells;
    benchmark::DoNotOptimize(s.facts);
  }
  state.counters["window_cells"] = cells;
  state.counters["raster_cells"] = static_cast<double>(dem.rows()) * dem.cols();
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}

}  // namespace

BENCHMARK(BM_Local5km_Big30)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Local5km)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Missoula_Compute)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Missoula_ReadCompute)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Missoula_EndToEnd)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Missoula_Gdaldem)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Missoula_GdaldemDeflate)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Big_Compute)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_Big_ReadCompute)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_Big_EndToEnd)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_Big_GdaldemDeflate)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

BENCHMARK_MAIN();
