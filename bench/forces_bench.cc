// Deployment-plan benchmarks (helper d). Targets (issue 6):
//   * 200 units over a grid graph from a 1,000 x 1,000 DEM window: <= 1 s INCLUDING the graph build;
//   * 200 units over a 100,000-edge road graph: <= 50 ms (graph loaded once, as `deploy` does per call).
// Synthetic inputs, fixed seed: a hilly 30 m DEM in UTM 49N near Liuzhou, a generated road grid.
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <random>

#include "firebreak/forces/deploy.h"
#include "firebreak/gis/raster.h"

namespace fb = firebreak;
namespace ff = firebreak::forces;

namespace {

fb::engine::RuleSet Rules() {
  fb::engine::RuleSet r;
  r.meta.id = "bench";
  r.counties = {{"柳城县", "450222", "柳城", "Liucheng County"}};
  fb::engine::ForceCategory main{"main", {"主力", "main"}, "4.1", 1, {"pro"}, {}, "", {}};
  r.force_categories = {main};
  fb::engine::RequestChannel local;
  local.id = "local";
  local.clause = "4.2";
  local.scope = "local";
  local.unit_types = {"pro"};
  fb::engine::RequestChannel cross = local;
  cross.id = "cross_county";
  cross.scope = "cross_county";
  r.request_channels = {local, cross};
  return r;
}

// Hills: a sum of sines with ~1.5 km and ~400 m wavelengths, relief ~300 m (slopes up to ~40°).
fb::gis::Grid HillyDem(int n) {
  fb::gis::Grid g = fb::gis::MakeGrid(n, n, {300000.0, 30.0, 0.0, 2700000.0, 0.0, -30.0}, "EPSG:32649");
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      g.z[g.Index(r, c)] =
          static_cast<float>(400 + 120 * std::sin(r * 0.125) * std::cos(c * 0.11) + 40 * std::sin(r * 0.47 + c * 0.31));
  return g;
}

ff::Registry Units(int count, double lon0, double lat0, double dlon, double dlat, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> ulon(lon0, lon0 + dlon), ulat(lat0, lat0 + dlat);
  ff::Registry reg;
  for (int i = 0; i < count; ++i) {
    ff::ForceUnit u;
    u.id = "u" + std::to_string(i);
    u.name = {u.id, u.id};
    u.type = "pro";
    u.home_county = i % 2 ? "柳城县" : "";
    u.base = {ulon(rng), ulat(rng)};
    u.strength = 20;
    u.readiness = fb::Seconds(900);
    reg.units.push_back(u);
  }
  return reg;
}

void BM_Plan200UnitsDem1000(benchmark::State& state) {
  const auto rules = Rules();
  ff::DeployInputs in;
  in.dem = HillyDem(1000);
  const fb::engine::LonLat sw = in.dem->CellCentreWgs84(990, 10), ne = in.dem->CellCentreWgs84(10, 990);
  const ff::Registry reg = Units(200, sw.lon, sw.lat, ne.lon - sw.lon, ne.lat - sw.lat, 7);
  ff::DeployRequest q;
  q.fire = in.dem->CellCentreWgs84(500, 500);
  q.county = "柳城县";
  q.level = fb::engine::Level::kIII;
  ff::DeployOptions opt;
  opt.walk_in = fb::Metres(50000);  // every unit walks the whole way on the grid: the full 1M-cell search
  std::size_t walked = 0;
  for (auto _ : state) {
    ff::DeploymentPlan p = ff::PlanDeployment(rules, reg, q, in, opt);  // builds the walk graph every time
    walked = 0;
    for (const auto& u : p.units) walked += !u.estimated;
    benchmark::DoNotOptimize(p);
  }
  state.counters["units_walked_on_grid"] = static_cast<double>(walked);
  state.counters["cells"] = 1e6;
}
BENCHMARK(BM_Plan200UnitsDem1000)->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_BuildWalkGraph1000(benchmark::State& state) {
  const fb::gis::Grid dem = HillyDem(1000);
  std::size_t edges = 0;
  for (auto _ : state) {
    ff::TravelGraph g = ff::BuildWalkGraph(dem, ff::WalkDirection::kInward);
    edges = g.edge_count();
    benchmark::DoNotOptimize(g);
  }
  state.counters["arcs"] = static_cast<double>(edges);
}
BENCHMARK(BM_BuildWalkGraph1000)->Unit(benchmark::kMillisecond);

// A road grid of k x k nodes, 200 m apart, classes alternating; k = 224 gives 2*224*223 = 99,904 segments.
std::vector<ff::RoadLine> RoadGrid(int k, double lon0, double lat0) {
  const double dlat = 200.0 / 111195.0, dlon = dlat / std::cos(lat0 * 3.14159265358979 / 180.0);
  std::vector<ff::RoadLine> lines;
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < k; ++j) {
      const fb::engine::LonLat p{lon0 + j * dlon, lat0 + i * dlat};
      if (j + 1 < k) lines.push_back({i % 10 == 0 ? "primary" : "track", {p, {p.lon + dlon, p.lat}}, ""});
      if (i + 1 < k) lines.push_back({j % 10 == 0 ? "primary" : "track", {p, {p.lon, p.lat + dlat}}, ""});
    }
  return lines;
}

ff::RoadConfig RoadCfg() {
  ff::RoadConfig c;
  c.speed_kmh = {{"primary", 60}, {"track", 20}};
  return c;
}

void BM_Plan200UnitsRoads100k(benchmark::State& state) {
  const auto rules = Rules();
  const double lon0 = 109.0, lat0 = 24.5;
  const auto lines = RoadGrid(224, lon0, lat0);
  ff::DeployInputs in;
  in.roads = std::make_shared<ff::RoadNetwork>(ff::RoadNetwork::FromLines(lines, RoadCfg()));
  const double span_lat = 223 * 200.0 / 111195.0, span_lon = span_lat / std::cos(lat0 * 3.14159265358979 / 180.0);
  const ff::Registry reg = Units(200, lon0, lat0, span_lon, span_lat, 11);
  ff::DeployRequest q;
  q.fire = {lon0 + span_lon / 2 + 0.0003, lat0 + span_lat / 2 + 0.0003};
  q.county = "柳城县";
  q.level = fb::engine::Level::kIII;
  std::size_t on_road = 0;
  for (auto _ : state) {
    ff::DeploymentPlan p = ff::PlanDeployment(rules, reg, q, in);
    on_road = 0;
    for (const auto& u : p.units) on_road += !u.legs.empty() && u.legs.size() >= 2;
    benchmark::DoNotOptimize(p);
  }
  state.counters["road_segments"] = static_cast<double>(in.roads->graph().edge_count() / 2);
  state.counters["units_routed"] = static_cast<double>(on_road);
}
BENCHMARK(BM_Plan200UnitsRoads100k)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_BuildRoadGraph100k(benchmark::State& state) {
  const auto lines = RoadGrid(224, 109.0, 24.5);
  for (auto _ : state) {
    ff::RoadNetwork net = ff::RoadNetwork::FromLines(lines, RoadCfg());
    benchmark::DoNotOptimize(net);
  }
}
BENCHMARK(BM_BuildRoadGraph100k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
