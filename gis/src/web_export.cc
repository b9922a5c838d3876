// Layers as GeoJSON and the DEM's hillshade as a PNG, for the web desk's map (web_export.h).
#include "firebreak/gis/web_export.h"

#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <atomic>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "gdal_util.h"

namespace firebreak::gis {

namespace {

using json = nlohmann::json;

json LayerCollection(const std::string& section, const VectorLayerConfig& cfg, std::size_t max_features) {
  internal::EnsureGdal();
  internal::QuietGdal quiet;
  internal::DatasetPtr ds(GDALDataset::Open(cfg.file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) internal::ThrowGis(cfg.file, "cannot open as a vector layer", "give a file OGR reads (ogrinfo FILE)");
  OGRLayer* layer = cfg.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(cfg.layer.c_str());
  if (!layer)
    throw Error(ErrorKind::kGis, cfg.file, "no layer '" + cfg.layer + "'", "check 'layer' in the layers config");
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  const int name_idx = cfg.name_field.empty() ? -1 : defn->GetFieldIndex(cfg.name_field.c_str());
  const int code_idx = cfg.code_field.empty() ? -1 : defn->GetFieldIndex(cfg.code_field.c_str());
  const int type_idx = cfg.type_field.empty() ? -1 : defn->GetFieldIndex(cfg.type_field.c_str());
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  const OGRSpatialReference wgs84 = internal::Wgs84();
  std::unique_ptr<OGRCoordinateTransformation> ct;
  if (srs != nullptr && !srs->IsSame(&wgs84)) {
    OGRSpatialReference src(*srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    ct.reset(OGRCreateCoordinateTransformation(&src, &wgs84));
    if (!ct) internal::ThrowGis(cfg.file, "cannot transform the layer to WGS84");
  }
  json features = json::array();
  layer->ResetReading();
  while (features.size() < max_features) {
    std::unique_ptr<OGRFeature> f(layer->GetNextFeature());
    if (!f) break;
    OGRGeometry* g = f->GetGeometryRef();
    if (!g) continue;
    std::unique_ptr<OGRGeometry> copy(g->clone());
    if (ct && copy->transform(ct.get()) != OGRERR_NONE) continue;
    char* text = copy->exportToJson();
    json geometry = json::parse(text ? text : "null", nullptr, false);
    CPLFree(text);
    auto field = [&](int idx) {
      return idx >= 0 && f->IsFieldSetAndNotNull(idx) ? json(f->GetFieldAsString(idx)) : json(nullptr);
    };
    features.push_back(
        {{"type", "Feature"},
         {"geometry", geometry},
         {"properties",
          {{"name", field(name_idx)}, {"code", field(code_idx)}, {"type", field(type_idx)}, {"layer", section}}}});
  }
  return json{{"type", "FeatureCollection"}, {"features", features}};
}

// argv for a GDAL utility's options (gdaldem, gdalwarp, gdal_translate as a library).
class Args {
 public:
  explicit Args(std::vector<std::string> a) : s_(std::move(a)) {
    for (auto& x : s_) p_.push_back(x.data());
    p_.push_back(nullptr);
  }
  char** argv() { return p_.data(); }

 private:
  std::vector<std::string> s_;
  std::vector<char*> p_;
};

std::string ReadVsiMem(const std::string& path) {
  vsi_l_offset size = 0;
  GByte* data = VSIGetMemFileBuffer(path.c_str(), &size, FALSE);
  return data ? std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)) : std::string();
}

}  // namespace

std::string LayersGeoJson(const LayersConfig& cfg, std::size_t max_features) {
  json out = json::object();
  const std::pair<const char*, const std::optional<VectorLayerConfig>*> layers[] = {
      {"counties", &cfg.counties},
      {"city", &cfg.city},
      {"places", &cfg.places},
      {"key_targets", &cfg.key_targets},
      {"sensitive_areas", &cfg.sensitive_areas}};
  for (const auto& [name, layer] : layers)
    if (*layer) out[name] = LayerCollection(name, **layer, max_features);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

HillshadeImage RenderHillshade(const std::string& dem_path, int max_px) {
  internal::EnsureGdal();
  internal::QuietGdal quiet;
  internal::DatasetPtr dem(GDALDataset::Open(dem_path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!dem) internal::ThrowGis(dem_path, "cannot open the DEM", "give a raster GDAL reads (gdalinfo FILE)");
  const OGRSpatialReference* srs = dem->GetSpatialRef();
  if (!srs) throw Error(ErrorKind::kGis, dem_path, "the DEM has no coordinate reference system");
  static std::atomic<int> counter{0};
  const std::string tag = "/vsimem/firebreak_hs_" + std::to_string(++counter);
  const std::string shade = tag + "_shade.tif", merc = tag + "_3857.tif", png = tag + ".png";

  // 1. gdaldem hillshade in the DEM's own CRS (metres per degree for a geographic DEM).
  Args dargs(
      {"-compute_edges", "-az", "315", "-alt", "45", "-s", srs->IsGeographic() ? "111120" : "1", "-of", "GTiff"});
  GDALDEMProcessingOptions* dopt = GDALDEMProcessingOptionsNew(dargs.argv(), nullptr);
  int err = 0;
  GDALDatasetH hs =
      GDALDEMProcessing(shade.c_str(), GDALDataset::ToHandle(dem.get()), "hillshade", nullptr, dopt, &err);
  GDALDEMProcessingOptionsFree(dopt);
  if (!hs || err) internal::ThrowGis(dem_path, "gdaldem hillshade failed");
  // 2. Warp to Web Mercator (what Leaflet shows), long side at most max_px, outside = 0 (transparent).
  const int w = GDALGetRasterXSize(hs), h = GDALGetRasterYSize(hs);
  const double scale = std::min(1.0, static_cast<double>(max_px) / std::max(w, h));
  Args wargs({"-t_srs", "EPSG:3857", "-r", "bilinear", "-dstnodata", "0", "-ts",
              std::to_string(std::max(1, static_cast<int>(w * scale))), "0", "-of", "GTiff"});
  GDALWarpAppOptions* wopt = GDALWarpAppOptionsNew(wargs.argv(), nullptr);
  GDALDatasetH warped = GDALWarp(merc.c_str(), nullptr, 1, &hs, wopt, &err);
  GDALWarpAppOptionsFree(wopt);
  GDALClose(hs);
  VSIUnlink(shade.c_str());
  if (!warped || err) internal::ThrowGis(dem_path, "warping the hillshade to EPSG:3857 failed");
  HillshadeImage out;
  out.width = GDALGetRasterXSize(warped);
  out.height = GDALGetRasterYSize(warped);
  double gt[6];
  GDALGetGeoTransform(warped, gt);
  // 3. PNG (nodata 0 becomes transparent) and the corners in WGS84.
  Args targs({"-of", "PNG"});
  GDALTranslateOptions* topt = GDALTranslateOptionsNew(targs.argv(), nullptr);
  GDALDatasetH p = GDALTranslate(png.c_str(), warped, topt, &err);
  GDALTranslateOptionsFree(topt);
  GDALClose(warped);
  VSIUnlink(merc.c_str());
  if (!p || err) internal::ThrowGis(dem_path, "writing the hillshade PNG failed");
  GDALClose(p);
  out.png = ReadVsiMem(png);
  VSIUnlink(png.c_str());
  VSIUnlink((png + ".aux.xml").c_str());
  OGRSpatialReference mercator = internal::SrsFromUser(dem_path, "EPSG:3857");
  OGRSpatialReference wgs84 = internal::Wgs84();
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&mercator, &wgs84));
  double xs[2] = {gt[0], gt[0] + gt[1] * out.width}, ys[2] = {gt[3] + gt[5] * out.height, gt[3]};
  if (!ct || !ct->Transform(2, xs, ys)) internal::ThrowGis(dem_path, "cannot transform the hillshade's extent");
  out.west = xs[0];
  out.south = ys[0];
  out.east = xs[1];
  out.north = ys[1];
  return out;
}

}  // namespace firebreak::gis
