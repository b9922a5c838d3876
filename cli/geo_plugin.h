// The geo plugin: everything in `firebreak` that needs GDAL or Boost.Graph (firebreak::gis, firebreak::forces)
// lives in the MODULE library libfirebreak_geo.so, loaded with dlopen only when a command needs maps
// (terrain, demo-data, deploy, forces, and assess/report/drill with --dem/--layers/--forces). The executable
// itself never links GDAL, so commands that do not need it start without resolving libgdal and its ~110
// dependent libraries (docs/architecture.md has the numbers).
//
// Contract across the boundary:
// - Both sides are built from this tree by the same compiler and standard library, so std::string and engine
//   types pass by reference. kGeoPluginVersion is bumped whenever this header changes; the factory refuses a
//   different version.
// - No exception crosses the boundary: every plugin method catches firebreak::Error (and any std::exception)
//   and returns it as a GeoError; the executable rethrows it (ThrowIfError) so main's one catch maps it to the
//   documented exit code. This holds whether or not the two sides share typeinfo (the plugin links its own
//   copy of the engine/common static libraries).
// - Command output goes to std::cout (one libstdc++, one stream). The plugin is never unloaded.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enrich.h"
#include "firebreak/common/error.h"
#include "firebreak/engine/decision.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::fire {  // fire/grid.h (issue 9); complete where the methods are called or implemented
struct LandscapeCell;
struct FwiGridJob;
struct FwiGridSummary;
}  // namespace firebreak::fire

namespace firebreak::cli {

inline constexpr int kGeoPluginVersion =
    6;  // 2: DeskMaps (serve); 3: LandscapeAt, FwiGrid (issue 9); 4: Forecast (issue 10); 5: Terrain takes the rule set
        // (site_safety words); 6: DeskMaps::Forecast
inline constexpr const char* kGeoPluginFile = "libfirebreak_geo.so";
inline constexpr const char* kGeoPluginFactory = "firebreak_geo_plugin";

// An error raised inside the plugin, carried back by value. type kNone: success.
struct GeoError {
  enum class Type { kNone, kError, kOther } type = Type::kNone;
  ErrorKind kind = ErrorKind::kInternal;  // for kError
  std::string where, what, hint;          // kOther: what() of a non-firebreak exception
  explicit operator bool() const { return type != Type::kNone; }
};

// `firebreak terrain` options (parsed by CLI11 in the executable).
struct TerrainArgs {
  std::string dem, layers, at, geojson, format = "text";
  double radius_km = 3.0;
  std::optional<double> wind_from, wind_speed, head_dir;
  bool night = false;
};

// `firebreak deploy` options. forces: never empty when handed to the plugin (the executable fills the default).
struct DeployArgs {
  std::string incident;
  std::string at;
  std::string level;
  std::string county;
  std::string forces;
  std::string dem;
  double dem_radius_km = 15;
  std::string roads;
  std::string roads_config;
  std::vector<std::string> zones;
  double walk_in_m = 2000;
  std::string geojson;
  std::string format = "text";
};

// ---- forecast (issue 10): `firebreak forecast` (forecast/, docs/forecast.md) ------------------------------------
struct ForecastArgs {
  std::string report;                        // the report file (its location and weather: ignition and weather)
  std::string landscape, dem, fuel, canopy;  // --landscape LCP, or --dem + --fuel (+ --canopy)
  std::string layers, perimeter, fuel_models;
  std::vector<std::string> barriers;
  double hours = 24;
  std::optional<int> ensemble;  // absent: the deterministic projection only
  std::uint64_t seed = 1;
  std::string isochrones;  // "1,3,6" (hours); empty = default
  std::optional<double> wind_speed, wind_from, ffmc;
  std::string moisture, fwi_weather;
  std::string geojson, tif, html;
  std::string format = "text";
  int threads = 2;
};
// ---- end forecast ------------------------------------------------------------------------------------------------

// One opened set of maps/registry for the Enricher (cli/enrich.h documents the semantics).
// Thread-compatible, not thread-safe.
class GeoSession {
 public:
  virtual ~GeoSession() = default;
  virtual GeoError Enrich(engine::Incident& incident) = 0;
  virtual GeoError Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang,
                        std::string& out) = 0;
  virtual GeoError Json(const engine::Incident& incident, const engine::Decision& d, std::string& out) = 0;
  // ---- forecast (issue 10): the forecast section for one incident (Enricher::Forecast).
  virtual GeoError Forecast(const engine::Incident& incident, const std::string& lang, bool json, std::string& out) = 0;
};

// `firebreak serve`: a point query for terrain (as `firebreak terrain --at LON,LAT`).
struct SiteArgs {
  engine::LonLat at;
  std::optional<double> wind_from, wind_speed;
  bool night = false;
  double radius_km = 3.0;
};

