// Safety zones and escape routes (plan 3.3 十个严禁), loading of deployment inputs, the assess/report entry.
#include <algorithm>
#include <cmath>
#include <deque>

#include "firebreak/common/error.h"
#include "firebreak/forces/deploy.h"
#include "firebreak/gis/terrain.h"

namespace firebreak::forces {

using engine::LonLat;
using engine::Text;

namespace {

// A rectangular part of `g`: rows [r0, r0+rows), cols [c0, c0+cols); same CRS, shifted geotransform.
gis::Grid SubGrid(const gis::Grid& g, int r0, int c0, int rows, int cols) {
  gis::Grid s;
  s.rows = rows;
  s.cols = cols;
  s.z.resize(static_cast<std::size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) std::copy_n(g.z.begin() + g.Index(r0 + r, c0), cols, s.z.begin() + s.Index(r, 0));
  s.gt = g.gt;
  s.gt[0] = g.gt[0] + c0 * g.gt[1] + r0 * g.gt[2];
  s.gt[3] = g.gt[3] + c0 * g.gt[4] + r0 * g.gt[5];
  s.wkt = g.wkt;
  s.cell_x_m = g.cell_x_m;
  s.cell_y_m = g.cell_y_m;
  s.row0 = g.row0 + r0;
  s.col0 = g.col0 + c0;
  s.georef = g.georef;
  return s;
}

// The window of the DEM around the fire that AssessSafety works in, and the fire's cell in it.
struct SafetyWindow {
  gis::Grid sub;
  int r0 = 0, c0 = 0;  // the window's first row and column in the DEM
  int fr = 0, fc = 0;  // the fire's cell in the window
};

// Window: as far as anyone can walk in max_escape (Tobler's peak speed), plus the work radius.
SafetyWindow CutWindow(const gis::Grid& dem, std::pair<int, int> fire_cell, const DeployOptions& opt) {
  const double vmax = 6.0 / 3.6 * opt.walk.off_path_factor;
  const double reach = opt.max_escape.value() * vmax + opt.work_radius.value();
  const int hr = static_cast<int>(std::ceil(reach / dem.cell_y_m)) + 3;
  const int hc = static_cast<int>(std::ceil(reach / dem.cell_x_m)) + 3;
  const int r0 = std::max(0, fire_cell.first - hr), r1 = std::min(dem.rows, fire_cell.first + hr + 1);
  const int c0 = std::max(0, fire_cell.second - hc), c1 = std::min(dem.cols, fire_cell.second + hc + 1);
  return {SubGrid(dem, r0, c0, r1 - r0, c1 - c0), r0, c0, fire_cell.first - r0, fire_cell.second - c0};
}

// Per window cell: hard = never walked on (nodata, too steep, cliffs, caller's mask); soft = hazardous landforms
// an escape route may walk OUT of (the connected patch the crew stands in) but never INTO; zone = 1 low slope,
// 2 +low fuel, 3 burned, 4 configured (0: no safety zone); the configured zone's name.
struct SafetyCells {
  std::vector<std::uint8_t> hard, soft, zone;
  std::vector<std::string> configured_name;
};

SafetyCells ClassifyCells(const gis::Grid& dem, const SafetyWindow& w, const DeployInputs& in,
                          const DeployOptions& opt) {
  const gis::Grid& sub = w.sub;
  const std::size_t n = sub.z.size();
  auto orig = [&](std::size_t v) {
    return dem.Index(w.r0 + static_cast<int>(v / sub.cols), w.c0 + static_cast<int>(v % sub.cols));
  };
  auto mask = [&](const std::vector<std::uint8_t>& m, std::size_t v) { return m.size() == dem.z.size() && m[orig(v)]; };
  // Slope (Horn) and landforms from gis/ (docs/terrain.md), around the fire.
  const gis::Terrain terrain = gis::AnalyzeTerrain(sub, {}, std::make_pair(w.fr, w.fc));
  const std::vector<float>& slope = terrain.sa.slope_deg;  // NaN on the window's edge ring and near nodata
  SafetyCells cells{std::vector<std::uint8_t>(n, 0), std::vector<std::uint8_t>(n, 0), std::vector<std::uint8_t>(n, 0),
                    std::vector<std::string>(n)};
  auto& [hard, soft, zone, names] = cells;
  const std::uint8_t soft_bits = opt.forbidden_landforms & static_cast<std::uint8_t>(~gis::kCliff);
  const std::uint8_t hard_bits = opt.forbidden_landforms & gis::kCliff;
  for (std::size_t v = 0; v < n; ++v) {
    const bool nodata = std::isnan(sub.z[v]);
    hard[v] =
        nodata || slope[v] >= opt.forbidden_slope.value() || (terrain.landform[v] & hard_bits) || mask(in.forbidden, v);
    soft[v] = !hard[v] && (terrain.landform[v] & soft_bits);
    if (hard[v] || soft[v]) continue;
    if (mask(in.burned, v)) {
      zone[v] = 3;
      continue;
    }
    if (std::isnan(slope[v])) continue;  // slope unknown: never a low-slope zone
    const int r = static_cast<int>(v / sub.cols), c = static_cast<int>(v % sub.cols);
    const double d = std::hypot((r - w.fr) * sub.cell_y_m, (c - w.fc) * sub.cell_x_m);
    const bool fuel_ok = in.low_fuel.empty() || mask(in.low_fuel, v);
    if (slope[v] < opt.zone_max_slope.value() && d >= opt.zone_min_fire_distance.value() && fuel_ok)
      zone[v] = in.low_fuel.empty() ? 1 : 2;
  }
  return cells;
}

// Low-slope patches must be big enough to shelter a crew: drops 8-connected components of zone 1/2 cells
// under `min_area_m2`.
void DropSmallZones(const gis::Grid& sub, double min_area_m2, std::vector<std::uint8_t>& zone) {
  const std::size_t n = sub.z.size();
  const double cell_area = sub.cell_x_m * sub.cell_y_m;
  std::vector<std::uint8_t> seen(n, 0);
  std::vector<std::size_t> comp;
  for (std::size_t s = 0; s < n; ++s) {
    if (seen[s] || (zone[s] != 1 && zone[s] != 2)) continue;
    comp.clear();
    std::deque<std::size_t> q{s};
    seen[s] = 1;
    while (!q.empty()) {
      const std::size_t v = q.front();
      q.pop_front();
      comp.push_back(v);
      const int r = static_cast<int>(v / sub.cols), c = static_cast<int>(v % sub.cols);
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          if (!sub.InBounds(r + dr, c + dc)) continue;
          const std::size_t w = sub.Index(r + dr, c + dc);
          if (!seen[w] && (zone[w] == 1 || zone[w] == 2)) {
            seen[w] = 1;
            q.push_back(w);
          }
        }
    }
    if (comp.size() * cell_area < min_area_m2)
      for (std::size_t v : comp) zone[v] = 0;
  }
}

// The caller's safety zones (in the window) become zone 4, trusted: never hard or soft.
void PlaceConfiguredZones(const gis::Grid& sub, const DeployInputs& in, SafetyCells& cells) {
  for (const auto& z : in.zones) {
    std::optional<std::pair<int, int>> rc;
    try {
      rc = sub.CellOf(z.at);
    } catch (const Error&) {
    }
    if (!rc) continue;
    const std::size_t v = sub.Index(rc->first, rc->second);
    cells.zone[v] = 4;
    cells.configured_name[v] = z.name;
    cells.hard[v] = cells.soft[v] = 0;
  }
}

// Blocked for a work area at cell `v`: hard cells, and soft cells outside the soft patch it stands in.
std::vector<std::uint8_t> BlockedFrom(const gis::Grid& sub, const SafetyCells& cells, std::size_t v) {
  const std::size_t n = sub.z.size();
  const auto& hard = cells.hard;
  const auto& soft = cells.soft;
  std::vector<std::uint8_t> blocked(n);
  for (std::size_t w = 0; w < n; ++w) blocked[w] = hard[w] || soft[w];
  if (!soft[v]) return blocked;
  std::deque<std::size_t> q{v};
  blocked[v] = 0;
  while (!q.empty()) {
    const std::size_t x = q.front();
    q.pop_front();
    const int xr = static_cast<int>(x / sub.cols), xc = static_cast<int>(x % sub.cols);
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        if (!sub.InBounds(xr + dr, xc + dc)) continue;
        const std::size_t y = sub.Index(xr + dr, xc + dc);
        if (soft[y] && blocked[y]) {
          blocked[y] = 0;
          q.push_back(y);
        }
      }
  }
  return blocked;
}

