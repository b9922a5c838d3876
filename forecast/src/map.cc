#include "firebreak/forecast/map.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "edt.h"
#include "firebreak/common/error.h"
#include "firebreak/gis/layers.h"
#include "gdal_io.h"

namespace firebreak::forecast {

namespace {

using internal::Feature;

struct PixelBox {
  int r0 = 0, c0 = 0, rows = 0, cols = 0;
};

// The cells a geometry's envelope covers, grown by `margin` cells on every side (may extend beyond the grid).
PixelBox EnvelopeCells(const gis::Grid& frame, const OGRGeometry& g, int margin) {
  OGREnvelope e;
  g.getEnvelope(&e);
  const gis::CrsPoint a = frame.CrsToPixel({e.MinX, e.MinY}), b = frame.CrsToPixel({e.MaxX, e.MaxY});
  const int c0 = static_cast<int>(std::floor(std::min(a.x, b.x))) - margin;
  const int c1 = static_cast<int>(std::floor(std::max(a.x, b.x))) + margin;
  const int r0 = static_cast<int>(std::floor(std::min(a.y, b.y))) - margin;
  const int r1 = static_cast<int>(std::floor(std::max(a.y, b.y))) + margin;
  return {r0, c0, r1 - r0 + 1, c1 - c0 + 1};
}

bool Overlaps(const PixelBox& b, int rows, int cols) {
  return b.r0 < rows && b.c0 < cols && b.r0 + b.rows > 0 && b.c0 + b.cols > 0;
}

// Cells a feature covers and the cells within `km` of it, through a window around it.
void Zone(const gis::Grid& frame, OGRGeometry& geom, double km, PlaceOnGrid& out) {
  const double cell = std::min(frame.cell_x_m, frame.cell_y_m);
  const int margin = static_cast<int>(std::ceil(km * 1000.0 / cell)) + 1;
  const PixelBox box = EnvelopeCells(frame, geom, margin);
  if (!Overlaps(box, frame.rows, frame.cols)) return;
  if (static_cast<double>(box.rows) * box.cols > 64e6) {
    throw Error(ErrorKind::kGis, out.layer + ": " + out.name,
                "feature is too large to rasterise on the landscape grid");
  }
  internal::DatasetPtr ds = internal::MemWindow(frame, box.r0, box.c0, box.rows, box.cols, GDT_Byte);
  internal::Burn(*ds, {&geom}, 1, true, out.layer + ": " + out.name);
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(box.rows) * box.cols);
  internal::ReadBand1(*ds, mask.data(), GDT_Byte, out.layer);
  const std::vector<float> d2 = internal::SquaredDistance(box.rows, box.cols, mask, frame.cell_x_m, frame.cell_y_m);
  const double limit2 = km * 1000.0 * km * 1000.0;
  for (int r = std::max(0, box.r0); r < std::min(frame.rows, box.r0 + box.rows); ++r) {
    for (int c = std::max(0, box.c0); c < std::min(frame.cols, box.c0 + box.cols); ++c) {
      const std::size_t w = static_cast<std::size_t>(r - box.r0) * box.cols + (c - box.c0);
      const int i = r * frame.cols + c;
      if (mask[w]) out.cells.push_back(i);
      if (d2[w] <= limit2) out.zone.push_back(i);
    }
  }
}

engine::LonLat Representative(const gis::Grid& frame, const OGRGeometry& g) {
  OGRPoint p;
  if (g.Centroid(&p) != OGRERR_NONE) {
    OGREnvelope e;
    g.getEnvelope(&e);
    p.setX((e.MinX + e.MaxX) / 2);
    p.setY((e.MinY + e.MaxY) / 2);
  }
  return frame.CrsToWgs84({p.getX(), p.getY()});
}

void AddPlaces(const gis::Grid& frame, const gis::VectorLayerConfig& cfg, const std::string& layer,
               const OGRSpatialReference& srs, MapOnGrid& map) {
  std::vector<std::string> fields{cfg.name_field};
  if (!cfg.type_field.empty()) fields.push_back(cfg.type_field);
  std::vector<Feature> features = internal::ReadFeatures(cfg.file, cfg.layer, fields, srs, layer + " layer");
  for (Feature& f : features) {
    PlaceOnGrid p;
    p.name = f.values[0];
    p.layer = layer;
    p.threat_km = cfg.threat_km;
    if (layer == "places") {
      p.type = "place";
      p.threat = "residential";
    } else {
      p.type = f.values.size() > 1 ? f.values[1] : "";
      const auto it = cfg.types.find(p.type);
      p.threat = it != cfg.types.end() ? it->second : "key_facility";
    }
    Zone(frame, *f.geometry, cfg.threat_km, p);
    if (p.zone.empty()) continue;
    p.at = Representative(frame, *f.geometry);
    map.places.push_back(std::move(p));
  }
  map.sources.push_back(cfg.file);
}

void AddCounties(const gis::Grid& frame, const gis::VectorLayerConfig& cfg, const OGRSpatialReference& srs,
                 MapOnGrid& map) {
  std::vector<Feature> features = internal::ReadFeatures(cfg.file, cfg.layer, {cfg.name_field}, srs, "counties layer");
  internal::DatasetPtr ds = internal::MemWindow(frame, 0, 0, frame.rows, frame.cols, GDT_UInt16);
  for (std::size_t k = 0; k < features.size() && k < 65000; ++k) {
    map.county_names.push_back(features[k].values[0]);
    internal::Burn(*ds, {features[k].geometry.get()}, static_cast<double>(k + 1), false, cfg.file);
  }
  map.county.resize(static_cast<std::size_t>(frame.rows) * frame.cols);
  internal::ReadBand1(*ds, map.county.data(), GDT_UInt16, cfg.file);
  map.sources.push_back(cfg.file);
}

// Inside mask on the grid; distance to the outline's boundary through a grid grown by the distance limit.
void AddCity(const gis::Grid& frame, const gis::VectorLayerConfig& cfg, const OGRSpatialReference& srs, double limit_km,
             MapOnGrid& map) {
  std::vector<std::string> fields;
  if (!cfg.name_field.empty()) fields.push_back(cfg.name_field);
  std::vector<Feature> features = internal::ReadFeatures(cfg.file, cfg.layer, fields, srs, "city layer");
  if (features.empty()) return;
  if (!fields.empty()) map.city_name = features[0].values[0];
  std::vector<OGRGeometry*> polys;
  std::vector<internal::GeometryPtr> rings;
  for (Feature& f : features) {
    polys.push_back(f.geometry.get());
    rings.emplace_back(f.geometry->Boundary());
  }
  const std::size_t n = static_cast<std::size_t>(frame.rows) * frame.cols;
  internal::DatasetPtr in = internal::MemWindow(frame, 0, 0, frame.rows, frame.cols, GDT_Byte);
  internal::Burn(*in, polys, 1, false, cfg.file);
  map.inside_city.resize(n);
  internal::ReadBand1(*in, map.inside_city.data(), GDT_Byte, cfg.file);
  const double cell = std::min(frame.cell_x_m, frame.cell_y_m);
  const int m = static_cast<int>(std::ceil(limit_km * 1000.0 / cell)) + 1;
  const int rows = frame.rows + 2 * m, cols = frame.cols + 2 * m;
  internal::DatasetPtr edge = internal::MemWindow(frame, -m, -m, rows, cols, GDT_Byte);
  std::vector<OGRGeometry*> ring_ptrs;
  for (auto& r : rings) {
    if (r) ring_ptrs.push_back(r.get());
  }
  internal::Burn(*edge, ring_ptrs, 1, true, cfg.file);
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(rows) * cols);
  internal::ReadBand1(*edge, mask.data(), GDT_Byte, cfg.file);
  const std::vector<float> d2 = internal::SquaredDistance(rows, cols, mask, frame.cell_x_m, frame.cell_y_m);
  map.km_to_city_boundary.assign(n, NAN);
  map.city_km_limit = limit_km;
  for (int r = 0; r < frame.rows; ++r) {
    for (int c = 0; c < frame.cols; ++c) {
      const double km = std::sqrt(d2[static_cast<std::size_t>(r + m) * cols + (c + m)]) / 1000.0;
      if (km <= limit_km)
        map.km_to_city_boundary[static_cast<std::size_t>(r) * frame.cols + c] = static_cast<float>(km);
    }
  }
  map.sources.push_back(cfg.file);
}