// `firebreak serve`: a forecast for one incident on the serve's landscape (GET /api/forecast).
struct DeskForecastArgs {
  double hours = 24;  // horizon after the report, (0, 336]
  int ensemble = 0;   // members; 0 = the deterministic projection only
};

struct HillshadeOut {
  std::string png;  // Web Mercator pixels; extent in WGS84 degrees below
  double west = 0, south = 0, east = 0, north = 0;
};

// The web desk's maps, opened once by `firebreak serve` and asked per request (gis/web_export.h,
// gis/site.h, forces/deploy.h). Thread-compatible, not thread-safe: the server serialises calls.
class DeskMaps {
 public:
  virtual ~DeskMaps() = default;
  virtual GeoError Enrich(engine::Incident& incident) = 0;
  // {"counties": FeatureCollection, ...} (gis::LayersGeoJson).
  virtual GeoError Layers(std::string& geojson) = 0;
  virtual GeoError Hillshade(HillshadeOut& out) = 0;
  // {"site": `terrain --format json`, "zones": its --geojson}.
  virtual GeoError Site(const SiteArgs& a, std::string& json) = 0;
  // {"plan": `deploy --format json`, "geojson": its --geojson} for an incident with a location.
  virtual GeoError Deploy(const engine::Incident& incident, std::optional<engine::Level> level, std::string& json) = 0;
  // {"forecast": `forecast --format json`, "geojson": its --geojson} for an incident on the landscape given to
  // serve (--landscape, or --forecast: --dem + the layers config's fuel raster): forecast::RunForecast as
  // `firebreak forecast` runs it. Errors (no wind in the report, ignition off the landscape…) are returned.
  virtual GeoError Forecast(const engine::Incident& incident, const DeskForecastArgs& a, std::string& json) = 0;
};

class GeoPlugin {
 public:
  virtual ~GeoPlugin() = default;
  // Opens DEM/layers and the forces registry named in o (o.any() is true). `rules` must outlive the session.
  virtual GeoError OpenSession(const EnrichOptions& o, const engine::RuleSet& rules,
                               std::unique_ptr<GeoSession>& out) = 0;
  // The work of `firebreak terrain` / `demo-data` / `deploy` / `forces`; output on std::cout.
  virtual GeoError Terrain(const TerrainArgs& a, const engine::RuleSet& rules, const std::string& lang) = 0;
  virtual GeoError DemoData(const std::string& outdir, const std::string& lang) = 0;
  virtual GeoError Deploy(const DeployArgs& a, const engine::RuleSet& rules, const std::string& lang) = 0;
  // exit_code set to 1 when a unit has problems (the command completes with findings).
  virtual GeoError Forces(const std::string& file, const std::string& format, const engine::RuleSet& rules,
                          const std::string& lang, int& exit_code) = 0;
  // Opens the DEM, layers and forces registry named in o (any may be empty) for the web desk.
  virtual GeoError OpenDeskMaps(const EnrichOptions& o, const engine::RuleSet& rules,
                                std::unique_ptr<DeskMaps>& out) = 0;
  // `firebreak fire behavior --landscape FILE --at LON,LAT`: the landscape's values at the point (fire/grid.h).
  virtual GeoError LandscapeAt(const std::string& path, const engine::LonLat& at, fire::LandscapeCell& out) = 0;
  // `firebreak fire grid`: the FWI over a weather raster stack, written as a GeoTIFF stack (fire/grid.h).
  virtual GeoError FwiGrid(const fire::FwiGridJob& job, const engine::RuleSet& rules, fire::FwiGridSummary& out) = 0;
  // ---- forecast (issue 10): the work of `firebreak forecast`; output on std::cout, progress on std::cerr.
  virtual GeoError Forecast(const ForecastArgs& a, const engine::RuleSet& rules, const std::string& lang) = 0;
};

// The plugin's one exported symbol (kGeoPluginFactory): the process-wide plugin object, or nullptr when
// `version` differs from the plugin's kGeoPluginVersion.
using GeoPluginFactory = GeoPlugin* (*)(int version);

// --- Executable side (cli/geo_loader.cc) ---

// Loads the plugin on first use: $FIREBREAK_GEO_PLUGIN (a path; when set, the only candidate), else
// <dir of /proc/self/exe>/libfirebreak_geo.so, else <dir of exe>/../lib/firebreak/libfirebreak_geo.so.
// Throws Error(kGis, path, dlerror(), "reinstall firebreak or set FIREBREAK_GEO_PLUGIN") if it cannot.
GeoPlugin& Geo();
// Rethrows a plugin error in the executable: firebreak::Error for kError, std::runtime_error for kOther.
void ThrowIfError(const GeoError& e);

}  // namespace firebreak::cli
