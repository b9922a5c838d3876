// One forecast's shared context (landscape, layers, ignition, time origin) and one spread run on it.
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "firebreak/common/error.h"
#include "gdal_io.h"
#include "internal.h"
#include "render_util.h"  // Fixed

namespace firebreak::forecast::internal {

namespace {

std::string Where(const engine::Incident& r, const std::string& path) {
  return (r.source.empty() ? std::string("report") : r.source) + ": " + path;
}

bool Burnable(const Landscape& l, const fire::FuelModelTable& t, int i) {
  const fire::FuelModel* m = l.fuel[i] ? t.Find(l.fuel[i]) : nullptr;
  return m && m->burnable;
}

void ApplyBarriers(Landscape& land, const MapOnGrid& map) {
  for (std::size_t i = 0; i < land.size(); ++i) {
    if (!map.barrier[i]) continue;
    land.fuel[i] = 0;
    land.edge[i] = 1;
    const int r = static_cast<int>(i) / land.cols, c = static_cast<int>(i) % land.cols;
    if (c > 0) land.edge[i - 1] = 1;
    if (c + 1 < land.cols) land.edge[i + 1] = 1;
    if (r > 0) land.edge[i - land.cols] = 1;
    if (r + 1 < land.rows) land.edge[i + land.cols] = 1;
  }
}

// The nearest burnable cell to (r, c), for the hint of a non-burnable ignition.
std::string NearestBurnable(const Landscape& l, const fire::FuelModelTable& t, int r0, int c0) {
  for (int d = 1; d < 200; ++d) {
    double best = 1e300;
    int br = -1, bc = -1;
    for (int r = r0 - d; r <= r0 + d; ++r) {
      for (int c = c0 - d; c <= c0 + d; ++c) {
        if (std::max(std::abs(r - r0), std::abs(c - c0)) != d || r < 0 || c < 0 || r >= l.rows || c >= l.cols) continue;
        if (!Burnable(l, t, r * l.cols + c)) continue;
        const double dist = std::hypot((r - r0) * l.frame.cell_y_m, (c - c0) * l.frame.cell_x_m);
        if (dist < best) {
          best = dist;
          br = r;
          bc = c;
        }
      }
    }
    if (br >= 0) {
      const engine::LonLat ll = l.frame.CellCentreWgs84(br, bc);
      return "the nearest burnable cell is " + Fixed(best, 0) + " m away at " + Fixed(ll.lon, 5) + "," +
             Fixed(ll.lat, 5) + " (fuel model " + std::to_string(l.fuel[br * l.cols + bc]) + ")";
    }
  }
  return "no burnable cell within 200 cells";
}

void PointIgnition(Context& ctx, const fire::FuelModelTable& table, ForecastResult& out) {
  const engine::LonLat p = *ctx.report.location;
  const Landscape& l = ctx.land;
  const auto cell = l.CellOf(p);
  if (!cell) {
    const engine::LonLat a = l.frame.CellCentreWgs84(0, 0), b = l.frame.CellCentreWgs84(l.rows - 1, l.cols - 1);
    throw Error(ErrorKind::kGis, Where(ctx.report, "/location"),
                Fixed(p.lon, 5) + "," + Fixed(p.lat, 5) + " lies outside the landscape " + l.description +
                    " (it covers about " + Fixed(std::min(a.lon, b.lon), 3) + ".." + Fixed(std::max(a.lon, b.lon), 3) +
                    " E, " + Fixed(std::min(a.lat, b.lat), 3) + ".." + Fixed(std::max(a.lat, b.lat), 3) + " N)",
                "check the report's location, or give a landscape that covers it");
  }
  const auto [r, c] = *cell;
  ctx.ignition_cell = r * l.cols + c;
  if (!Burnable(l, table, ctx.ignition_cell)) {
    const int code = l.fuel[ctx.ignition_cell];
    const fire::FuelModel* m = code ? table.Find(code) : nullptr;
    throw Error(
        ErrorKind::kGis, Where(ctx.report, "/location"),
        Fixed(p.lon, 5) + "," + Fixed(p.lat, 5) + " lies on non-burnable ground (" +
            (m ? m->code + " " + m->name : std::string(code ? "fuel " + std::to_string(code) : "no fuel data")) +
            ", row " + std::to_string(r) + ", col " + std::to_string(c) + " of " + l.description + ")",
        NearestBurnable(l, table, r, c) + ": check the location");
  }
  const gis::CrsPoint px = l.frame.CrsToPixel(l.frame.Wgs84ToCrs(p));
  ctx.ignition.points.push_back({px.x, px.y});
  out.ignition = p;
  out.ignition_kind = "point";
}

void PerimeterIgnition(Context& ctx, const std::string& file, const fire::FuelModelTable& table, ForecastResult& out) {
  const Landscape& l = ctx.land;
  std::vector<Feature> features = ReadFeatures(file, "", {}, GridSrs(l.frame), "perimeter");
  DatasetPtr ds = MemWindow(l.frame, 0, 0, l.rows, l.cols, GDT_Byte);
  std::vector<OGRGeometry*> geoms;
  for (Feature& f : features) geoms.push_back(f.geometry.get());
  Burn(*ds, geoms, 1, false, file);
  std::vector<std::uint8_t> mask(l.size());
  ReadBand1(*ds, mask.data(), GDT_Byte, file);
  double sr = 0, sc = 0;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (!mask[i] || !Burnable(l, table, static_cast<int>(i))) continue;
    ctx.ignition.cells.push_back(static_cast<int>(i));
    sr += static_cast<double>(i / l.cols) + 0.5;
    sc += static_cast<double>(i % l.cols) + 0.5;
  }
  if (ctx.ignition.cells.empty()) {
    throw Error(ErrorKind::kGis, file, "no burnable cell of " + l.description + " lies inside the perimeter",
                "check the perimeter's CRS and that it overlaps the landscape");
  }
  ctx.ignition_cell = ctx.ignition.cells.front();
  const double n = static_cast<double>(ctx.ignition.cells.size());
  out.ignition = l.frame.CrsToWgs84(l.frame.PixelToCrs(sc / n, sr / n));
  out.ignition_kind = "perimeter";
  out.sources.push_back(file);
}

// Where hour 0 lies on the projection's clock (ForecastResult::origin).
void PlaceOrigin(Context& ctx, ForecastResult& out) {
  const engine::Incident& r = ctx.report;
  const double cell_ha = ctx.land.frame.cell_x_m * ctx.land.frame.cell_y_m / 10000.0;
  ctx.solve.horizon_min = ctx.horizon * 60.0;
  if (!ctx.ignition.cells.empty()) {
    out.origin = "perimeter";
  } else if (r.burned_area_ha && *r.burned_area_ha > 0) {
    ctx.solve.origin_cells = static_cast<std::size_t>(std::max(1.0, std::ceil(*r.burned_area_ha / cell_ha)));
    out.origin = "area";
  } else if (r.open_fire_since && *r.open_fire_since < r.reported_at) {
    ctx.fixed_origin_min = Between(*r.open_fire_since, r.reported_at).value() / 60.0;
    ctx.solve.horizon_min = ctx.fixed_origin_min + ctx.horizon * 60.0;
    out.origin = "open_fire_since";
  } else {
    out.origin = "report";
  }
}

void CollectBounds(const engine::Condition& c, std::set<double>& out) {
  for (const auto& alt : c.any) {
    for (const auto& p : alt.all) {
      if (p.fact != engine::FactId::kKmToCityBoundary) continue;
      for (const auto& b : p.bounds) out.insert(b.value);
    }
  }
}

std::vector<double> CityKmBounds(const engine::RuleSet& rules) {
  std::set<double> v;
  for (const auto& l : rules.levels) {
    for (const auto& t : l.triggers) CollectBounds(t.when, v);
  }
  for (const auto& r : rules.reporting) CollectBounds(r.when, v);
  for (const auto& m : rules.situational_measures) CollectBounds(m.when, v);
  for (const auto& l : rules.lead_rules) CollectBounds(l.when, v);
  return {v.begin(), v.end()};
}

}  // namespace

