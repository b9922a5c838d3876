#include "firebreak/gis/site.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <sstream>

#include <gdal_alg.h>
#include <ogrsf_frmts.h>
#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/common/text.h"
#include "firebreak/engine/guidance.h"
#include "gdal_util.h"

namespace firebreak::gis {

using engine::FactId;
using engine::LonLat;

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr std::size_t kMinFeatureCells = 3;

std::string Fixed(double v, int digits) { return text::Fixed(v, digits); }

std::string BaseName(const std::string& p) { return std::filesystem::path(p).filename().string(); }

double NormDeg(double d) {
  d = std::fmod(d, 360.0);
  return d < 0 ? d + 360.0 : d;
}

const char* Compass(double deg, bool zh) {
  static const char* kZh[] = {"北", "东北", "东", "东南", "南", "西南", "西", "西北"};
  static const char* kEn[] = {"N", "NE", "E", "SE", "S", "SW", "W", "NW"};
  const int i = static_cast<int>(std::floor(NormDeg(deg) / 45.0 + 0.5)) % 8;
  return zh ? kZh[i] : kEn[i];
}

void Unknown(SiteAnalysis& s, std::string en, std::string zh) {
  s.unknown.push_back(std::move(en));
  s.unknown_zh.push_back(std::move(zh));
}

void SetFact(SiteAnalysis& s, FactId id, double v, std::string source) {
  s.facts.Set(id, v);
  s.sources.emplace_back(id, std::move(source));
}

// GeoJSON geometry (WGS84) of the cells of `g` where mask != 0, via GDALPolygonize.
// Transformation from a grid's CRS to WGS84 (created once per analysis: PROJ pipelines are costly).
std::unique_ptr<OGRCoordinateTransformation> ToWgs84(const Grid& g) {
  internal::QuietGdal quiet;
  OGRSpatialReference src;
  src.importFromWkt(g.wkt.c_str());
  src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference wgs = internal::Wgs84();
  return std::unique_ptr<OGRCoordinateTransformation>(OGRCreateCoordinateTransformation(&src, &wgs));
}

std::string PolygonizeMask(const Grid& g, const std::vector<std::uint8_t>& mask, OGRCoordinateTransformation* ct) {
  if (!ct) return "null";
  internal::EnsureGdal();
  internal::QuietGdal quiet;
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* vmem = GetGDALDriverManager()->GetDriverByName("Memory");
  if (!mem || !vmem) return "null";
  internal::DatasetPtr ras(mem->Create("", g.cols, g.rows, 1, GDT_Byte, nullptr));
  if (!ras) return "null";
  GeoTransform gt = g.gt;
  ras->SetGeoTransform(gt.data());
  GDALRasterBand* band = ras->GetRasterBand(1);
  std::vector<std::uint8_t> buf(mask);
  if (band->RasterIO(GF_Write, 0, 0, g.cols, g.rows, buf.data(), g.cols, g.rows, GDT_Byte, 0, 0, nullptr) != CE_None) {
    return "null";
  }
  internal::DatasetPtr vec(vmem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
  if (!vec) return "null";
  OGRLayer* layer = vec->CreateLayer("zones", nullptr, wkbPolygon, nullptr);
  OGRFieldDefn fd("v", OFTInteger);
  layer->CreateField(&fd);
  if (GDALPolygonize(GDALRasterBand::ToHandle(band), GDALRasterBand::ToHandle(band), OGRLayer::ToHandle(layer), 0,
                     nullptr, nullptr, nullptr) != CE_None) {
    return "null";
  }
  OGRMultiPolygon multi;
  layer->ResetReading();
  for (auto& f : *layer) {
    OGRGeometry* geom = f->GetGeometryRef();
    if (!geom || wkbFlatten(geom->getGeometryType()) != wkbPolygon) continue;
    std::unique_ptr<OGRGeometry> c(geom->clone());
    if (c->transform(ct) != OGRERR_NONE) continue;
    multi.addGeometryDirectly(c.release());
  }
  if (multi.IsEmpty()) return "null";
  char** opts = CSLSetNameValue(nullptr, "COORDINATE_PRECISION", "6");  // 6 decimals: ~0.1 m
  char* json = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(&multi), opts);
  CSLDestroy(opts);
  std::string out = json ? json : "null";
  CPLFree(json);
  return out;
}

// A wedge from `at` toward azimuth `dir` +- `half` degrees, `len` metres long (local spherical approximation,
// good to a few metres over a few km: for drawing only).
std::string Wedge(LonLat at, double dir, double half, double len) {
  nlohmann::json ring = nlohmann::json::array();
  ring.push_back({at.lon, at.lat});
  const double coslat = std::cos(at.lat * kDegToRad);
  for (double a = dir - half; a <= dir + half + 1e-9; a += 5.0) {
    const double az = a * kDegToRad;
    ring.push_back({at.lon + len * std::sin(az) / (111320.0 * coslat), at.lat + len * std::cos(az) / 110574.0});
  }
  ring.push_back({at.lon, at.lat});
  nlohmann::json g = {{"type", "Polygon"}, {"coordinates", nlohmann::json::array({ring})}};
  return g.dump();
}

struct TerrainAtPoint {
  Grid grid;
  Terrain terrain;
  int r = 0, c = 0;
};

// Slope, slope class and aspect at the point's cell (`where` names it); returns the slope (NaN: nodata).
float PointSlopeAndAspect(const TerrainAtPoint& t, const std::string& where, SiteAnalysis& s) {
  const Grid& g = t.grid;
  const std::size_t i0 = g.Index(t.r, t.c);
  if (auto z = g.At(t.r, t.c)) s.elevation_m = *z;
  const float sl = t.terrain.sa.slope_deg[i0];
  if (!std::isnan(sl)) {
    s.slope_deg = sl;
    s.slope_class = ClassifySlope(sl);
    SetFact(s, FactId::kSlopeDeg, std::round(sl * 10) / 10, where + " (Horn 3x3)");
  } else {
    Unknown(s, "slope_deg: nodata in the 3x3 window at the point (" + where + ")",
            "坡度：该点3×3窗口内有无数据格（" + where + "）");
  }
  const float asp = t.terrain.sa.aspect_deg[i0];
  if (!std::isnan(asp)) {
    s.aspect_deg = asp;
    if (!std::isnan(sl) && sl >= 2.0) s.upslope_dir_deg = NormDeg(asp + 180.0);
  }
  return sl;
}

// The cells within the feature radius of the point: how many (on or off the DEM), with a slope, steep; per
// landform bit the count and the nearest distance (m).
struct RadiusCounts {
  std::size_t total = 0, valid = 0, steep = 0;
  std::vector<std::pair<std::size_t, double>> found =
      std::vector<std::pair<std::size_t, double>>(8, {0, std::numeric_limits<double>::infinity()});
};

RadiusCounts CountWithinRadius(const TerrainAtPoint& t, double feature_radius_m, double steep_deg) {
  const Grid& g = t.grid;
  const int kr = static_cast<int>(std::ceil(feature_radius_m / g.cell_y_m));
  const int kc = static_cast<int>(std::ceil(feature_radius_m / g.cell_x_m));
  RadiusCounts n;
  for (int r = t.r - kr; r <= t.r + kr; ++r) {
    for (int c = t.c - kc; c <= t.c + kc; ++c) {
      const double d = std::hypot((r - t.r) * g.cell_y_m, (c - t.c) * g.cell_x_m);
      if (d > feature_radius_m) continue;
      ++n.total;
      if (!g.InBounds(r, c)) continue;
      const std::size_t i = g.Index(r, c);
      const float csl = t.terrain.sa.slope_deg[i];
      if (std::isnan(csl)) continue;
      ++n.valid;
      if (csl >= steep_deg) ++n.steep;
      const std::uint8_t bits = t.terrain.landform[i];
      for (int b = 0; b < 8; ++b) {
        if (bits & (1 << b)) {
          ++n.found[b].first;
          n.found[b].second = std::min(n.found[b].second, d);
        }
      }
    }
  }
  return n;
}

// The terrain_* landform facts from the counts within the radius.
void SetLandformFacts(const RadiusCounts& n, const std::string& src, const std::string& radius_txt, SiteAnalysis& s) {
  static const struct {
    LandformBit bit;
    FactId fact;
    const char* algo;
  } kMap[] = {
      {kCliff, FactId::kTerrainCliff, "Horn slope >= cliff_deg"},
      {kRidge, FactId::kTerrainRidge, "curvature + TPI"},
      {kSaddle, FactId::kTerrainSaddle, "curvature (saddle)"},
      {kValley, FactId::kTerrainGully, "curvature + TPI"},
      {kNarrowValley, FactId::kTerrainNarrowValley, "wall width test"},
      {kBoxCanyon, FactId::kTerrainBoxCanyon, "ray enclosure"},
  };
  for (const auto& m : kMap) {
    const int b = std::countr_zero(static_cast<unsigned>(m.bit));
    const std::size_t count = n.found[b].first;
    std::string why = src + ": " + std::to_string(count) + " " + std::string(LandformName(m.bit, false)) + " cells" +
                      radius_txt + " (" + m.algo + ")";
    if (count > 0) why += ", nearest " + Fixed(n.found[b].second, 0) + " m";
    SetFact(s, m.fact, count >= kMinFeatureCells, why);
  }
}

void AnalyzeTerrainPart(const Dem& dem, LonLat at, const SiteOptions& opt, double feature_radius_m, SiteAnalysis& s,
                        std::optional<TerrainAtPoint>& keep) {
  const std::string src = "dem:" + BaseName(dem.path());
  if (!dem.Contains(at)) {
    Unknown(s, "terrain: point " + Fixed(at.lon, 5) + "," + Fixed(at.lat, 5) + " is outside the DEM " + dem.path(),
            "地形：地点不在DEM范围内（" + dem.path() + "）");
    return;
  }
  TerrainAtPoint t;
  const double radius = std::max(opt.radius.value(), feature_radius_m);
  t.grid = dem.ReadWindow(at, Metres(radius), 2);
  s.window_cells = static_cast<double>(t.grid.rows) * t.grid.cols;
  auto cell = t.grid.CellOf(at);
  if (!cell) {
    Unknown(s, "terrain: point not in the window read from " + dem.path(),
            "地形：读取窗口不含该点（" + dem.path() + "）");
    return;
  }
  t.r = cell->first;
  t.c = cell->second;
  TerrainParams p = opt.terrain;
  // Facts need the expensive classes only within the feature radius; zones show them farther out.
  p.focus_radius_m = opt.zones ? std::max(p.focus_radius_m, feature_radius_m) : feature_radius_m;
  t.terrain = AnalyzeTerrain(t.grid, p, cell);
  const std::string where =
      src + " cell " + std::to_string(t.grid.row0 + t.r) + "," + std::to_string(t.grid.col0 + t.c);
  const float sl = PointSlopeAndAspect(t, where, s);
  const RadiusCounts n = CountWithinRadius(t, feature_radius_m, p.steep_deg);
  if (n.total == 0 || n.valid * 2 < n.total) {
    Unknown(s,
            "terrain_*: more than half of the cells within " + Fixed(feature_radius_m, 0) +
                " m are nodata or off the DEM (" + src + ")",
            "地形类事实：" + Fixed(feature_radius_m, 0) + " 米内过半格无数据或超出DEM（" + src + "）");
    return;
  }
  s.steep_share = static_cast<double>(n.steep) / n.valid;
  for (int b = 0; b < 8; ++b) {
    if (n.found[b].first > 0) s.landforms.push_back({static_cast<LandformBit>(1 << b), n.found[b]});
  }
  const std::string radius_txt = " within " + Fixed(feature_radius_m, 0) + " m";
  const bool steep_fact = (!std::isnan(sl) && sl >= p.steep_deg) || s.steep_share >= 0.25;
  SetFact(s, FactId::kTerrainSteepSlope, steep_fact,
          src + ": slope at point " + (std::isnan(sl) ? std::string("unknown") : Fixed(sl, 1) + "°") + ", " +
              Fixed(100 * s.steep_share, 0) + "% of cells >= " + Fixed(p.steep_deg, 0) + "°" + radius_txt);
  SetLandformFacts(n, src, radius_txt, s);
  Unknown(s, "terrain_rock_outcrop, terrain_landslide: not derivable from a DEM (report them)",
          "山岩凸起、山体滑坡滚石：无法由DEM推算（请在报告中填写）");
  keep = std::move(t);
}

void AnalyzeFuel(const Layers& layers, LonLat at, double feature_radius_m, SiteAnalysis& s) {
  const Raster* fuel = layers.fuel();
  if (!fuel) {
    Unknown(s, "fuel_dangerous: no fuel raster configured (layers config 'fuel')",
            "危险可燃物：未配置可燃物栅格（图层配置 fuel）");
    return;
  }
  const std::string src = "fuel:" + BaseName(fuel->path());
  if (!fuel->Contains(at)) {
    Unknown(s, "fuel_dangerous: point outside the fuel raster " + fuel->path(),
            "危险可燃物：地点不在可燃物栅格范围内（" + fuel->path() + "）");
    return;
  }
  Grid g = fuel->ReadWindow(at, Metres(feature_radius_m), 0);
  auto cell = g.CellOf(at);
  if (cell) {
    if (auto v = g.At(cell->first, cell->second)) s.fuel_code = static_cast<int>(std::lround(*v));
  }
  std::map<std::string, std::size_t> cats;
  std::size_t valid = 0, dangerous = 0;
  const int cr = cell ? cell->first : g.rows / 2, cc = cell ? cell->second : g.cols / 2;
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      if (std::hypot((r - cr) * g.cell_y_m, (c - cc) * g.cell_x_m) > feature_radius_m) continue;
      auto v = g.At(r, c);
      if (!v) continue;
      ++valid;
      if (auto cat = layers.DangerousCategory(static_cast<int>(std::lround(*v)))) {
        ++dangerous;
        ++cats[*cat];
      }
    }
  }
  if (valid == 0) {
    Unknown(s, "fuel_dangerous: only nodata within " + Fixed(feature_radius_m, 0) + " m in " + fuel->path(),
            "危险可燃物：" + Fixed(feature_radius_m, 0) + " 米内均无数据（" + fuel->path() + "）");
    return;
  }
  s.dangerous_fuel_share = static_cast<double>(dangerous) / valid;
  for (const auto& kv : cats) s.fuel_categories.emplace_back(kv.first, kv.second);
  const double thr = layers.config().fuel->dangerous_fraction;
  SetFact(s, FactId::kFuelDangerous, *s.dangerous_fuel_share >= thr,
          src + ": " + Fixed(100 * *s.dangerous_fuel_share, 0) + "% of cells within " + Fixed(feature_radius_m, 0) +
              " m in dangerous classes (threshold " + Fixed(100 * thr, 0) + "%)");
}

