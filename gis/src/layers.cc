#include "firebreak/gis/layers.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <set>

#include <ogrsf_frmts.h>
#include <yaml-cpp/yaml.h>

#include "firebreak/common/error.h"
#include "firebreak/common/json_guard.h"
#include "firebreak/common/yaml_guard.h"
#include "gdal_util.h"

namespace firebreak::gis {

namespace fs = std::filesystem;
using engine::LonLat;

// ---------------------------------------------------------------- config

namespace {

// The config's text and path: places in messages are "file:line:col" with character columns.
struct Src {
  std::string_view text;
  std::string path;
  operator const std::string&() const { return path; }  // NOLINT: where a message names the whole file
};

std::string At(const Src& src, const YAML::Node& n) { return guard::YamlWhere(src.text, src.path, n.Mark()); }

// Bounds on numbers that drive work (how far around the incident the facts look) or mean nothing beyond them.
constexpr double kMaxFeatureRadiusM = 5000.0;
constexpr double kMaxDistanceKm = 100.0;

// A number in [min, max] (min_open: (min, max]); the message names the limit.
double Bounded(const Src& path, const YAML::Node& n, const char* key, double min, bool min_open, double max,
               const char* unit) {
  double v = 0;
  try {
    if (!n.IsScalar()) throw YAML::Exception(n.Mark(), "not a scalar");
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    throw Error(
        ErrorKind::kInput, At(path, n),
        std::string(key) + ": expected a distance in " + unit + (n.IsScalar() ? ", got '" + n.Scalar() + "'" : ""),
        "see docs/layers-config.md");
  }
  const bool low = min_open ? !(v > min) : !(v >= min);
  if (low)
    throw Error(ErrorKind::kInput, At(path, n),
                std::string(key) + " must be " + (min_open ? "> " : ">= ") + std::to_string(static_cast<int>(min)) +
                    " " + unit + ", got " + n.Scalar());
  if (!(v <= max))
    throw Error(ErrorKind::kInput, At(path, n),
                std::string(key) + " must be at most " + std::to_string(static_cast<int>(max)) + " " + unit + ", got " +
                    n.Scalar(),
                "larger values read more map than a duty desk can wait for; see docs/layers-config.md");
  return v;
}

void CheckKeys(const Src& path, const YAML::Node& map, const std::vector<std::string>& allowed) {
  if (!map.IsMap()) throw Error(ErrorKind::kInput, At(path, map), "expected a mapping", "see docs/layers-config.md");
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::string near = ClosestMatch(key, allowed);
      throw Error(ErrorKind::kInput, At(path, kv.first),
                  "unknown key '" + key + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
                  "allowed keys: see docs/layers-config.md");
    }
  }
}

template <class T>
T Scalar(const Src& path, const YAML::Node& n, const char* what) {
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    throw Error(ErrorKind::kInput, At(path, n), std::string("expected ") + what, "see docs/layers-config.md");
  }
}

std::string ResolvePath(const std::string& cfg_path, const std::string& file) {
  fs::path p(file);
  if (p.is_absolute()) return p.string();
  return (fs::path(cfg_path).parent_path() / p).lexically_normal().string();
}