void AddBarriers(const gis::Grid& frame, const std::vector<std::string>& files, const OGRSpatialReference& srs,
                 MapOnGrid& map) {
  const std::size_t n = static_cast<std::size_t>(frame.rows) * frame.cols;
  map.barrier.assign(n, 0);
  if (files.empty()) return;
  internal::DatasetPtr ds = internal::MemWindow(frame, 0, 0, frame.rows, frame.cols, GDT_Byte);
  for (const std::string& file : files) {
    if (!std::filesystem::exists(file)) {
      throw Error(ErrorKind::kNotFound, file, "barrier file not found", "give a GeoJSON of control lines or roads");
    }
    std::vector<Feature> features = internal::ReadFeatures(file, "", {}, srs, "barrier file");
    std::vector<OGRGeometry*> geoms;
    for (Feature& f : features) geoms.push_back(f.geometry.get());
    internal::Burn(*ds, geoms, 1, true, file);
    map.sources.push_back(file);
  }
  internal::ReadBand1(*ds, map.barrier.data(), GDT_Byte, "barrier files");
  map.barrier_cells = static_cast<std::size_t>(std::count(map.barrier.begin(), map.barrier.end(), 1));
}

}  // namespace

MapOnGrid LoadMapOnGrid(const Landscape& land, const std::string& layers_config,
                        const std::vector<std::string>& barrier_files, double city_km_limit) {
  MapOnGrid map;
  map.barrier.assign(land.size(), 0);
  if (layers_config.empty() && barrier_files.empty()) return map;
  const OGRSpatialReference srs = internal::GridSrs(land.frame);
  AddBarriers(land.frame, barrier_files, srs, map);
  if (layers_config.empty()) return map;
  const gis::LayersConfig cfg = gis::LoadLayersConfig(layers_config);
  if (cfg.places) AddPlaces(land.frame, *cfg.places, "places", srs, map);
  if (cfg.key_targets) AddPlaces(land.frame, *cfg.key_targets, "key_targets", srs, map);
  if (cfg.counties) AddCounties(land.frame, *cfg.counties, srs, map);
  if (cfg.city) AddCity(land.frame, *cfg.city, srs, city_km_limit, map);
  return map;
}

}  // namespace firebreak::forecast
