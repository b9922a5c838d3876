// firebreak terrain — what the ground and the maps say about an incident point (facts with their sources,
// safety advice, GeoJSON zones); firebreak demo-data — write the synthetic demo terrain and layers.
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/gis/demo_data.h"
#include "firebreak/gis/layers.h"
#include "firebreak/gis/raster.h"
#include "firebreak/gis/site.h"

namespace firebreak::cli {

namespace {

engine::LonLat ParseLonLat(const std::string& s) {
  const auto comma = s.find(',');
  engine::LonLat ll;
  try {
    if (comma == std::string::npos) throw std::invalid_argument("no comma");
    std::size_t p1 = 0, p2 = 0;
    ll.lon = std::stod(s.substr(0, comma), &p1);
    ll.lat = std::stod(s.substr(comma + 1), &p2);
    if (p1 != comma || p2 != s.size() - comma - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw Error(ErrorKind::kUsage, "--at", "cannot parse '" + s + "' as LON,LAT",
                "give WGS84 degrees, longitude first, e.g. --at 109.30,25.00");
  }
  if (!(std::abs(ll.lon) <= 180 && std::abs(ll.lat) <= 90)) {
    throw Error(ErrorKind::kUsage, "--at", "'" + s + "' is not a lon/lat in degrees",
                "longitude first: --at 109.30,25.00");
  }
  return ll;
}

struct TerrainArgs {
  std::string dem, layers, at, geojson, format = "text";
  double radius_km = 3.0;
  std::optional<double> wind_from, wind_speed, head_dir;
  bool night = false;
};

void RunTerrain(const TerrainArgs& a, const Globals& g) {
  const engine::LonLat at = ParseLonLat(a.at);
  if (!(a.radius_km > 0 && a.radius_km <= 50)) {
    throw Error(ErrorKind::kUsage, "--radius", "radius must be in (0, 50] km", "e.g. --radius 3");
  }
  gis::SiteContext ctx = gis::SiteContext::Open(a.dem, a.layers);
  gis::SiteOptions opt;
  opt.radius = Metres(a.radius_km * 1000);
  opt.wind_from_deg = a.wind_from;
  opt.wind_speed_ms = a.wind_speed;
  opt.head_dir_deg = a.head_dir;
  if (a.night) opt.night = true;
  opt.zones = !a.geojson.empty();
  gis::SiteAnalysis s = gis::AnalyzeSite(ctx.layers(), ctx.dem(), at, opt);
  if (!a.geojson.empty()) {
    std::ofstream out(a.geojson);
    out << gis::SiteGeoJson(s) << "\n";
    if (!out) throw Error(ErrorKind::kInput, a.geojson, "cannot write GeoJSON", "check the directory is writable");
  }
  if (a.format == "json") {
    std::cout << gis::SiteJson(s) << "\n";
  } else {
    std::cout << gis::SiteText(s, g.lang != "en");
    if (!a.geojson.empty()) std::cout << (g.lang != "en" ? "GeoJSON 已写入 " : "GeoJSON written to ") << a.geojson << "\n";
  }
}

}  // namespace

void RegisterTerrainCommands(CLI::App& app, Globals& g) {
  auto args = std::make_shared<TerrainArgs>();
  CLI::App* t = app.add_subcommand("terrain", "Terrain, places and safety facts at a point (DEM + layers; GDAL)");
  t->add_option("--dem", args->dem, "DEM raster (any GDAL format and CRS)");
  t->add_option("--layers", args->layers, "Layers config (YAML; docs/layers-config.md)");
  t->add_option("--at", args->at, "Incident point LON,LAT (WGS84 degrees)")->required();
  t->add_option("--radius", args->radius_km, "Analysis radius in km (default 3)");
  t->add_option("--geojson", args->geojson, "Write facts and safety zones as GeoJSON (for QGIS)");
  t->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  t->add_option("--wind-from", args->wind_from, "Wind direction, degrees the wind blows FROM");
  t->add_option("--wind-speed", args->wind_speed, "Wind speed, m/s");
  t->add_option("--head-dir", args->head_dir, "Observed direction the fire head spreads TOWARD, degrees");
  t->add_flag("--night", args->night, "It is night (poor visibility)");
  t->callback([args, &g] { RunTerrain(*args, g); });

  auto outdir = std::make_shared<std::string>();
  CLI::App* d = app.add_subcommand("demo-data", "Write the synthetic demo DEM, fuel raster, layers and layers.yaml");
  d->add_option("OUTDIR", *outdir, "Output directory (created if missing)")->required();
  d->callback([outdir, &g] {
    gis::DemoFiles f = gis::WriteDemoData(*outdir);
    const bool zh = g.lang != "en";
    std::cout << (zh ? "演示数据（合成，非真实地理）已写入 " : "Demo data (synthetic, not real geography) written to ")
              << *outdir << "\n"
              << "  dem:    " << f.dem << "\n  fuel:   " << f.fuel << "\n  layers: " << f.layers << "\n"
              << (zh ? "已知地形点（--at）：\n" : "Known features (--at):\n");
    for (const auto& [name, ll] : f.points) {
      std::ostringstream os;
      os.setf(std::ios::fixed);
      os.precision(5);
      os << "  " << name << std::string(12 - std::min<std::size_t>(11, name.size()), ' ') << ll.lon << "," << ll.lat << "\n";
      std::cout << os.str();
    }
    std::cout
              << (zh ? "试一试：" : "Try: ") << "firebreak terrain --dem " << f.dem << " --layers " << f.layers
              << " --at " << [&] {
                std::ostringstream os;
                os.setf(std::ios::fixed);
                os.precision(5);
                os << f.points[3].second.lon << "," << f.points[3].second.lat;
                return os.str();
              }() << "\n";
  });
}

}  // namespace firebreak::cli
