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

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enrich.h"
#include "firebreak/common/error.h"
#include "firebreak/engine/decision.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::cli {

inline constexpr int kGeoPluginVersion = 2;  // 2: Terrain takes the rule set (site_safety words)
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

// One opened set of maps/registry for the Enricher (cli/enrich.h documents the semantics).
// Thread-compatible, not thread-safe.
class GeoSession {
 public:
  virtual ~GeoSession() = default;
  virtual GeoError Enrich(engine::Incident& incident) = 0;
  virtual GeoError Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang,
                        std::string& out) = 0;
  virtual GeoError Json(const engine::Incident& incident, const engine::Decision& d, std::string& out) = 0;
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