void AnalyzeLayers(const Layers& layers, LonLat at, SiteAnalysis& s) {
  const LayersConfig& cfg = layers.config();
  if (cfg.counties) {
    const std::string src = "layers:" + BaseName(cfg.counties->file);
    s.county = layers.CountyAt(at);
    if (s.county) {
      s.other_county = layers.NearestOtherCounty(at);
      if (s.other_county) {
        SetFact(s, FactId::kKmToCountyBoundary, std::round(s.other_county->km * 100) / 100,
                src + ": nearest other county " + s.other_county->name);
      } else {
        Unknown(s, "km_to_county_boundary: no other county in " + cfg.counties->file,
                "距相邻县界：图层中无其他县（" + cfg.counties->file + "）");
      }
    } else {
      Unknown(s, "county: point is in no county polygon of " + cfg.counties->file,
              "所在县：地点不在任何县（区）面内（" + cfg.counties->file + "）");
    }
  } else {
    Unknown(s, "county, km_to_county_boundary: no counties layer configured", "所在县、距相邻县界：未配置县界图层");
  }
  if (cfg.city) {
    s.km_to_city_boundary = layers.KmToCityBoundary(at);
    s.inside_city = layers.InsideCity(at);
    if (s.km_to_city_boundary) {
      SetFact(s, FactId::kKmToCityBoundary, std::round(*s.km_to_city_boundary * 100) / 100,
              "layers:" + BaseName(cfg.city->file) +
                  (s.inside_city.value_or(false) ? " (inside the city)" : " (outside the city)"));
    }
  } else {
    Unknown(s, "km_to_city_boundary: no city outline configured", "距市界：未配置市界图层");
  }
  if (auto places = layers.PlacesNear(at)) {
    s.places = *places;
    std::string why = "layers:" + BaseName(cfg.places->file) + ": " + std::to_string(places->size()) +
                      " place(s) within " + Fixed(cfg.places->threat_km, 1) + " km";
    if (!places->empty()) why += ", nearest " + places->front().name + " " + Fixed(places->front().km, 2) + " km";
    SetFact(s, FactId::kThreatensResidential, !places->empty(), why);
  } else {
    Unknown(s, "threatens_residential: no places layer configured", "威胁居民区：未配置居民点图层");
  }
  if (auto targets = layers.TargetsNear(at)) {
    s.targets = *targets;
    const std::string src = "layers:" + BaseName(cfg.key_targets->file);
    const std::string within = " within " + Fixed(cfg.key_targets->threat_km, 1) + " km";
    SetFact(s, FactId::kThreatensKeyFacility, !targets->empty(),
            src + ": " + std::to_string(targets->size()) + " key target(s)" + within);
    // Each mapped threat type: true if a target of that type is near, false otherwise.
    std::map<std::string, std::vector<std::string>> by_threat;
    for (const auto& [value, threat] : cfg.key_targets->types) by_threat[threat];
    for (const auto& t : *targets) {
      auto it = cfg.key_targets->types.find(t.type);
      if (it != cfg.key_targets->types.end()) by_threat[it->second].push_back(t.name + " " + Fixed(t.km, 2) + " km");
    }
    for (const auto& [threat, names] : by_threat) {
      auto th = engine::ParseThreat(threat);
      if (!th) continue;
      std::optional<FactId> id;
      switch (*th) {
        case engine::Threat::kResidential:
          id = FactId::kThreatensResidential;
          break;
        case engine::Threat::kKeyFacility:
          id = FactId::kThreatensKeyFacility;
          break;
        case engine::Threat::kMilitary:
          id = FactId::kThreatensMilitary;
          break;
        case engine::Threat::kHazardousChemicals:
          id = FactId::kThreatensHazardousChemicals;
          break;
        case engine::Threat::kOilGasPipeline:
          id = FactId::kThreatensOilGasPipeline;
          break;
        case engine::Threat::kRailway:
          id = FactId::kThreatensRailway;
          break;
        case engine::Threat::kNuclear:
          id = FactId::kThreatensNuclear;
          break;
        case engine::Threat::kMajorHazard:
          id = FactId::kThreatensMajorHazard;
          break;
      }
      if (!id) continue;
      // Never turn a true (e.g. residential from places) into false.
      if (s.facts.Get(*id).value_or(0) > 0 && names.empty()) continue;
      std::string why = src + ": " + (names.empty() ? "none of type " + threat + within : names.front());
      SetFact(s, *id, !names.empty(), why);
    }
  } else {
    Unknown(s, "threatens_<key target>: no key_targets layer configured", "威胁重要目标：未配置重要目标图层");
  }
  if (auto areas = layers.SensitiveAreasAt(at)) {
    s.sensitive = *areas;
    SetFact(s, FactId::kSensitiveArea, !areas->empty(),
            "layers:" + BaseName(cfg.sensitive_areas->file) +
                (areas->empty() ? ": point in no sensitive area" : ": inside " + areas->front().name));
  } else {
    Unknown(s, "sensitive_area: no sensitive_areas layer configured", "敏感地区：未配置敏感地区图层");
  }
}