// Fills `er` with the route `sp` found to zone cell `hit`. `at_fire`: the route starts at the fire point, which
// stands for its cell.
void FillRoute(const gis::Grid& sub, const SafetyCells& cells, const ShortestPaths& sp, NodeId hit, bool at_fire,
               EscapeRoute& er) {
  const int zr = static_cast<int>(hit / sub.cols), zc = static_cast<int>(hit % sub.cols);
  er.zone = sub.CellCentreWgs84(zr, zc);
  const std::uint8_t k = cells.zone[hit];
  er.zone_kind = k == 4   ? "configured:" + cells.configured_name[hit]
                 : k == 3 ? "burned"
                 : k == 2 ? "low_slope_low_fuel"
                          : "low_slope";
  er.time = Seconds(sp.time_s[hit]);
  auto chain = sp.ChainFrom(hit);
  std::reverse(chain.begin(), chain.end());
  er.path.push_back(er.from);
  double m = 0;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (i == 0 && at_fire) continue;
    const LonLat p = sub.CellCentreWgs84(static_cast<int>(chain[i] / sub.cols), static_cast<int>(chain[i] % sub.cols));
    m += GreatCircle(er.path.back(), p).value();
    er.path.push_back(p);
  }
  er.length = Metres(m);
}

// Escape routes from the fire and from four work areas at the work radius (N, E, S, W) to the nearest zone.
std::vector<EscapeRoute> EscapeRoutes(const SafetyWindow& w, const SafetyCells& cells, LonLat fire,
                                      const DeployOptions& opt) {
  const gis::Grid& sub = w.sub;
  std::vector<std::uint8_t> stop(sub.z.size());
  for (std::size_t v = 0; v < stop.size(); ++v) stop[v] = cells.zone[v] != 0;
  const TravelGraph g = BuildWalkGraph(sub, WalkDirection::kOutward, opt.walk);
  const int kr = static_cast<int>(std::lround(opt.work_radius.value() / sub.cell_y_m));
  const int kc = static_cast<int>(std::lround(opt.work_radius.value() / sub.cell_x_m));
  const struct {
    const char* name;
    int dr, dc;
  } areas[] = {{"fire", 0, 0}, {"N", -kr, 0}, {"E", 0, kc}, {"S", kr, 0}, {"W", 0, -kc}};
  std::vector<EscapeRoute> routes;
  for (const auto& a : areas) {
    const int r = w.fr + a.dr, c = w.fc + a.dc;
    if (!sub.InBounds(r, c) || std::isnan(sub.Raw(r, c))) continue;  // off the DEM: no crew works there
    EscapeRoute er;
    er.work_area = a.name;
    const bool at_fire = a.dr == 0 && a.dc == 0;
    er.from = at_fire ? fire : sub.CellCentreWgs84(r, c);
    const std::size_t v = sub.Index(r, c);
    er.from_forbidden = cells.hard[v] || cells.soft[v];
    const std::vector<std::uint8_t> blocked = BlockedFrom(sub, cells, v);
    std::optional<NodeId> hit;
    const ShortestPaths sp = g.Dijkstra({{static_cast<NodeId>(v), Seconds(0)}}, opt.max_escape, &blocked, &stop, &hit);
    if (hit) FillRoute(sub, cells, sp, *hit, at_fire, er);
    routes.push_back(std::move(er));
  }
  return routes;
}

}  // namespace