VectorLayerConfig ParseVector(const Src& path, const YAML::Node& n, const std::string& section, bool name_required) {
  CheckKeys(path, n, {"file", "layer", "name_field", "code_field", "type_field", "threat_km", "types"});
  VectorLayerConfig v;
  if (!n["file"])
    throw Error(ErrorKind::kInput, At(path, n), section + ": missing 'file'", "give the layer's file path");
  v.file = ResolvePath(path, Scalar<std::string>(path, n["file"], "a file path"));
  v.named_at = At(path, n["file"]);
  if (n["layer"]) v.layer = Scalar<std::string>(path, n["layer"], "a layer name");
  if (n["name_field"]) v.name_field = Scalar<std::string>(path, n["name_field"], "a field name");
  if (name_required && v.name_field.empty()) {
    throw Error(ErrorKind::kInput, At(path, n), section + ": missing 'name_field'",
                "name the attribute that holds each feature's name (ogrinfo -so FILE LAYER lists them)");
  }
  if (n["code_field"]) v.code_field = Scalar<std::string>(path, n["code_field"], "a field name");
  if (n["type_field"]) v.type_field = Scalar<std::string>(path, n["type_field"], "a field name");
  if (n["threat_km"]) v.threat_km = Bounded(path, n["threat_km"], "threat_km", 0, false, kMaxDistanceKm, "km");
  if (n["types"]) {
    const YAML::Node t = n["types"];
    if (!t.IsMap()) throw Error(ErrorKind::kInput, At(path, t), "types: expected a mapping value -> threat");
    for (const auto& kv : t) {
      const std::string threat = Scalar<std::string>(path, kv.second, "a threat name");
      if (!engine::ParseThreat(threat)) {
        std::vector<std::string> names;
        for (auto th : {engine::Threat::kResidential, engine::Threat::kKeyFacility, engine::Threat::kMilitary,
                        engine::Threat::kHazardousChemicals, engine::Threat::kOilGasPipeline, engine::Threat::kRailway,
                        engine::Threat::kNuclear, engine::Threat::kMajorHazard}) {
          names.emplace_back(engine::ThreatName(th));
        }
        const std::string near = ClosestMatch(threat, names);
        throw Error(ErrorKind::kInput, At(path, kv.second),
                    "unknown threat '" + threat + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
                    "threats: residential, key_facility, military, hazardous_chemicals, oil_gas_pipeline, railway, "
                    "nuclear, major_hazard");
      }
      v.types[kv.first.as<std::string>()] = threat;
    }
  }
  return v;
}

std::pair<int, int> ParseRange(const Src& path, const YAML::Node& n) {
  const std::string s = Scalar<std::string>(path, n, "a code or a range like 141-149");
  try {
    std::size_t pos = 0;
    const int a = std::stoi(s, &pos);
    if (pos == s.size()) return {a, a};
    if (s[pos] == '-') {
      std::size_t pos2 = 0;
      const int b = std::stoi(s.substr(pos + 1), &pos2);
      if (pos + 1 + pos2 == s.size() && b >= a) return {a, b};
    }
  } catch (const std::exception&) {
  }
  throw Error(ErrorKind::kInput, At(path, n), "bad fuel code '" + s + "'", "write a code (145) or a range (141-149)");
}

FuelConfig ParseFuel(const Src& path, const YAML::Node& n) {
  CheckKeys(path, n, {"file", "band", "system", "dangerous", "dangerous_fraction"});
  FuelConfig f;
  if (!n["file"]) throw Error(ErrorKind::kInput, At(path, n), "fuel: missing 'file'", "give the fuel raster path");
  f.file = ResolvePath(path, Scalar<std::string>(path, n["file"], "a file path"));
  f.named_at = At(path, n["file"]);
  if (n["band"]) {
    f.band = Scalar<int>(path, n["band"], "a band number (1-based)");
    if (f.band < 1) throw Error(ErrorKind::kInput, At(path, n["band"]), "band must be >= 1 (bands count from 1)");
  }
  if (n["system"]) f.system = Scalar<std::string>(path, n["system"], "text");
  if (n["dangerous_fraction"]) {
    f.dangerous_fraction = Scalar<double>(path, n["dangerous_fraction"], "a fraction 0..1");
    if (!(f.dangerous_fraction > 0 && f.dangerous_fraction <= 1)) {
      throw Error(ErrorKind::kInput, At(path, n["dangerous_fraction"]), "dangerous_fraction must be in (0, 1]");
    }
  }
  if (n["dangerous"]) {
    const YAML::Node d = n["dangerous"];
    static const std::vector<std::string> kCats{"shrub", "meadow", "young_conifer", "bamboo"};
    CheckKeys(path, d, kCats);
    for (const auto& kv : d) {
      auto& ranges = f.dangerous[kv.first.as<std::string>()];
      if (!kv.second.IsSequence()) {
        throw Error(ErrorKind::kInput, At(path, kv.second), "expected a list of codes", "e.g. [141-149, 121]");
      }
      for (const auto& item : kv.second) ranges.push_back(ParseRange(path, item));
    }
  }
  return f;
}

}  // namespace