// A situation of guidance.h with its placeholder values in both languages.
SiteHazard Hazard(std::string situation, std::vector<SiteHazard::Value> values = {}) {
  return SiteHazard{std::move(situation), std::move(values)};
}

// Fire head direction: observed, else downwind (wind >= 2 m/s), else upslope (slope >= 5°).
void HeadDirection(const SiteOptions& opt, SiteAnalysis& s) {
  if (opt.head_dir_deg) {
    s.head_dir_deg = NormDeg(*opt.head_dir_deg);
    s.head_basis = "observed";
  } else if (opt.wind_from_deg && opt.wind_speed_ms && *opt.wind_speed_ms >= 2.0) {
    s.head_dir_deg = NormDeg(*opt.wind_from_deg + 180.0);
    s.head_basis = "wind";
  } else if (s.upslope_dir_deg && s.slope_deg && *s.slope_deg >= 5.0) {
    s.head_dir_deg = *s.upslope_dir_deg;
    s.head_basis = "upslope";
  }
}

// The situations at the point (their words come from the rule file: WordSiteSafety). Wedge zones for the head
// and the upslope side when zones are drawn.
void PointHazards(const SiteOptions& opt, const Layers& layers, SiteAnalysis& s) {
  const double len = opt.radius.value();
  if (s.head_dir_deg) {
    const std::string basis_zh = s.head_basis == "observed" ? "观测" : s.head_basis == "wind" ? "风向" : "上坡方向";
    SiteHazard h = Hazard("fire_head", {{"dir", {Compass(*s.head_dir_deg, true), Compass(*s.head_dir_deg, false)}},
                                        {"deg", {Fixed(*s.head_dir_deg, 0), Fixed(*s.head_dir_deg, 0)}},
                                        {"basis", {basis_zh, s.head_basis}}});
    if (opt.zones) s.zones.push_back({"no_approach_head", h, "", "", "", Wedge(s.at, *s.head_dir_deg, 30.0, len), 0});
    s.hazards.push_back(std::move(h));
  }
  if (s.upslope_dir_deg && s.slope_deg && *s.slope_deg >= 5.0) {
    SiteHazard h = Hazard("upslope", {{"dir", {Compass(*s.upslope_dir_deg, true), Compass(*s.upslope_dir_deg, false)}},
                                      {"slope", {Fixed(*s.slope_deg, 0), Fixed(*s.slope_deg, 0)}}});
    if (opt.zones)
      s.zones.push_back({"no_approach_downhill", h, "", "", "", Wedge(s.at, *s.upslope_dir_deg, 45.0, len), 0});
    s.hazards.push_back(std::move(h));
  }
  if (s.other_county && s.other_county->km <= layers.config().county_near_km) {
    const std::string km = Fixed(s.other_county->km, 1);
    s.hazards.push_back(
        Hazard("county_border", {{"county", {s.other_county->name, s.other_county->name}}, {"km", {km, km}}}));
  }
  if (opt.night.value_or(false)) s.hazards.push_back(Hazard("night"));
  for (const auto& [bit, cnt] : s.landforms) {
    if (cnt.first < kMinFeatureCells) continue;
    if (bit == kSteepSlope || bit == kBelowCliff) continue;
    SiteHazard::Value lf{"landform", {std::string(LandformName(bit, true)), std::string(LandformName(bit, false))}};
    if (cnt.second < 1.0) {
      s.hazards.push_back(Hazard("landform_at_point", {lf}));
    } else {
      const std::string d = Fixed(cnt.second, 0);
      s.hazards.push_back(Hazard("landform_near", {lf, {"distance_m", {d, d}}}));
    }
  }
}