SafetyResult AssessSafety(const engine::RuleSet& rules, LonLat fire, const DeployInputs& in, const DeployOptions& opt) {
  SafetyResult res;
  // The rule that demands safety zones and escape routes: named by the rule file (deployment.escape_rule).
  if (const engine::SafetyRule* s = rules.FindSafetyRule(rules.deployment.escape_rule)) {
    res.rule_id = s->id;
    res.rule_clause = s->clause;
    res.rule_text = s->text;
  }
  if (!in.dem) {
    res.why_not = {"未提供 DEM：无法计算安全区域和撤离路线，须由现场指挥员在扑火前预设",
                   "no DEM: safety zones and escape routes cannot be computed; the commander on site must set them "
                   "before fighting"};
    return res;
  }
  const gis::Grid& dem = *in.dem;
  std::optional<std::pair<int, int>> fc;
  try {
    fc = dem.CellOf(fire);
  } catch (const Error&) {
  }
  if (!fc) {
    res.why_not = {"火点不在 DEM 窗口内：无法计算安全区域和撤离路线",
                   "the fire is outside the DEM window: no safety zones or escape routes"};
    return res;
  }
  const SafetyWindow w = CutWindow(dem, *fc, opt);
  SafetyCells cells = ClassifyCells(dem, w, in, opt);
  DropSmallZones(w.sub, opt.zone_min_area_m2, cells.zone);
  PlaceConfiguredZones(w.sub, in, cells);
  res.routes = EscapeRoutes(w, cells, fire, opt);
  res.computed = true;
  return res;
}

