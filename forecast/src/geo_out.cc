// GeoJSON (WGS84, RFC 7946) and GeoTIFF outputs, and the all-or-nothing file writer.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/forecast/output.h"
#include "gdal_io.h"
#include "render_util.h"

namespace firebreak::forecast {

namespace {

using nlohmann::ordered_json;

double Round7(double v) { return std::round(v * 1e7) / 1e7; }

// A ring in WGS84 with RFC 7946 winding: exterior counter-clockwise, holes clockwise.
ordered_json Ring(const gis::Grid& frame, const std::vector<std::pair<double, double>>& pts, bool exterior) {
  std::vector<engine::LonLat> ll;
  ll.reserve(pts.size());
  for (const auto& [x, y] : pts) ll.push_back(frame.CrsToWgs84({x, y}));
  double area2 = 0;
  for (std::size_t i = 0; i + 1 < ll.size(); ++i) area2 += ll[i].lon * ll[i + 1].lat - ll[i + 1].lon * ll[i].lat;
  if ((area2 > 0) != exterior) std::reverse(ll.begin(), ll.end());
  ordered_json ring = ordered_json::array();
  for (const auto& p : ll) ring.push_back({Round7(p.lon), Round7(p.lat)});
  return ring;
}

ordered_json Feature(ordered_json geometry, ordered_json properties) {
  return {{"type", "Feature"}, {"properties", std::move(properties)}, {"geometry", std::move(geometry)}};
}

ordered_json Point(engine::LonLat p) { return {{"type", "Point"}, {"coordinates", {Round7(p.lon), Round7(p.lat)}}}; }

}  // namespace

std::string ForecastGeoJson(const ForecastResult& r, const engine::RuleSet& rules) {
  (void)rules;
  ordered_json fc;
  fc["type"] = "FeatureCollection";
  fc["name"] = "firebreak forecast " + r.incident_id + " (projection)";
  ordered_json features = ordered_json::array();
  for (const Isochrone& iso : r.isochrones) {
    ordered_json polys = ordered_json::array();
    for (const auto& poly : iso.polygons) {
      ordered_json rings = ordered_json::array();
      for (std::size_t k = 0; k < poly.size(); ++k) rings.push_back(Ring(r.frame, poly[k], k == 0));
      polys.push_back(rings);
    }
    ordered_json props = {
        {"kind", "isochrone"},    {"hours", iso.hours},           {"at", internal::AtJson(iso.hours, r.reported_at)},
        {"area_ha", iso.area_ha}, {"incident_id", r.incident_id}, {"projection", true}};
    features.push_back(Feature({{"type", "MultiPolygon"}, {"coordinates", polys}}, props));
  }
  for (const PlaceResult& p : r.places) {
    if (p.threat_hours == kNever && !(p.threat_spread && p.threat_spread->probability > 0)) continue;
    ordered_json props = {
        {"kind", p.layer == "places" ? "place" : "key_target"},
        {"name", p.name},
        {"type", p.type},
        {"threat_km", p.threat_km},
        {"threat_hours", internal::HoursJson(p.threat_hours)},
        {"reach_hours", internal::HoursJson(p.reach_hours)},
        {"threat_probability", p.threat_spread ? ordered_json(p.threat_spread->probability) : ordered_json(nullptr)},
        {"projection", true}};
    features.push_back(Feature(Point(p.at), props));
  }
  features.push_back(
      Feature(Point(r.ignition),
              {{"kind", "ignition"}, {"ignition", r.ignition_kind}, {"reported_at", FormatIso8601(r.reported_at)}}));
  fc["features"] = features;
  return fc.dump();
}

namespace {

void WriteTiff(const ForecastResult& r, const std::string& path) {
  internal::EnsureGdal();
  internal::QuietGdal quiet;
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  const int bands = r.burn_probability.empty() ? 1 : 2;
  char** opts = CSLSetNameValue(nullptr, "COMPRESS", "DEFLATE");
  opts = CSLSetNameValue(opts, "TILED", "YES");
  internal::DatasetPtr ds(drv->Create(path.c_str(), r.frame.cols, r.frame.rows, bands, GDT_Float32, opts));
  CSLDestroy(opts);
  if (!ds) throw Error(ErrorKind::kInput, path, "cannot create the GeoTIFF: " + internal::LastGdalError("?"));
  double gt[6];
  for (int i = 0; i < 6; ++i) gt[i] = r.frame.gt[static_cast<std::size_t>(i)];
  ds->SetGeoTransform(gt);
  ds->SetProjection(r.frame.wkt.c_str());
  ds->SetMetadataItem("FIREBREAK_INCIDENT", r.incident_id.c_str());
  ds->SetMetadataItem("FIREBREAK_REPORTED_AT", FormatIso8601(r.reported_at).c_str());
  ds->SetMetadataItem("FIREBREAK_PROJECTION", "true: a projection, not a requirement of the plan");
  constexpr float kNodata = -9999.0f;
  std::vector<float> buf(r.arrival_hours.size());
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = std::isnan(r.arrival_hours[i]) ? kNodata : r.arrival_hours[i];
  GDALRasterBand* b1 = ds->GetRasterBand(1);
  b1->SetDescription("arrival_hours_after_report");
  b1->SetNoDataValue(kNodata);
  b1->SetMetadataItem("UNITS", "hours after reported_at (negative: burned before the report)");
  CPLErr err = b1->RasterIO(GF_Write, 0, 0, r.frame.cols, r.frame.rows, buf.data(), r.frame.cols, r.frame.rows,
                            GDT_Float32, 0, 0);
  if (bands == 2 && err == CE_None) {
    GDALRasterBand* b2 = ds->GetRasterBand(2);
    b2->SetDescription("burn_probability");
    b2->SetMetadataItem("UNITS", "share of ensemble members burning the cell within the horizon");
    std::vector<float> p = r.burn_probability;
    err = b2->RasterIO(GF_Write, 0, 0, r.frame.cols, r.frame.rows, p.data(), r.frame.cols, r.frame.rows, GDT_Float32, 0,
                       0);
  }
  if (err != CE_None) throw Error(ErrorKind::kInput, path, "cannot write the GeoTIFF: " + internal::LastGdalError("?"));
  ds->FlushCache();
  ds.reset();  // GDALClose writes the rest
  if (CPLGetLastErrorType() == CE_Failure) {
    throw Error(ErrorKind::kInput, path, "cannot write the GeoTIFF: " + internal::LastGdalError("?"));
  }
}

void WriteText(const std::string& text, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw Error(ErrorKind::kInput, path, "cannot write", "check that the directory exists and is writable");
}

}  // namespace

void WriteOutputs(const ForecastResult& r, const engine::RuleSet& rules, const OutputFiles& files) {
  std::vector<std::pair<std::string, std::string>> written;  // temp, final
  auto cleanup = [&] {
    std::error_code ec;
    for (const auto& [tmp, path] : written) std::filesystem::remove(tmp, ec);
  };
  try {
    if (!files.geojson.empty()) {
      written.emplace_back(internal::TempPathFor(files.geojson), files.geojson);
      WriteText(ForecastGeoJson(r, rules) + "\n", written.back().first);
    }
    if (!files.html.empty()) {
      written.emplace_back(internal::TempPathFor(files.html), files.html);
      WriteText(ForecastHtml(r, rules, files.zh), written.back().first);
    }
    if (!files.tif.empty()) {
      written.emplace_back(internal::TempPathFor(files.tif), files.tif);
      WriteTiff(r, written.back().first);
    }
  } catch (const Error& e) {
    cleanup();
    // Name the file the user asked for, not the temporary.
    for (const auto& [tmp, path] : written) {
      if (e.where() == tmp) throw Error(e.kind(), path, e.message(), e.hint());
    }
    throw;
  }
  for (std::size_t k = 0; k < written.size(); ++k) {
    try {
      internal::CommitFile(written[k].first, written[k].second);
    } catch (...) {
      for (std::size_t j = k + 1; j < written.size(); ++j) std::filesystem::remove(written[j].first);
      throw;
    }
  }
}

}  // namespace firebreak::forecast