// Zones of landform classes (and dangerous fuels) polygonised on the analysis window.
void LandformZones(const TerrainAtPoint& t, const Layers& layers, double len, SiteAnalysis& s) {
  const Grid& g = t.grid;
  const auto& lf = t.terrain.landform;
  const auto ct = ToWgs84(g);
  auto zone = [&](const std::string& kind, std::uint8_t bits, SiteHazard h) {
    std::vector<std::uint8_t> mask(lf.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < lf.size(); ++i) {
      mask[i] = (lf[i] & bits) ? 1 : 0;
      n += mask[i];
    }
    if (n == 0) return;
    s.zones.push_back({kind, std::move(h), "", "", "", PolygonizeMask(g, mask, ct.get()), n});
  };
  zone("no_fight", kCliff | kSteepSlope | kNarrowValley, Hazard("zone_no_fight"));
  for (LandformBit b : {kRidge, kSaddle, kValley, kBoxCanyon}) {
    zone(std::string("no_enter_") + (b == kRidge    ? "ridge"
                                     : b == kSaddle ? "saddle"
                                     : b == kValley ? "gully"
                                                    : "box_canyon"),
         b,
         Hazard("zone_no_enter",
                {{"landform", {std::string(LandformName(b, true)), std::string(LandformName(b, false))}}}));
  }
  zone("no_rest", kValley | kBelowCliff, Hazard("zone_no_rest"));
  // Dangerous fuels on the same window (resampled by cell centre).
  const Raster* fuel = layers.fuel();
  if (!fuel || !fuel->Contains(s.at)) return;
  Grid fg = fuel->ReadWindow(s.at, Metres(len), 0);
  std::vector<std::uint8_t> mask(fg.z.size(), 0);
  std::size_t n = 0;
  for (std::size_t i = 0; i < fg.z.size(); ++i) {
    if (!std::isnan(fg.z[i]) && layers.DangerousCategory(static_cast<int>(std::lround(fg.z[i])))) {
      mask[i] = 1;
      ++n;
    }
  }
  if (n > 0)
    s.zones.push_back({"dangerous_fuel", Hazard("zone_dangerous_fuel"), "", "", "",
                       PolygonizeMask(fg, mask, fg.wkt == g.wkt ? ct.get() : ToWgs84(fg).get()), n});
}