DeployInputs LoadDeployInputs(LonLat fire, const std::string& dem_path, Metres dem_radius,
                              const std::string& roads_path, const std::string& roads_config_path) {
  DeployInputs in;
  if (!dem_path.empty()) {
    gis::Dem dem = gis::Dem::Open(dem_path, 1, gis::RasterRole::kElevation);
    if (!dem.Contains(fire)) {
      in.warnings.push_back({"火点不在 DEM（" + dem_path + "）范围内：不用地形步行图，安全区域无法计算",
                             "the fire is outside the DEM (" + dem_path + "): no walking graph, no safety zones"});
    } else {
      in.dem = dem.ReadWindow(fire, dem_radius, 1);
      in.dem_source = dem_path;
    }
  }
  if (!roads_path.empty()) {
    if (roads_config_path.empty())
      throw Error(ErrorKind::kUsage, "--roads", "a road layer needs --roads-config (speed by road class)",
                  "see docs/forces.md, e.g. data/forces/roads-config.yaml");
    RoadConfig cfg = LoadRoadConfig(roads_config_path);
    in.roads = std::make_shared<RoadNetwork>(RoadNetwork::Load(roads_path, cfg));
  }
  return in;
}

DeploymentPlan PlanForIncident(const engine::RuleSet& rules, const engine::Incident& incident,
                               std::optional<engine::Level> level, const Registry& registry, const DeployInputs& in,
                               const DeployOptions& opt) {
  if (!incident.location)
    throw Error(ErrorKind::kInput, incident.source + ": /location",
                "the incident has no location: cannot plan a deployment",
                "give location {lon, lat} in the report, or use --at LON,LAT");
  DeployRequest req;
  req.incident_id = incident.incident_id;
  req.fire = *incident.location;
  req.county = incident.county;
  req.level = level;
  return PlanDeployment(rules, registry, req, in, opt);
}

}  // namespace firebreak::forces