Context MakeContext(const engine::Incident& report, const engine::RuleSet& rules, const engine::Engine& engine,
                    const fire::FuelModelTable& table, const fire::SurfaceFuels& fuels, const ForecastOptions& opt,
                    ForecastResult& out) {
  Context ctx{report, rules, engine, fuels, LoadLandscape(opt.landscape, table), {}, {}, {}, 0, {}, 0, opt.hours, {}};
  ctx.map = LoadMapOnGrid(ctx.land, opt.layers, opt.barriers);
  ApplyBarriers(ctx.land, ctx.map);
  ctx.radius = HomogeneousRadius(ctx.land.rows, ctx.land.cols, ctx.land.edge);
  ctx.solve.max_line_cells = opt.max_line_cells;
  if (opt.perimeter.empty()) {
    PointIgnition(ctx, table, out);
  } else {
    PerimeterIgnition(ctx, opt.perimeter, table, out);
  }
  PlaceOrigin(ctx, out);
  ctx.city_km_bounds = CityKmBounds(rules);
  out.landscape = ctx.land.description;
  std::vector<float> elevation = std::move(ctx.land.frame.z);  // the grid only: no copy of the elevations
  out.frame = ctx.land.frame;
  ctx.land.frame.z = std::move(elevation);
  out.ignition_fuel = ctx.land.fuel[ctx.ignition_cell];
  out.sources.insert(out.sources.begin(), ctx.land.source);
  for (const auto& s : ctx.map.sources) out.sources.push_back(s);
  if (ctx.map.barrier_cells > 0) {
    out.notes_en.push_back(std::to_string(ctx.map.barrier_cells) + " cells made non-burnable by barrier files.");
    out.notes_zh.push_back("阻隔带文件使 " + std::to_string(ctx.map.barrier_cells) + " 个栅格不可燃。");
  }
  return ctx;
}

