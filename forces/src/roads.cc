// Road graphs: YAML speed config, snapping of vertices into nodes, OGR line layers in any CRS.
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <unordered_map>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <yaml-cpp/yaml.h>

#include "firebreak/common/error.h"
#include "firebreak/common/json_guard.h"
#include "firebreak/common/yaml_guard.h"
#include "firebreak/forces/travel.h"

namespace firebreak::forces {

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

// A uniform bucket grid over lon/lat, bucket side ~`side_m` metres at latitude lat0 (equirectangular).
struct BucketIndex {
  double kx = 1, ky = 1;  // buckets per degree
  std::unordered_map<std::uint64_t, std::vector<NodeId>> cells;

  void Init(double lat0, double side_m) {
    ky = 111320.0 / side_m;
    kx = 111320.0 * std::max(0.01, std::cos(lat0 * kDeg)) / side_m;
  }
  static std::uint64_t Key(std::int64_t x, std::int64_t y) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(x)) << 32) | static_cast<std::uint32_t>(y);
  }
  std::pair<std::int64_t, std::int64_t> Cell(LonLat p) const {
    return {static_cast<std::int64_t>(std::floor(p.lon * kx)), static_cast<std::int64_t>(std::floor(p.lat * ky))};
  }
  void Add(LonLat p, NodeId n) {
    auto [x, y] = Cell(p);
    cells[Key(x, y)].push_back(n);
  }
};

bool ValidLonLat(LonLat p) {
  return std::isfinite(p.lon) && std::isfinite(p.lat) && p.lon >= -180 && p.lon <= 180 && p.lat >= -90 && p.lat <= 90;
}

}  // namespace

// Upper bounds of a road config (each drives work or travel times): snap distance and speeds.
constexpr double kMaxSnapM = 1000.0;
constexpr double kMaxSpeedKmh = 300.0;

RoadConfig ParseRoadConfig(const std::string& yaml_text, const std::string& name) {
  // Bounded, UTF-8, one document, no aliases, no duplicate keys, nesting <= 64 (yaml_guard.h).
  const YAML::Node root = guard::LoadYaml(yaml_text, name, ErrorKind::kInput);
  auto where = [&](const YAML::Node& n) { return guard::YamlWhere(yaml_text, name, n.Mark()); };
  if (!root.IsMap()) throw Error(ErrorKind::kInput, name, "road config must be a mapping", "see docs/forces.md");
  RoadConfig cfg;
  const std::vector<std::string> keys = {"class_field", "speeds_kmh", "default_kmh", "snap_m", "layer"};
  for (const auto& kv : root) {
    const std::string k = kv.first.Scalar();
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      const std::string close = ClosestMatch(k, keys);
      throw Error(ErrorKind::kInput, where(kv.first), "unknown key '" + k + "'",
                  close.empty() ? "allowed: class_field, speeds_kmh, default_kmh, snap_m, layer"
                                : "did you mean '" + close + "'?");
    }
  }
  // A number in (0, max]; `unit` names it in messages.
  auto number = [&](const YAML::Node& n, const std::string& what, double max, const char* unit) {
    double v = 0;
    try {
      if (!n.IsScalar()) throw YAML::Exception(n.Mark(), "not a scalar");
      v = n.as<double>();
    } catch (const YAML::Exception&) {
      throw Error(ErrorKind::kInput, where(n), what + " must be a number");
    }
    if (!(v > 0) || !std::isfinite(v)) throw Error(ErrorKind::kInput, where(n), what + " must be > 0");
    if (v > max)
      throw Error(
          ErrorKind::kInput, where(n),
          what + " must be at most " + std::to_string(static_cast<int>(max)) + " " + unit + ", got " + n.Scalar(),
          "see docs/forces.md for the road config");
    return v;
  };
  auto text = [&](const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) throw Error(ErrorKind::kInput, where(n), what + " must be a string");
    return n.Scalar();
  };
  if (root["class_field"]) {
    cfg.class_field = text(root["class_field"], "class_field");
    cfg.class_field_at = where(root["class_field"]);
  }
  if (root["layer"]) {
    cfg.layer = text(root["layer"], "layer");
    cfg.layer_at = where(root["layer"]);
  }
  if (root["snap_m"]) cfg.snap = Metres(number(root["snap_m"], "snap_m", kMaxSnapM, "m"));
  if (root["default_kmh"] && !root["default_kmh"].IsNull())
    cfg.default_kmh = number(root["default_kmh"], "default_kmh", kMaxSpeedKmh, "km/h");
  const YAML::Node sp = root["speeds_kmh"];
  if (!sp || !sp.IsMap() || sp.size() == 0)
    throw Error(ErrorKind::kInput, sp ? where(sp) : name, "speeds_kmh: a mapping class -> km/h is required",
                "e.g. speeds_kmh: {primary: 60, secondary: 40, track: 15}");
  for (const auto& kv : sp)
    cfg.speed_kmh[kv.first.Scalar()] = number(kv.second, "speed of '" + kv.first.Scalar() + "'", kMaxSpeedKmh, "km/h");
  return cfg;
}