LayersConfig LoadLayersConfig(const std::string& file) {
  if (!fs::exists(file)) {
    throw Error(ErrorKind::kNotFound, file, "layers config not found", "check the --layers path");
  }
  return ParseLayersConfig(guard::ReadFileBounded(file, ErrorKind::kInput, std::size_t{1} << 20), file);
}

LayersConfig ParseLayersConfig(const std::string& text, const std::string& file) {
  const Src path{text, file};
  // UTF-8, one document, no aliases, no duplicate keys, nesting <= 64 (yaml_guard.h).
  guard::YamlLimits limits;
  limits.max_bytes = std::size_t{1} << 20;
  const YAML::Node root = guard::LoadYaml(text, file, ErrorKind::kInput, limits);
  LayersConfig cfg;
  cfg.path = path;
  if (!root || root.IsNull()) return cfg;
  CheckKeys(
      path, root,
      {"counties", "city", "places", "sensitive_areas", "key_targets", "fuel", "county_near_km", "feature_radius_m"});
  if (root["counties"]) cfg.counties = ParseVector(path, root["counties"], "counties", true);
  if (root["city"]) cfg.city = ParseVector(path, root["city"], "city", false);
  if (root["places"]) cfg.places = ParseVector(path, root["places"], "places", true);
  if (root["sensitive_areas"])
    cfg.sensitive_areas = ParseVector(path, root["sensitive_areas"], "sensitive_areas", true);
  if (root["key_targets"]) {
    cfg.key_targets = ParseVector(path, root["key_targets"], "key_targets", true);
    if (cfg.key_targets->type_field.empty()) {
      throw Error(ErrorKind::kInput, At(path, root["key_targets"]), "key_targets: missing 'type_field'",
                  "name the attribute that says what each target is, and map its values under 'types'");
    }
  }
  if (root["fuel"]) cfg.fuel = ParseFuel(path, root["fuel"]);
  if (root["county_near_km"])
    cfg.county_near_km = Bounded(path, root["county_near_km"], "county_near_km", 0, false, kMaxDistanceKm, "km");
  if (root["feature_radius_m"])
    cfg.feature_radius_m =
        Bounded(path, root["feature_radius_m"], "feature_radius_m", 0, true, kMaxFeatureRadiusM, "m");
  return cfg;
}

// ---------------------------------------------------------------- layers