MemberRun RunMember(const Context& ctx, const SurfaceWeather& weather, bool keep) {
  const SurfaceBehaviour behaviour(ctx.land, ctx.fuels, weather);
  const SpreadGrid grid = behaviour.Grid(ctx.radius);
  Arrival a = Solve(grid, ctx.ignition, ctx.solve);
  MemberRun m;
  m.origin_reached = a.origin_reached;
  double origin = ctx.fixed_origin_min;
  if (ctx.solve.origin_cells > 0) {
    origin = a.origin_reached ? a.origin_min : (a.order.empty() ? 0.0 : a.minutes[a.order.back()]);
  }
  const double cell_m2 = ctx.land.frame.cell_x_m * ctx.land.frame.cell_y_m;
  m.run = Summarise(a, ctx.map, origin, cell_m2, ctx.ignition_cell);
  m.crossings = FindCrossings(ctx.engine, ctx.report, m.run, ctx.map, ctx.horizon);
  const double end = origin + ctx.horizon * 60.0;
  for (int i : a.order) {
    if (a.minutes[i] <= end) m.burned_within_horizon.push_back(i);
  }
  if (keep) {
    m.at_ignition = behaviour.SpreadAt(ctx.ignition_cell);
    m.arrival = std::move(a);
  }
  return m;
}

std::vector<BoundaryResult> BoundaryDefs(const Context& ctx) {
  std::vector<BoundaryResult> defs;
  const int start = ctx.map.county.empty() ? 0 : ctx.map.county[ctx.ignition_cell];
  for (std::size_t k = 0; k < ctx.map.county_names.size(); ++k) {
    if (static_cast<int>(k) + 1 == start) continue;
    BoundaryResult b;
    b.kind = "county";
    b.name = ctx.map.county_names[k];
    defs.push_back(b);
  }
  if (!ctx.map.inside_city.empty()) {
    for (double km : ctx.city_km_bounds) {
      if (km > ctx.map.city_km_limit) continue;
      BoundaryResult b;
      b.kind = "city_km";
      b.name = ctx.map.city_name;
      b.km = km;
      defs.push_back(b);
    }
    BoundaryResult b;
    b.kind = "city";
    b.name = ctx.map.city_name;
    defs.push_back(b);
  }
  return defs;
}

