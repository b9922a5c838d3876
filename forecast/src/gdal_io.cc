#include "gdal_io.h"

#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <system_error>

#include <cpl_error.h>
#include <gdal_alg.h>
#include <ogrsf_frmts.h>

#include "firebreak/common/error.h"

namespace firebreak::forecast::internal {

void EnsureGdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

QuietGdal::QuietGdal() {
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
}
QuietGdal::~QuietGdal() { CPLPopErrorHandler(); }

std::string LastGdalError(const std::string& fallback) {
  const char* m = CPLGetLastErrorMsg();
  return (m && *m) ? std::string(m) : fallback;
}

OGRSpatialReference GridSrs(const gis::Grid& frame) {
  OGRSpatialReference s;
  if (s.importFromWkt(frame.wkt.c_str()) != OGRERR_NONE) {
    throw Error(ErrorKind::kGis, "landscape", "its CRS cannot be read", "give a raster with a valid CRS");
  }
  s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}

OGRSpatialReference Wgs84Srs() {
  OGRSpatialReference s;
  s.SetWellKnownGeogCS("WGS84");
  s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}

DatasetPtr MemWindow(const gis::Grid& frame, int r0, int c0, int rows, int cols, GDALDataType type) {
  EnsureGdal();
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  DatasetPtr ds(mem->Create("", cols, rows, 1, type, nullptr));
  if (!ds) throw Error(ErrorKind::kGis, "memory raster", LastGdalError("cannot create"));
  const gis::GeoTransform& g = frame.gt;
  double gt[6] = {g[0] + c0 * g[1] + r0 * g[2], g[1], g[2], g[3] + c0 * g[4] + r0 * g[5], g[4], g[5]};
  ds->SetGeoTransform(gt);
  ds->SetProjection(frame.wkt.c_str());
  return ds;
}

void Burn(GDALDataset& ds, const std::vector<OGRGeometry*>& geoms, double value, bool all_touched,
          const std::string& where) {
  if (geoms.empty()) return;
  QuietGdal quiet;
  int band = 1;
  std::vector<OGRGeometryH> handles;
  std::vector<double> values(geoms.size(), value);
  for (OGRGeometry* g : geoms) handles.push_back(OGRGeometry::ToHandle(g));
  char** opts = nullptr;
  if (all_touched) opts = CSLSetNameValue(opts, "ALL_TOUCHED", "TRUE");
  const CPLErr err = GDALRasterizeGeometries(GDALDataset::ToHandle(&ds), 1, &band, static_cast<int>(handles.size()),
                                             handles.data(), nullptr, nullptr, values.data(), opts, nullptr, nullptr);
  CSLDestroy(opts);
  if (err != CE_None) throw Error(ErrorKind::kGis, where, LastGdalError("cannot rasterise"));
}

void ReadBand1(GDALDataset& ds, void* out, GDALDataType type, const std::string& where) {
  const int cols = ds.GetRasterXSize(), rows = ds.GetRasterYSize();
  if (ds.GetRasterBand(1)->RasterIO(GF_Read, 0, 0, cols, rows, out, cols, rows, type, 0, 0) != CE_None) {
    throw Error(ErrorKind::kGis, where, LastGdalError("cannot read a rasterised layer"));
  }
}

std::vector<Feature> ReadFeatures(const std::string& file, const std::string& layer,
                                  const std::vector<std::string>& fields, const OGRSpatialReference& to,
                                  const std::string& what) {
  EnsureGdal();
  QuietGdal quiet;
  DatasetPtr ds(static_cast<GDALDataset*>(GDALOpenEx(file.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
  if (!ds) {
    throw Error(ErrorKind::kGis, file, what + " cannot be opened: " + LastGdalError("not a vector file"),
                "check the path (relative paths are relative to the layers config)");
  }
  OGRLayer* l = layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer.c_str());
  if (!l) throw Error(ErrorKind::kGis, file, what + ": no layer '" + layer + "'");
  const OGRSpatialReference* from = l->GetSpatialRef();
  if (!from) throw Error(ErrorKind::kGis, file, what + " has no CRS", "assign one, e.g. ogr2ogr -a_srs EPSG:4326");
  OGRSpatialReference src(*from);
  src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&src, &to));
  if (!ct) throw Error(ErrorKind::kGis, file, what + ": cannot reproject to the landscape's CRS");
  std::vector<int> index;
  for (const std::string& f : fields) {
    const int i = l->GetLayerDefn()->GetFieldIndex(f.c_str());
    if (i < 0) throw Error(ErrorKind::kGis, file, what + ": layer has no field '" + f + "'");
    index.push_back(i);
  }
  std::vector<Feature> out;
  l->ResetReading();
  for (std::unique_ptr<OGRFeature> f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) continue;
    Feature feat;
    feat.geometry.reset(g->clone());
    if (feat.geometry->transform(ct.get()) != OGRERR_NONE) {
      throw Error(ErrorKind::kGis, file, what + ": a feature cannot be reprojected to the landscape's CRS");
    }
    for (int i : index) feat.values.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
    out.push_back(std::move(feat));
  }
  return out;
}

std::string TempPathFor(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string name = "." + p.stem().string() + ".tmp" + std::to_string(::getpid()) + p.extension().string();
  return (p.parent_path() / name).string();
}

void CommitFile(const std::string& tmp_path, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(tmp_path, path, ec);
  if (ec) {
    std::filesystem::remove(tmp_path, ec);
    throw Error(ErrorKind::kInput, path, "cannot write: " + ec.message(), "check that the directory is writable");
  }
}

}  // namespace firebreak::forecast::internal