namespace {

struct Feature {
  std::unique_ptr<OGRGeometry> geom;  // WGS84, lon/lat
  OGREnvelope env;
  std::string name, code, type;
};

struct Vector {
  std::string section;
  VectorLayerConfig cfg;
  std::vector<Feature> features;
};

// A field's text; Error(kGis) naming the feature and field if it is not UTF-8 (it would go out in every output).
std::string FieldText(OGRFeature& f, int idx, const std::string& where) {
  if (idx < 0 || !f.IsFieldSetAndNotNull(idx)) return {};
  std::string text = f.GetFieldAsString(idx);
  std::string why;
  if (guard::FindBadText(text, &why) != std::string_view::npos)
    throw Error(ErrorKind::kGis, where + " field '" + f.GetFieldDefnRef(idx)->GetNameRef() + "'", why,
                "convert the layer to UTF-8 (ogr2ogr -lco ENCODING=UTF-8, or a .cpg file naming the shapefile's "
                "code page)");
  return text;
}

// GeoJSON layers up to 64 MiB are checked as JSON first (UTF-8, duplicate keys, nesting) at file:line:col.
guard::JsonLimits GeoJsonLimits() {
  guard::JsonLimits l;
  l.max_bytes = std::size_t{64} << 20;
  l.max_values = std::size_t{1} << 26;
  return l;
}

Vector LoadVector(const std::string& section, const VectorLayerConfig& cfg) {
  internal::EnsureGdal();
  internal::QuietGdal quiet;
  Vector v;
  v.section = section;
  v.cfg = cfg;
  if (!fs::exists(cfg.file)) {
    throw Error(ErrorKind::kGis, cfg.file, section + " layer file not found",
                "check 'file' in the layers config" + (cfg.named_at.empty() ? "" : " at " + cfg.named_at));
  }
  if (!fs::is_regular_file(cfg.file) && !fs::is_directory(cfg.file)) {
    throw Error(ErrorKind::kGis, cfg.file, section + " layer is not a regular file (a pipe or device)",
                "give the path of a vector file");
  }
  guard::CheckJsonFile(cfg.file, ErrorKind::kGis, GeoJsonLimits());
  internal::DatasetPtr ds(GDALDataset::Open(cfg.file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds)
    internal::ThrowGis(
        cfg.file, "cannot open as a vector layer",
        "give a file OGR reads (ogrinfo FILE)" + (cfg.named_at.empty() ? "" : "; named at " + cfg.named_at));
  OGRLayer* layer = cfg.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(cfg.layer.c_str());
  if (!layer) {
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names.emplace_back(ds->GetLayer(i)->GetName());
    const std::string near = ClosestMatch(cfg.layer, names);
    throw Error(ErrorKind::kGis, cfg.file,
                "no layer '" + cfg.layer + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
                "set 'layer' to one of the file's layers (ogrinfo FILE)");
  }
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  auto field = [&](const std::string& name, const char* key) -> int {
    if (name.empty()) return -1;
    const int idx = defn->GetFieldIndex(name.c_str());
    if (idx < 0) {
      std::vector<std::string> names;
      for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
      const std::string near = ClosestMatch(name, names);
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      throw Error(ErrorKind::kGis, cfg.file,
                  section + "." + key + ": layer has no field '" + name + "'" +
                      (near.empty() ? "" : " (did you mean '" + near + "'?)"),
                  "fields in this layer: " + list);
    }
    return idx;
  };
  const int name_idx = field(cfg.name_field, "name_field");
  const int code_idx = field(cfg.code_field, "code_field");
  const int type_idx = field(cfg.type_field, "type_field");
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  if (srs == nullptr) {
    throw Error(ErrorKind::kGis, cfg.file, section + " layer has no coordinate reference system",
                "assign one: ogr2ogr -a_srs EPSG:4326 out.gpkg " + cfg.file);
  }
  OGRSpatialReference src(*srs);
  src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference wgs = internal::Wgs84();
  std::unique_ptr<OGRCoordinateTransformation> ct;
  if (!src.IsSame(&wgs)) {
    ct.reset(OGRCreateCoordinateTransformation(&src, &wgs));
    if (!ct) internal::ThrowGis(cfg.file, "cannot reproject " + section + " layer to WGS84", "check the layer's CRS");
  }
  layer->ResetReading();
  int index = 0;
  for (auto& feat : *layer) {
    ++index;
    OGRGeometry* g = feat->GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) continue;  // features without geometry cannot be located
    Feature f;
    f.geom.reset(g->clone());
    if (ct && f.geom->transform(ct.get()) != OGRERR_NONE) {
      internal::ThrowGis(cfg.file, section + " feature " + std::to_string(index) + ": cannot reproject to WGS84");
    }
    f.geom->assignSpatialReference(nullptr);
    f.geom->getEnvelope(&f.env);
    const std::string fwhere = cfg.file + ": " + section + " feature " + std::to_string(index);
    f.name = FieldText(*feat, name_idx, fwhere);
    f.code = FieldText(*feat, code_idx, fwhere);
    f.type = FieldText(*feat, type_idx, fwhere);
    if (f.name.empty()) f.name = section + " #" + std::to_string(index);
    v.features.push_back(std::move(f));
  }
  return v;
}

// Local azimuthal equidistant frame around a point: distances in metres.
class LocalFrame {
 public:
  explicit LocalFrame(LonLat p) : p_(p) {
    internal::QuietGdal quiet;
    OGRSpatialReference wgs = internal::Wgs84();
    OGRSpatialReference aeqd;
    aeqd.SetWellKnownGeogCS("WGS84");
    aeqd.SetAE(p.lat, p.lon, 0, 0);
    aeqd.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    ct_.reset(OGRCreateCoordinateTransformation(&wgs, &aeqd));
    if (!ct_) internal::ThrowGis("layers", "cannot create a local projection", "check the PROJ installation");
  }
  // Metres from the point to `g` (0 inside a polygon); `boundary` measures to the polygon's edge instead.
  double Metres(const OGRGeometry& g, bool boundary = false) const {
    std::unique_ptr<OGRGeometry> local(g.clone());
    if (local->transform(ct_.get()) != OGRERR_NONE) return std::numeric_limits<double>::infinity();
    OGRPoint origin(0, 0);
    if (boundary) {
      std::unique_ptr<OGRGeometry> b(local->Boundary());
      if (!b) return std::numeric_limits<double>::infinity();
      return b->Distance(&origin);
    }
    return local->Distance(&origin);
  }
  // A cheap lower bound in km from the point to an envelope (for skipping far features).
  double EnvelopeKmLowerBound(const OGREnvelope& e) const {
    const double dlon = std::max({0.0, e.MinX - p_.lon, p_.lon - e.MaxX});
    const double dlat = std::max({0.0, e.MinY - p_.lat, p_.lat - e.MaxY});
    const double coslat =
        std::cos(std::max(std::abs(p_.lat), std::max(std::abs(e.MinY), std::abs(e.MaxY))) * std::numbers::pi / 180.0);
    return 0.99 * std::hypot(dlon * 111.0 * coslat, dlat * 110.5);
  }