RoadConfig LoadRoadConfig(const std::string& path) {
  if (!std::ifstream(path))
    throw Error(ErrorKind::kNotFound, path, "cannot open road config", "check the --roads-config path");
  return ParseRoadConfig(guard::ReadFileBounded(path, ErrorKind::kInput), path);
}

struct RoadNetwork::Impl {
  std::vector<LonLat> pos;
  std::vector<RoadProblem> problems;
  std::string source;
  BucketIndex index;  // nodes by bucket of side `bucket_m`
  double bucket_m = 1000;
  std::optional<TravelGraph> graph;
};

RoadNetwork::RoadNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RoadNetwork::RoadNetwork(RoadNetwork&&) noexcept = default;
RoadNetwork& RoadNetwork::operator=(RoadNetwork&&) noexcept = default;
RoadNetwork::~RoadNetwork() = default;

const TravelGraph& RoadNetwork::graph() const { return *impl_->graph; }
std::size_t RoadNetwork::node_count() const { return impl_->pos.size(); }
LonLat RoadNetwork::NodePosition(NodeId n) const { return impl_->pos.at(n); }
const std::vector<RoadProblem>& RoadNetwork::problems() const { return impl_->problems; }
const std::string& RoadNetwork::source() const { return impl_->source; }

std::optional<NodeId> RoadNetwork::Nearest(LonLat p, Metres max_distance) const {
  const Impl& m = *impl_;
  if (m.pos.empty() || !ValidLonLat(p)) return std::nullopt;
  auto [x0, y0] = m.index.Cell(p);
  // Rings of buckets outwards until a ring's inner distance exceeds the best found or max_distance.
  const std::int64_t max_ring = static_cast<std::int64_t>(std::ceil(max_distance.value() / m.bucket_m)) + 1;
  std::optional<NodeId> best;
  double best_d = max_distance.value();
  for (std::int64_t ring = 0; ring <= max_ring; ++ring) {
    if (best && (ring - 1) * m.bucket_m * 0.5 > best_d) break;  // conservative (cos(lat) stretch)
    for (std::int64_t dx = -ring; dx <= ring; ++dx) {
      for (std::int64_t dy = -ring; dy <= ring; ++dy) {
        if (std::max(std::llabs(dx), std::llabs(dy)) != ring) continue;
        auto it = m.index.cells.find(BucketIndex::Key(x0 + dx, y0 + dy));
        if (it == m.index.cells.end()) continue;
        for (NodeId n : it->second) {
          const double d = GreatCircle(p, m.pos[n]).value();
          if (d <= best_d) {
            best_d = d;
            best = n;
          }
        }
      }
    }
  }
  return best;
}