void AddSafety(const SiteOptions& opt, const std::optional<TerrainAtPoint>& t, const Layers& layers, SiteAnalysis& s) {
  HeadDirection(opt, s);
  PointHazards(opt, layers, s);
  if (t && opt.zones) LandformZones(*t, layers, opt.radius.value(), s);
}

std::string Fill(const std::string& tmpl, const SiteHazard& h, bool zh) {
  std::string out = tmpl;
  for (const auto& [name, v] : h.values) out = engine::FillPlaceholders(out, {{name, zh ? v.first : v.second}});
  return out;
}
}  // namespace

SiteAnalysis AnalyzeSite(const Layers& layers, const Dem* dem, LonLat at, const SiteOptions& opt) {
  if (!(std::isfinite(at.lon) && std::isfinite(at.lat) && std::abs(at.lon) <= 180 && std::abs(at.lat) <= 90)) {
    throw Error(ErrorKind::kInput, "--at", "not a WGS84 lon/lat: " + Fixed(at.lon, 6) + "," + Fixed(at.lat, 6),
                "give LON,LAT in degrees, longitude first (e.g. 109.30,25.00)");
  }
  SiteAnalysis s;
  s.at = at;
  const double feature_radius_m = layers.config().feature_radius_m;
  AnalyzeLayers(layers, at, s);
  std::optional<TerrainAtPoint> t;
  if (dem) {
    s.dem_path = dem->path();
    AnalyzeTerrainPart(*dem, at, opt, feature_radius_m, s, t);
  } else {
    Unknown(s, "slope_deg, terrain_*: no DEM given (--dem)", "坡度、地形类事实：未给出DEM（--dem）");
  }
  AnalyzeFuel(layers, at, feature_radius_m, s);
  AddSafety(opt, t, layers, s);
  return s;
}