 private:
  LonLat p_;
  std::unique_ptr<OGRCoordinateTransformation> ct_;
};

bool Contains(const Feature& f, LonLat p) {
  if (p.lon < f.env.MinX || p.lon > f.env.MaxX || p.lat < f.env.MinY || p.lat > f.env.MaxY) return false;
  OGRPoint pt(p.lon, p.lat);
  return f.geom->Contains(&pt);
}

NearFeature Near(const Vector& v, const Feature& f, double km) {
  return NearFeature{f.name, f.code, f.type, km, v.section};
}

std::vector<NearFeature> Within(const Vector& v, LonLat p, double km) {
  LocalFrame frame(p);
  std::vector<NearFeature> out;
  for (const Feature& f : v.features) {
    if (frame.EnvelopeKmLowerBound(f.env) > km) continue;
    const double d = Contains(f, p) ? 0.0 : frame.Metres(*f.geom) / 1000.0;
    if (d <= km) out.push_back(Near(v, f, d));
  }
  std::sort(out.begin(), out.end(), [](const NearFeature& a, const NearFeature& b) { return a.km < b.km; });
  return out;
}

}  // namespace

struct Layers::Impl {
  LayersConfig cfg;
  std::optional<Vector> counties, city, places, sensitive, targets;
  std::optional<Raster> fuel;
};

Layers::Layers() : impl_(std::make_unique<Impl>()) {}
Layers::Layers(Layers&&) noexcept = default;
Layers& Layers::operator=(Layers&&) noexcept = default;
Layers::~Layers() = default;