std::vector<double> BoundaryHours(const Context& ctx, const RunTimes& run) {
  std::vector<double> out;
  const int start = ctx.map.county.empty() ? 0 : ctx.map.county[ctx.ignition_cell];
  for (std::size_t k = 0; k < ctx.map.county_names.size(); ++k) {
    if (static_cast<int>(k) + 1 != start) out.push_back(run.county_enter[k]);
  }
  if (!ctx.map.inside_city.empty()) {
    for (double km : ctx.city_km_bounds) {
      if (km > ctx.map.city_km_limit) continue;
      double h = kNever;
      for (const auto& [t, d] : run.city_km) {
        if (d <= km) {
          h = t;
          break;
        }
      }
      out.push_back(h);
    }
    out.push_back(run.city_cross);
  }
  return out;
}

void FillDeterministic(const Context& ctx, const MemberRun& base, const SurfaceWeather& weather, ForecastResult& out) {
  (void)weather;
  const RunTimes& run = base.run;
  out.at_ignition = base.at_ignition;
  if (base.at_ignition) {
    const int i = ctx.ignition_cell;
    const double upslope = ctx.land.slope_deg[i] > 0 ? ctx.land.aspect_deg[i] + 180.0 : 0.0;
    out.head_azimuth_deg =
        std::fmod(upslope + base.at_ignition->dir_max_spread - out.grid_convergence_deg + 720.0, 360.0);
  }
  out.origin_lag_hours = run.origin_min / 60.0;
  if (!base.origin_reached) {
    out.notes_en.push_back("The projection never burns the reported area: hour 0 is placed where it stops.");
    out.notes_zh.push_back("预测蔓延达不到报告的过火面积：以蔓延停止时刻作为起点。");
  }
  const double step = std::max(0.05, std::round(ctx.horizon / 96.0 * 20.0) / 20.0);
  for (double h = 0; h <= ctx.horizon + 1e-9; h += step) out.area_curve.emplace_back(h, run.AreaHaAt(h));
  if (out.area_curve.back().first < ctx.horizon) out.area_curve.emplace_back(ctx.horizon, run.AreaHaAt(ctx.horizon));
  for (std::size_t k = 0; k < ctx.map.places.size(); ++k) {
    const PlaceOnGrid& p = ctx.map.places[k];
    PlaceResult r;
    r.name = p.name;
    r.layer = p.layer;
    r.type = p.type;
    r.threat = p.threat;
    r.at = p.at;
    r.threat_km = p.threat_km;
    r.threat_hours = run.place_threat[k] <= ctx.horizon ? run.place_threat[k] : kNever;
    r.reach_hours = run.place_reach[k] <= ctx.horizon ? run.place_reach[k] : kNever;
    out.places.push_back(r);
  }
  out.boundaries = BoundaryDefs(ctx);
  const std::vector<double> hours = BoundaryHours(ctx, run);
  for (std::size_t k = 0; k < hours.size(); ++k) out.boundaries[k].hours = hours[k] <= ctx.horizon ? hours[k] : kNever;
  for (const Crossing& c : base.crossings) out.thresholds.push_back({c, std::nullopt});
  out.arrival_hours.assign(ctx.land.size(), NAN);
  for (int i : base.arrival.order) {
    const double h = (base.arrival.minutes[i] - run.origin_min) / 60.0;
    if (h <= ctx.horizon) out.arrival_hours[i] = static_cast<float>(h);
  }
}

}  // namespace firebreak::forecast::internal
