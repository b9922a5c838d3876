#include "firebreak/forecast/landscape.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include <ogr_spatialref.h>

#include "firebreak/common/error.h"
#include "firebreak/gis/terrain.h"
#include "gdal_io.h"

namespace firebreak::forecast {

namespace {

std::string Base(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string CellText(const gis::Grid& g, int r, int c) {
  std::ostringstream os;
  os << "row " << r << ", col " << c;
  try {
    const engine::LonLat ll = g.CellCentreWgs84(r, c);
    os.precision(6);
    os << " (" << ll.lon << "," << ll.lat << ")";
  } catch (const Error&) {
  }
  return os.str();
}

gis::Grid ReadBand(const std::string& path, int band) { return gis::Raster::Open(path, band).ReadAll(); }

bool SameCrs(const std::string& a, const std::string& b) {
  if (a == b) return true;
  OGRSpatialReference sa, sb;
  if (sa.importFromWkt(a.c_str()) != OGRERR_NONE || sb.importFromWkt(b.c_str()) != OGRERR_NONE) return false;
  return sa.IsSame(&sb);
}

// Throws unless `g` lies on the grid of `ref` (same size, geotransform within a millimetre, same CRS).
void CheckSameGrid(const gis::Grid& ref, const std::string& ref_path, const gis::Grid& g, const std::string& path) {
  bool same = ref.rows == g.rows && ref.cols == g.cols && SameCrs(ref.wkt, g.wkt);
  for (int i = 0; i < 6 && same; ++i) same = std::abs(ref.gt[i] - g.gt[i]) <= 1e-3 * std::max(1.0, std::abs(ref.gt[1]));
  if (!same) {
    std::ostringstream os;
    os << "does not lie on the grid of " << Base(ref_path) << " (" << g.cols << " x " << g.rows << " vs " << ref.cols
       << " x " << ref.rows << ", origin " << g.gt[0] << "," << g.gt[3] << " vs " << ref.gt[0] << "," << ref.gt[3]
       << ", cell " << g.gt[1] << " vs " << ref.gt[1] << (SameCrs(ref.wkt, g.wkt) ? "" : ", another CRS") << ")";
    throw Error(ErrorKind::kGis, path, os.str(),
                "resample it onto the DEM's grid, e.g. gdalwarp -t_srs <DEM CRS> -te <DEM extent> -tr <DEM cell>");
  }
}

// Fuel numbers: NaN -> 0 (no data: does not burn). Every other number must be a model of the table.
std::vector<std::int16_t> FuelCodes(const gis::Grid& g, const std::string& path, const fire::FuelModelTable& models) {
  std::vector<std::int16_t> out(g.z.size(), 0);
  bool any_burnable = false;
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const float v = g.Raw(r, c);
      if (std::isnan(v)) continue;
      const fire::FuelModel* m = (v >= 0 && v < 256 && v == std::floor(v)) ? models.Find(static_cast<int>(v)) : nullptr;
      if (!m) {
        std::ostringstream os;
        os << "fuel model " << v << " at " << CellText(g, r, c) << " is not in the fuel-model table "
           << Base(models.source());
        throw Error(ErrorKind::kGis, path, os.str(),
                    "the fuel band must hold behave numbers (1-13 Anderson, 91-99 non-burnable, 101-204 Scott & "
                    "Burgan / LANDFIRE FBFM40)");
      }
      out[g.Index(r, c)] = static_cast<std::int16_t>(v);
      any_burnable = any_burnable || m->burnable;
    }
  }
  if (!any_burnable) {
    throw Error(ErrorKind::kGis, path, "no cell holds a burnable fuel model (a landscape without fuel)",
                "check the fuel band (LCP band 4) or the --fuel raster");
  }
  return out;
}

float ZeroIfNan(float v) { return std::isnan(v) ? 0.0f : v; }

void FillEdges(Landscape& l, const fire::FuelModelTable& models) {
  const std::size_t n = l.size();
  l.edge.assign(n, 0);
  auto differs = [&](std::size_t i, std::size_t j) {
    return l.fuel[i] != l.fuel[j] || l.slope_deg[i] != l.slope_deg[j] || l.aspect_deg[i] != l.aspect_deg[j] ||
           l.canopy_cover[i] != l.canopy_cover[j] || l.canopy_height_m[i] != l.canopy_height_m[j] ||
           l.canopy_base_m[i] != l.canopy_base_m[j];
  };
  for (int r = 0; r < l.rows; ++r) {
    for (int c = 0; c < l.cols; ++c) {
      const std::size_t i = static_cast<std::size_t>(r) * l.cols + c;
      const fire::FuelModel* m = l.fuel[i] ? models.Find(l.fuel[i]) : nullptr;
      if (!m || !m->burnable) l.edge[i] = 1;
      if (c + 1 < l.cols && differs(i, i + 1)) l.edge[i] = l.edge[i + 1] = 1;
      if (r + 1 < l.rows && differs(i, i + l.cols)) l.edge[i] = l.edge[i + l.cols] = 1;
    }
  }
}

// Slope and aspect from the DEM (Horn): everywhere (`all`), or only where the landscape has none (NaN). A cell
// left with a slope but no direction (DEM edge or nodata) is treated as flat.
void SlopeAspectFromDem(Landscape& l, bool all) {
  const gis::SlopeAspect sa = gis::ComputeSlopeAspect(l.frame, 1);
  for (std::size_t i = 0; i < l.size(); ++i) {
    float& s = l.slope_deg[i];
    float& a = l.aspect_deg[i];
    if (all || std::isnan(s)) s = std::isnan(sa.slope_deg[i]) ? 0.0f : sa.slope_deg[i];
    if (all || std::isnan(a)) a = sa.aspect_deg[i];
    s = std::clamp(s, 0.0f, 85.0f);
    if (std::isnan(a)) s = 0;
    if (s == 0) a = 0;
  }
}

// Opens a landscape file and checks it is a georeferenced, north-up raster with a CRS.
internal::DatasetPtr OpenLandscape(const std::string& path) {
  internal::EnsureGdal();
  internal::QuietGdal quiet;
  if (!std::filesystem::exists(path)) {
    throw Error(ErrorKind::kGis, path, "raster file not found", "check the path given to --landscape");
  }
  internal::DatasetPtr ds(static_cast<GDALDataset*>(
      GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  if (!ds) throw Error(ErrorKind::kGis, path, internal::LastGdalError("cannot open as a raster"));
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None) {
    throw Error(ErrorKind::kGis, path, "raster has no geotransform (not georeferenced)");
  }
  if (gt[2] != 0 || gt[4] != 0) {
    throw Error(ErrorKind::kGis, path, "rotated geotransforms are not supported", "warp it to a north-up grid");
  }
  const OGRSpatialReference* srs = ds->GetSpatialRef();
  if (!srs || srs->IsEmpty()) {
    throw Error(ErrorKind::kGis, path, "raster has no coordinate reference system",
                "assign the right one, e.g. gdal_edit.py -a_srs EPSG:32611 " + path);
  }
  return ds;
}

// Bands first..last as floats with NaN for nodata, each read straight into its own vector (GDAL's block cache
// decodes a pixel-interleaved file once for all bands).
std::vector<std::vector<float>> ReadBands(GDALDataset& ds, const std::string& path, int first, int last) {
  internal::QuietGdal quiet;
  const int rows = ds.GetRasterYSize(), cols = ds.GetRasterXSize();
  const std::size_t cells = static_cast<std::size_t>(rows) * cols;
  std::vector<std::vector<float>> out;
  for (int b = first; b <= last; ++b) {
    std::vector<float> v(cells);
    GDALRasterBand* band = ds.GetRasterBand(b);
    if (band->RasterIO(GF_Read, 0, 0, cols, rows, v.data(), cols, rows, GDT_Float32, 0, 0, nullptr) != CE_None) {
      throw Error(ErrorKind::kGis, path, internal::LastGdalError("cannot read band " + std::to_string(b)),
                  "the file may be truncated or corrupt");
    }
    int has = 0;
    const float nd = static_cast<float>(band->GetNoDataValue(&has));
    for (float& x : v) {
      if (!std::isfinite(x) || (has && x == nd)) x = NAN;
    }
    out.push_back(std::move(v));
  }
  return out;
}

Landscape FromLcp(const std::string& path, const fire::FuelModelTable& models) {
  internal::DatasetPtr ds = OpenLandscape(path);
  const int bands = ds->GetRasterCount();
  if (bands < 4) {
    throw Error(ErrorKind::kGis, path,
                "has " + std::to_string(bands) + " band" + (bands == 1 ? "" : "s") +
                    ": a landscape needs elevation, slope, aspect and fuel model (FARSITE band order; a landscape "
                    "without fuel cannot burn)",
                "give a FARSITE-style landscape such as example_lcp.tif, or --dem DEM --fuel FUEL_RASTER");
  }
  Landscape l;
  gis::GeoTransform gt;
  ds->GetGeoTransform(gt.data());
  char* wkt = nullptr;
  ds->GetSpatialRef()->exportToWkt(&wkt);
  const std::string crs = wkt ? wkt : "";
  CPLFree(wkt);
  l.frame = gis::MakeGrid(ds->GetRasterYSize(), ds->GetRasterXSize(), gt, crs);
  l.rows = l.frame.rows;
  l.cols = l.frame.cols;
  l.source = path;
  const std::size_t n = l.size();
  std::vector<std::vector<float>> b = ReadBands(*ds, path, 1, std::min(bands, 7));
  l.frame.z = std::move(b[0]);
  std::swap(l.frame.z, b[3]);  // the fuel band, checked on the frame's grid
  l.fuel = FuelCodes(l.frame, path + " band 4", models);
  std::swap(l.frame.z, b[3]);
  l.slope_deg = std::move(b[1]);
  l.aspect_deg = std::move(b[2]);
  for (float& a : l.aspect_deg) {
    if (a < 0 || a > 360) a = NAN;  // -1: no aspect given
  }
  l.canopy_cover.assign(n, 0);
  l.canopy_height_m.assign(n, 0);
  l.canopy_base_m.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (bands >= 5) l.canopy_cover[i] = std::clamp(ZeroIfNan(b[4][i]), 0.0f, 100.0f) / 100.0f;
    if (bands >= 6) l.canopy_height_m[i] = std::max(0.0f, ZeroIfNan(b[5][i])) / 10.0f;
    if (bands >= 7) l.canopy_base_m[i] = std::max(0.0f, ZeroIfNan(b[6][i])) / 10.0f;
  }
  SlopeAspectFromDem(l, false);
  std::ostringstream os;
  os << Base(path) << " (landscape, " << bands << " bands, " << l.cols << " x " << l.rows << ", "
     << std::lround(l.frame.cell_x_m) << " m)";
  l.description = os.str();
  return l;
}

Landscape FromDemFuel(const LandscapeFiles& f, const fire::FuelModelTable& models) {
  if (f.fuel.empty()) {
    throw Error(ErrorKind::kGis, f.dem, "a DEM alone has no fuel (a landscape without fuel cannot burn)",
                "add --fuel FUEL_RASTER (fuel model numbers on the DEM's grid), or give --landscape LCP.tif");
  }
  Landscape l;
  l.frame = ReadBand(f.dem, 1);
  l.rows = l.frame.rows;
  l.cols = l.frame.cols;
  l.source = f.fuel;
  const std::size_t n = l.size();
  const gis::Grid fuel = ReadBand(f.fuel, f.fuel_band);
  CheckSameGrid(l.frame, f.dem, fuel, f.fuel);
  l.fuel = FuelCodes(fuel, f.fuel, models);
  l.slope_deg.assign(n, NAN);
  l.aspect_deg.assign(n, NAN);
  SlopeAspectFromDem(l, true);
  l.canopy_cover.assign(n, 0);
  l.canopy_height_m.assign(n, 0);
  l.canopy_base_m.assign(n, 0);
  if (!f.canopy.empty()) {
    const gis::Grid cc = ReadBand(f.canopy, 1);
    CheckSameGrid(l.frame, f.dem, cc, f.canopy);
    for (std::size_t i = 0; i < n; ++i) l.canopy_cover[i] = std::clamp(ZeroIfNan(cc.z[i]), 0.0f, 100.0f) / 100.0f;
  }
  std::ostringstream os;
  os << Base(f.dem) << " + " << Base(f.fuel) << (f.canopy.empty() ? "" : " + " + Base(f.canopy)) << " (" << l.cols
     << " x " << l.rows << ", " << std::lround(l.frame.cell_x_m) << " m)";
  l.description = os.str();
  return l;
}

}  // namespace