void WordSiteSafety(SiteAnalysis& s, const engine::RuleSet& rules) {
  s.advice_zh.clear();
  s.advice_en.clear();
  for (const SiteHazard& h : s.hazards) {
    const engine::SiteSafetyText* w = rules.FindSiteSafety(h.situation);
    if (!w) continue;  // the plan says nothing about this situation
    s.advice_zh.push_back(Fill(w->advice.zh, h, true));
    s.advice_en.push_back(Fill(w->advice.en, h, false));
  }
  for (Zone& z : s.zones) {
    z.clause.clear();
    z.label_zh.clear();
    z.label_en.clear();
    const engine::SiteSafetyText* w = rules.FindSiteSafety(z.hazard.situation);
    if (!w) continue;
    const bool point = z.hazard.situation.rfind("zone_", 0) != 0;  // a wedge of a point situation
    const engine::Text& label = point ? w->zone : w->advice;
    z.clause = w->clause;
    z.label_zh = Fill(label.zh, z.hazard, true);
    z.label_en = Fill(label.en, z.hazard, false);
  }
  s.advice_groups.clear();
  for (const auto& e : rules.site_safety) {
    const engine::SafetyRule* r = e.rule.empty() ? nullptr : rules.FindSafetyRule(e.rule);
    if (r && std::find(s.advice_groups.begin(), s.advice_groups.end(), r->group) == s.advice_groups.end())
      s.advice_groups.push_back(r->group);
  }
}

