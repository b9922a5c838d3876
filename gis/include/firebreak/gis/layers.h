// Vector layers (admin boundaries, places, sensitive areas, key targets) and the fuel raster, tied together
// by a small YAML config (format: docs/layers-config.md). Any OGR vector format and any CRS: features are
// reprojected to WGS84 on load; distances are computed in a local azimuthal equidistant projection centred
// on the query point (exact to well under a metre at tens of km).
//
// Thread-safety: a loaded Layers is read-only, but its fuel Raster wraps a GDAL dataset; do not query from
// two threads at once.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "firebreak/engine/incident.h"
#include "firebreak/gis/raster.h"

namespace firebreak::gis {

// One vector layer of the config.
struct VectorLayerConfig {
  std::string file;        // resolved path (relative paths are relative to the config file)
  std::string named_at;    // "config:line:col" of its `file:` key (for messages about the file)
  std::string layer;       // OGR layer name; empty = the first layer
  std::string name_field;  // required
  std::string code_field;  // optional (counties: adcode)
  std::string type_field;  // optional (key targets: type -> threat)
  double threat_km = 2.0;  // places / key targets within this distance are "threatened"
  // key targets: value of type_field -> threat name ("railway", "hazardous_chemicals", "military",
  // "oil_gas_pipeline", "nuclear", "major_hazard", "residential", "key_facility"; see engine::ParseThreat).
  std::map<std::string, std::string> types;
};

struct FuelConfig {
  std::string file;
  std::string named_at;  // "config:line:col" of its `file:` key
  int band = 1;
  std::string system;  // free text, e.g. "Scott & Burgan 40"
  // Plan fuel category (shrub 易燃灌木丛, meadow 草甸, young_conifer 针叶幼树林, bamboo 高山竹林) -> inclusive
  // code ranges.
  std::map<std::string, std::vector<std::pair<int, int>>> dangerous;
  double dangerous_fraction = 0.25;  // fuel_dangerous when at least this share of cells is dangerous
};

struct LayersConfig {
  std::string path;  // the config file (for messages)
  std::optional<VectorLayerConfig> counties, city, places, sensitive_areas, key_targets;
  std::optional<FuelConfig> fuel;
  double county_near_km = 5.0;      // reported: other counties within this distance
  double feature_radius_m = 500.0;  // terrain/fuel facts look this far around the incident point
};

// Parses a layers config. Throws Error(kInput, "file:line:col", ...) for unknown keys (with "did you mean"),
// wrong types or missing required fields; Error(kNotFound, path) if the file does not exist.
LayersConfig LoadLayersConfig(const std::string& path);
// The same from text already read; `path` names it in messages and anchors relative file paths.
LayersConfig ParseLayersConfig(const std::string& text, const std::string& path);

// A feature found near a point.
struct NearFeature {
  std::string name;
  std::string code;   // code_field value, if configured
  std::string type;   // type_field value, if configured
  double km = 0;      // distance from the point (0 inside a polygon)
  std::string layer;  // which config entry: "places", "key_targets", ...
};

class Layers {
 public:
  Layers();  // no layers: every query returns "unknown"
  Layers(Layers&&) noexcept;
  Layers& operator=(Layers&&) noexcept;
  ~Layers();

  // Opens every configured file, checks configured fields exist, reprojects to WGS84. Throws Error(kGis,
  // file, ...) naming the file and the missing field / problem.
  static Layers Load(const LayersConfig& cfg);
  static Layers Open(const std::string& config_path) { return Load(LoadLayersConfig(config_path)); }

  const LayersConfig& config() const;

  // The county polygon containing `p` (nullopt: no counties layer, or `p` in none of them).
  std::optional<NearFeature> CountyAt(engine::LonLat p) const;
  // Distance to the nearest OTHER county polygon (nullopt when `p` is in no county or there is no other).
  std::optional<NearFeature> NearestOtherCounty(engine::LonLat p) const;
  // Distance to the city outline's boundary, and whether `p` is inside the city.
  std::optional<double> KmToCityBoundary(engine::LonLat p) const;
  std::optional<bool> InsideCity(engine::LonLat p) const;
  // Places / key targets within their configured threat_km, nearest first (empty if none; nullopt if the
  // layer is not configured).
  std::optional<std::vector<NearFeature>> PlacesNear(engine::LonLat p) const;
  std::optional<std::vector<NearFeature>> TargetsNear(engine::LonLat p) const;
  // Sensitive areas containing `p`.
  std::optional<std::vector<NearFeature>> SensitiveAreasAt(engine::LonLat p) const;
  // The fuel raster (nullptr if not configured).
  const Raster* fuel() const;
  // Plan fuel category of a fuel code ("shrub", "meadow", ...) or nullopt when the code is not dangerous.
  std::optional<std::string> DangerousCategory(int code) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace firebreak::gis