RoadNetwork RoadNetwork::FromLines(const std::vector<RoadLine>& lines, const RoadConfig& cfg) {
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  double lat0 = 0;
  for (const RoadLine& l : lines)
    if (!l.points.empty() && ValidLonLat(l.points.front())) {
      lat0 = l.points.front().lat;
      break;
    }
  // Snapping index: buckets of side snap; a vertex joins an existing node within `snap` in the 3x3 buckets.
  const double snap = std::max(0.01, cfg.snap.value());
  BucketIndex snap_index;
  snap_index.Init(lat0, snap);
  auto node_for = [&](LonLat p) -> NodeId {
    auto [x, y] = snap_index.Cell(p);
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        auto it = snap_index.cells.find(BucketIndex::Key(x + dx, y + dy));
        if (it == snap_index.cells.end()) continue;
        for (NodeId n : it->second)
          if (GreatCircle(p, m.pos[n]).value() <= snap) return n;
      }
    const NodeId n = static_cast<NodeId>(m.pos.size());
    m.pos.push_back(p);
    snap_index.Add(p, n);
    return n;
  };

  std::vector<TravelGraph::Edge> edges;
  for (const RoadLine& l : lines) {
    std::optional<double> kmh;
    if (auto it = cfg.speed_kmh.find(l.road_class); it != cfg.speed_kmh.end())
      kmh = it->second;
    else
      kmh = cfg.default_kmh;
    if (!kmh) {
      m.problems.push_back(
          {l.where, "road class '" + l.road_class + "' has no speed in the config (and no default_kmh): skipped"});
      continue;
    }
    if (l.points.size() < 2) {
      m.problems.push_back({l.where, "line with fewer than 2 points: skipped"});
      continue;
    }
    bool ok = true;
    for (const LonLat& p : l.points) ok = ok && ValidLonLat(p);
    if (!ok) {
      m.problems.push_back({l.where, "non-finite or out-of-range coordinates: skipped"});
      continue;
    }
    const double v = *kmh / 3.6;
    NodeId prev = node_for(l.points[0]);
    std::size_t used = 0;
    for (std::size_t i = 1; i < l.points.size(); ++i) {
      const NodeId cur = node_for(l.points[i]);
      if (cur == prev) continue;
      const Seconds t(GreatCircle(m.pos[prev], m.pos[cur]).value() / v);
      edges.push_back({prev, cur, t});
      edges.push_back({cur, prev, t});
      prev = cur;
      ++used;
    }
    if (used == 0) m.problems.push_back({l.where, "zero-length line (all points within snap distance): skipped"});
  }
  m.bucket_m = 1000;
  m.index.Init(lat0, m.bucket_m);
  for (NodeId n = 0; n < m.pos.size(); ++n) m.index.Add(m.pos[n], n);
  m.graph.emplace(m.pos.size(), std::move(edges));
  return RoadNetwork(std::move(impl));
}

namespace {

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};

void AppendLine(const OGRLineString& ls, OGRCoordinateTransformation* ct, std::vector<LonLat>& out) {
  for (int i = 0; i < ls.getNumPoints(); ++i) {
    double x = ls.getX(i), y = ls.getY(i);
    if (ct && !ct->Transform(1, &x, &y)) {
      out.push_back({std::nan(""), std::nan("")});
      continue;
    }
    out.push_back({x, y});
  }
}

}  // namespace