Layers Layers::Load(const LayersConfig& cfg) {
  Layers l;
  l.impl_->cfg = cfg;
  if (cfg.counties) l.impl_->counties = LoadVector("counties", *cfg.counties);
  if (cfg.city) l.impl_->city = LoadVector("city", *cfg.city);
  if (cfg.places) l.impl_->places = LoadVector("places", *cfg.places);
  if (cfg.sensitive_areas) l.impl_->sensitive = LoadVector("sensitive_areas", *cfg.sensitive_areas);
  if (cfg.key_targets) l.impl_->targets = LoadVector("key_targets", *cfg.key_targets);
  if (cfg.fuel) {
    try {
      l.impl_->fuel = Raster::Open(cfg.fuel->file, cfg.fuel->band);
    } catch (const Error& e) {
      // The raster's own message, and where the config names it.
      throw Error(e.kind(), e.where(), e.message(),
                  e.hint() + (cfg.fuel->named_at.empty() ? "" : "; named at " + cfg.fuel->named_at));
    }
  }
  return l;
}

const LayersConfig& Layers::config() const { return impl_->cfg; }

std::optional<NearFeature> Layers::CountyAt(LonLat p) const {
  if (!impl_->counties) return std::nullopt;
  for (const Feature& f : impl_->counties->features) {
    if (Contains(f, p)) return Near(*impl_->counties, f, 0.0);
  }
  return std::nullopt;
}

std::optional<NearFeature> Layers::NearestOtherCounty(LonLat p) const {
  if (!impl_->counties) return std::nullopt;
  const Feature* own = nullptr;
  for (const Feature& f : impl_->counties->features) {
    if (Contains(f, p)) {
      own = &f;
      break;
    }
  }
  if (!own) return std::nullopt;
  LocalFrame frame(p);
  std::optional<NearFeature> best;
  for (const Feature& f : impl_->counties->features) {
    if (&f == own || (!own->code.empty() && f.code == own->code) || (own->code.empty() && f.name == own->name))
      continue;
    if (best && frame.EnvelopeKmLowerBound(f.env) > best->km) continue;
    const double km = frame.Metres(*f.geom) / 1000.0;
    if (!best || km < best->km) best = Near(*impl_->counties, f, km);
  }
  return best;
}

std::optional<double> Layers::KmToCityBoundary(LonLat p) const {
  if (!impl_->city || impl_->city->features.empty()) return std::nullopt;
  LocalFrame frame(p);
  double best = std::numeric_limits<double>::infinity();
  for (const Feature& f : impl_->city->features) best = std::min(best, frame.Metres(*f.geom, true) / 1000.0);
  if (!std::isfinite(best)) return std::nullopt;
  return best;
}

std::optional<bool> Layers::InsideCity(LonLat p) const {
  if (!impl_->city || impl_->city->features.empty()) return std::nullopt;
  for (const Feature& f : impl_->city->features) {
    if (Contains(f, p)) return true;
  }
  return false;
}

std::optional<std::vector<NearFeature>> Layers::PlacesNear(LonLat p) const {
  if (!impl_->places) return std::nullopt;
  return Within(*impl_->places, p, impl_->places->cfg.threat_km);
}

std::optional<std::vector<NearFeature>> Layers::TargetsNear(LonLat p) const {
  if (!impl_->targets) return std::nullopt;
  return Within(*impl_->targets, p, impl_->targets->cfg.threat_km);
}

std::optional<std::vector<NearFeature>> Layers::SensitiveAreasAt(LonLat p) const {
  if (!impl_->sensitive) return std::nullopt;
  std::vector<NearFeature> out;
  for (const Feature& f : impl_->sensitive->features) {
    if (Contains(f, p)) out.push_back(Near(*impl_->sensitive, f, 0.0));
  }
  return out;
}

const Raster* Layers::fuel() const { return impl_->fuel ? &*impl_->fuel : nullptr; }

std::optional<std::string> Layers::DangerousCategory(int code) const {
  if (!impl_->cfg.fuel) return std::nullopt;
  for (const auto& [cat, ranges] : impl_->cfg.fuel->dangerous) {
    for (const auto& [a, b] : ranges) {
      if (code >= a && code <= b) return cat;
    }
  }
  return std::nullopt;
}

}  // namespace firebreak::gis