SiteAnalysis FillIncidentFacts(const Layers& layers, const Dem* dem, engine::Incident& incident, Metres radius) {
  if (!incident.location) {
    SiteAnalysis s;
    Unknown(s, "all GIS facts: the report has no location (lon/lat)", "全部地理事实：报告没有位置（经纬度）");
    return s;
  }
  SiteOptions opt;
  opt.radius = radius;
  opt.wind_from_deg = incident.weather.wind_dir_deg;
  opt.wind_speed_ms = incident.weather.wind_speed_ms;
  if (auto n = incident.extra.Get(FactId::kNight)) opt.night = *n != 0;
  SiteAnalysis s = AnalyzeSite(layers, dem, *incident.location, opt);
  for (const auto& [id, src] : s.sources) {
    if (auto v = s.facts.Get(id)) incident.derived.Set(id, *v);
  }
  // One provenance line per fact (the last source wins, as in `facts`).
  for (const auto& [id, src] : s.sources) {
    const auto fact = id;  // a structured binding cannot be captured by clang 14 (the fuzz preset)
    auto it = std::find_if(incident.derived_from.begin(), incident.derived_from.end(),
                           [&](const auto& p) { return p.first == fact; });
    if (it != incident.derived_from.end()) {
      it->second = src;
    } else {
      incident.derived_from.emplace_back(id, src);
    }
  }
  if (!incident.county && s.county) incident.county = s.county->name;
  return s;
}

SiteContext SiteContext::Open(const std::string& dem_path, const std::string& layers_path) {
  SiteContext ctx;
  if (!layers_path.empty()) ctx.layers_ = Layers::Open(layers_path);
  if (!dem_path.empty()) ctx.dem_ = Dem::Open(dem_path, 1, RasterRole::kElevation);
  return ctx;
}

// ---------------------------------------------------------------- renderings

namespace {

nlohmann::json NearJson(const NearFeature& f) {
  nlohmann::json j = {{"name", f.name}, {"km", std::round(f.km * 1000) / 1000}, {"layer", f.layer}};
  if (!f.code.empty()) j["code"] = f.code;
  if (!f.type.empty()) j["type"] = f.type;
  return j;
}

nlohmann::json FactsJson(const SiteAnalysis& s) {
  nlohmann::json facts = nlohmann::json::object();
  for (const auto& [id, src] : s.sources) {
    const auto& info = engine::Info(id);
    auto v = s.facts.Get(id);
    if (!v) continue;
    nlohmann::json val = info.kind == engine::FactKind::kBool ? nlohmann::json(*v != 0) : nlohmann::json(*v);
    facts[std::string(info.name)] = {{"value", val}, {"source", src}};
  }
  return facts;
}

}  // namespace

std::string SiteJson(const SiteAnalysis& s) {
  nlohmann::json j;
  j["at"] = {{"lon", s.at.lon}, {"lat", s.at.lat}};
  if (!s.dem_path.empty()) j["dem"] = s.dem_path;
  j["facts"] = FactsJson(s);
  j["unknown"] = s.unknown;
  j["unknown_zh"] = s.unknown_zh;
  if (s.county) j["county"] = NearJson(*s.county);
  if (s.other_county) j["nearest_other_county"] = NearJson(*s.other_county);
  if (s.km_to_city_boundary) j["km_to_city_boundary"] = *s.km_to_city_boundary;
  if (s.inside_city) j["inside_city"] = *s.inside_city;
  j["places"] = nlohmann::json::array();
  for (const auto& p : s.places) j["places"].push_back(NearJson(p));
  j["key_targets"] = nlohmann::json::array();
  for (const auto& p : s.targets) j["key_targets"].push_back(NearJson(p));
  j["sensitive_areas"] = nlohmann::json::array();
  for (const auto& p : s.sensitive) j["sensitive_areas"].push_back(NearJson(p));
  nlohmann::json terrain = nlohmann::json::object();
  if (s.elevation_m) terrain["elevation_m"] = *s.elevation_m;
  if (s.slope_deg) {
    terrain["slope_deg"] = *s.slope_deg;
    terrain["slope_class"] = SlopeClassName(s.slope_class, false);
    terrain["slope_class_zh"] = SlopeClassName(s.slope_class, true);
  }
  if (s.aspect_deg) terrain["aspect_deg"] = *s.aspect_deg;
  if (s.upslope_dir_deg) terrain["upslope_dir_deg"] = *s.upslope_dir_deg;
  terrain["steep_share"] = s.steep_share;
  nlohmann::json lfs = nlohmann::json::object();
  for (const auto& [bit, cnt] : s.landforms) {
    lfs[std::string(LandformName(bit, false))] = {{"cells", cnt.first}, {"nearest_m", std::round(cnt.second)}};
  }
  terrain["landforms_within_feature_radius"] = lfs;
  j["terrain"] = terrain;
  if (s.dangerous_fuel_share) {
    j["fuel"] = {{"dangerous_share", *s.dangerous_fuel_share}};
    if (s.fuel_code) j["fuel"]["code_at_point"] = *s.fuel_code;
    for (const auto& [cat, n] : s.fuel_categories) j["fuel"]["categories"][cat] = n;
  }
  nlohmann::json safety = nlohmann::json::object();
  if (s.head_dir_deg) safety["head_dir_deg"] = *s.head_dir_deg, safety["head_basis"] = s.head_basis;
  safety["advice_zh"] = s.advice_zh;
  safety["advice_en"] = s.advice_en;
  nlohmann::json zones = nlohmann::json::array();
  for (const auto& z : s.zones) zones.push_back({{"kind", z.kind}, {"clause", z.clause}, {"cells", z.cells}});
  safety["zones"] = zones;
  j["safety"] = safety;
  return j.dump(2);
}