RoadNetwork RoadNetwork::Load(const std::string& path, const RoadConfig& cfg) {
  // A GeoJSON road layer up to 256 MiB is checked as JSON first (UTF-8, duplicate keys, nesting; file:line:col).
  guard::JsonLimits json_limits;
  json_limits.max_bytes = std::size_t{256} << 20;
  json_limits.max_values = std::size_t{1} << 28;
  guard::CheckJsonFile(path, ErrorKind::kGis, json_limits);
  GDALAllRegister();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  std::unique_ptr<GDALDataset, DatasetCloser> ds(static_cast<GDALDataset*>(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  CPLPopErrorHandler();
  if (!ds) throw Error(ErrorKind::kGis, path, "cannot open as a vector layer", "check the --roads path and format");
  OGRLayer* layer =
      cfg.layer.empty() ? (ds->GetLayerCount() > 0 ? ds->GetLayer(0) : nullptr) : ds->GetLayerByName(cfg.layer.c_str());
  if (!layer) {
    std::vector<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names.push_back(ds->GetLayer(i)->GetName());
    const std::string close = ClosestMatch(cfg.layer, names);
    // The place is the config's `layer:` line when it set one (the road file is named in the message).
    throw Error(ErrorKind::kGis, cfg.layer_at.empty() ? path : cfg.layer_at,
                "layer '" + cfg.layer + "' not found in " + path,
                close.empty() ? "set `layer:` in the road config" : "did you mean '" + close + "'?");
  }
  const int field = layer->GetLayerDefn()->GetFieldIndex(cfg.class_field.c_str());
  if (field < 0) {
    std::vector<std::string> names;
    for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i)
      names.push_back(layer->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
    const std::string close = ClosestMatch(cfg.class_field, names);
    // The place is the config's `class_field:` value when it set one (the road file is named in the message).
    throw Error(ErrorKind::kInput, cfg.class_field_at.empty() ? path : cfg.class_field_at,
                "road layer " + path + " has no field '" + cfg.class_field + "'",
                close.empty() ? "set `class_field:` in the road config" : "did you mean '" + close + "'?");
  }
  std::unique_ptr<OGRCoordinateTransformation> ct;
  if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
    OGRSpatialReference wgs;
    wgs.SetWellKnownGeogCS("WGS84");
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference src(*srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!src.IsSame(&wgs)) {
      ct.reset(OGRCreateCoordinateTransformation(&src, &wgs));
      if (!ct) throw Error(ErrorKind::kGis, path, "cannot transform the road layer's CRS to WGS84");
    }
  }
  std::vector<RoadLine> lines;
  std::vector<RoadProblem> problems;
  const std::string lname = layer->GetName();
  layer->ResetReading();
  while (OGRFeature* raw = layer->GetNextFeature()) {
    std::unique_ptr<OGRFeature> f(raw);
    const std::string where = path + ":" + lname + ":fid " + std::to_string(f->GetFID());
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) {
      problems.push_back({where, "no geometry: skipped"});
      continue;
    }
    const std::string cls = f->IsFieldSetAndNotNull(field) ? f->GetFieldAsString(field) : "";
    std::string why;
    if (guard::FindBadText(cls, &why) != std::string_view::npos)
      throw Error(ErrorKind::kGis, where + " field '" + cfg.class_field + "'", why,
                  "convert the layer to UTF-8 (ogr2ogr -lco ENCODING=UTF-8)");
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbLineString) {
      RoadLine l{cls, {}, where};
      AppendLine(*g->toLineString(), ct.get(), l.points);
      lines.push_back(std::move(l));
    } else if (type == wkbMultiLineString) {
      int part = 0;
      for (const OGRLineString* ls : *g->toMultiLineString()) {
        RoadLine l{cls, {}, where + " part " + std::to_string(part++)};
        AppendLine(*ls, ct.get(), l.points);
        lines.push_back(std::move(l));
      }
    } else {
      problems.push_back(
          {where, std::string("geometry is ") + OGRGeometryTypeToName(g->getGeometryType()) + ", not a line: skipped"});
    }
  }
  RoadNetwork net = FromLines(lines, cfg);
  problems.insert(problems.end(), net.impl_->problems.begin(), net.impl_->problems.end());
  net.impl_->problems = std::move(problems);
  net.impl_->source = path;
  return net;
}

}  // namespace firebreak::forces