void CompleteLandscape(Landscape& l, const fire::FuelModelTable& models) {
  const std::size_t n = static_cast<std::size_t>(l.rows) * l.cols;
  if (l.rows <= 0 || l.cols <= 0 || l.frame.rows != l.rows || l.frame.cols != l.cols || l.fuel.size() != n ||
      l.slope_deg.size() != n || l.aspect_deg.size() != n) {
    throw Error(ErrorKind::kInput, "landscape", "frame, fuel, slope and aspect must all have rows*cols cells");
  }
  for (auto* v : {&l.canopy_cover, &l.canopy_height_m, &l.canopy_base_m}) {
    if (v->empty()) v->assign(n, 0.0f);
    if (v->size() != n) throw Error(ErrorKind::kInput, "landscape", "canopy layers must have rows*cols cells");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (l.fuel[i] != 0 && !models.Find(l.fuel[i])) {
      throw Error(ErrorKind::kGis, "landscape", "fuel model " + std::to_string(l.fuel[i]) + " is not in the table");
    }
    l.slope_deg[i] = std::clamp(std::isnan(l.slope_deg[i]) ? 0.0f : l.slope_deg[i], 0.0f, 85.0f);
    if (std::isnan(l.aspect_deg[i]) || l.slope_deg[i] == 0) l.aspect_deg[i] = 0;
  }
  if (l.description.empty()) l.description = "landscape in memory";
  FillEdges(l, models);
}

Landscape LoadLandscape(const LandscapeFiles& files, const fire::FuelModelTable& models) {
  if (files.landscape.empty() && files.dem.empty()) {
    throw Error(ErrorKind::kUsage, "--landscape", "no landscape given",
                "give --landscape LCP.tif, or --dem DEM --fuel FUEL_RASTER");
  }
  Landscape l = files.landscape.empty() ? FromDemFuel(files, models) : FromLcp(files.landscape, models);
  FillEdges(l, models);
  return l;
}

}  // namespace firebreak::forecast