std::string SiteGeoJson(const SiteAnalysis& s) {
  nlohmann::json fc = {{"type", "FeatureCollection"}, {"features", nlohmann::json::array()}};
  nlohmann::json point = {{"type", "Feature"},
                          {"geometry", {{"type", "Point"}, {"coordinates", {s.at.lon, s.at.lat}}}},
                          {"properties", {{"kind", "incident"}, {"facts", FactsJson(s)}}}};
  fc["features"].push_back(point);
  for (const auto& z : s.zones) {
    if (z.geometry_json == "null") continue;
    nlohmann::json f = {
        {"type", "Feature"},
        {"geometry", nlohmann::json::parse(z.geometry_json)},
        {"properties", {{"kind", z.kind}, {"clause", z.clause}, {"label_zh", z.label_zh}, {"label_en", z.label_en}}}};
    if (z.cells) f["properties"]["cells"] = z.cells;
    fc["features"].push_back(f);
  }
  return fc.dump();
}

std::string SiteText(const SiteAnalysis& s, bool zh) {
  std::ostringstream o;
  o << (zh ? "地点 " : "Point ") << Fixed(s.at.lon, 5) << "," << Fixed(s.at.lat, 5);
  if (s.county)
    o << (zh ? "  所在县（区）：" : "  county: ") << s.county->name
      << (s.county->code.empty() ? "" : " " + s.county->code);
  o << "\n";
  if (s.elevation_m || s.slope_deg) {
    o << (zh ? "地形：" : "Terrain: ");
    if (s.elevation_m) o << (zh ? "海拔 " : "elevation ") << Fixed(*s.elevation_m, 0) << " m";
    if (s.slope_deg) {
      o << (zh ? "，坡度 " : ", slope ") << Fixed(*s.slope_deg, 1) << (zh ? "°（" : "° (")
        << SlopeClassName(s.slope_class, zh) << (zh ? "）" : ")");
    }
    if (s.upslope_dir_deg) o << (zh ? "，上坡方向 " : ", upslope ") << Compass(*s.upslope_dir_deg, zh);
    o << "\n";
  }
  if (!s.places.empty() || !s.targets.empty() || !s.sensitive.empty()) {
    o << (zh ? "附近：" : "Nearby: ");
    bool first = true;
    for (const auto* list : {&s.places, &s.targets, &s.sensitive}) {
      for (const auto& f : *list) {
        o << (first ? "" : zh ? "；" : "; ") << f.name << " " << Fixed(f.km, 2) << " km";
        first = false;
      }
    }
    o << "\n";
  }
  o << (zh ? "事实（来源）：\n" : "Facts (source):\n");
  for (const auto& [id, src] : s.sources) {
    const auto& info = engine::Info(id);
    auto v = s.facts.Get(id);
    if (!v) continue;
    std::string val = info.kind == engine::FactKind::kBool
                          ? (*v != 0 ? (zh ? "是" : "yes") : (zh ? "否" : "no"))
                          : Fixed(*v, 2) + (info.unit.empty() ? "" : " " + std::string(info.unit));
    o << "  " << info.name << " (" << (zh ? info.zh : info.en) << ") = " << val << "   [" << src << "]\n";
  }
  if (!s.unknown.empty()) {
    o << (zh ? "未知（未推测）：\n" : "Unknown (not guessed):\n");
    for (const auto& u : zh ? s.unknown_zh : s.unknown) o << "  " << u << "\n";
  }
  const auto& advice = zh ? s.advice_zh : s.advice_en;
  if (!advice.empty()) {
    std::string groups;
    for (const auto& g : s.advice_groups) groups += (groups.empty() ? "" : zh ? "、" : ", ") + g;
    o << (zh ? "安全提示" : "Safety")
      << (groups.empty() ? ""
          : zh           ? "（" + groups + "）"
                         : " (" + groups + ")")
      << (zh ? "：\n" : ":\n");
    for (const auto& a : advice) o << "  - " << a << "\n";
  }
  if (!s.zones.empty()) {
    o << (zh ? "区域：" : "Zones: ");
    bool first = true;
    for (const auto& z : s.zones) {
      o << (first ? "" : ", ") << z.kind;
      first = false;
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace firebreak::gis
