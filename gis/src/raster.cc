#include "firebreak/gis/raster.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "gdal_util.h"
#include "georef.h"

namespace firebreak::gis {

using internal::EnsureGdal;
using internal::QuietGdal;
using internal::ThrowGis;

// ---------------------------------------------------------------- Georef

Georef::Georef(const std::string& where, const OGRSpatialReference& srs) : srs_(srs) {
  QuietGdal quiet;
  srs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  geographic_ = srs_.IsGeographic();
  char* w = nullptr;
  srs_.exportToWkt(&w);
  wkt_ = w ? w : "";
  CPLFree(w);
  OGRSpatialReference wgs = internal::Wgs84();
  to_wgs84_.reset(OGRCreateCoordinateTransformation(&srs_, &wgs));
  from_wgs84_.reset(OGRCreateCoordinateTransformation(&wgs, &srs_));
  if (!to_wgs84_ || !from_wgs84_) {
    ThrowGis(where, "no coordinate transformation between the raster CRS and WGS84",
             "reproject the data to a standard CRS (e.g. gdalwarp -t_srs EPSG:32649)");
  }
}

bool Georef::ToWgs84(double x, double y, double* lon, double* lat) const {
  std::lock_guard<std::mutex> lock(mu_);
  QuietGdal quiet;
  int ok = 0;
  if (!to_wgs84_->Transform(1, &x, &y, nullptr, &ok) || !ok) return false;
  *lon = x;
  *lat = y;
  return std::isfinite(x) && std::isfinite(y);
}

bool Georef::FromWgs84(double lon, double lat, double* x, double* y) const {
  std::lock_guard<std::mutex> lock(mu_);
  QuietGdal quiet;
  int ok = 0;
  if (!from_wgs84_->Transform(1, &lon, &lat, nullptr, &ok) || !ok) return false;
  *x = lon;
  *y = lat;
  return std::isfinite(lon) && std::isfinite(lat);
}

// ---------------------------------------------------------------- Grid

std::size_t Grid::NodataCount() const {
  return static_cast<std::size_t>(std::count_if(z.begin(), z.end(), [](float v) { return std::isnan(v); }));
}

CrsPoint Grid::PixelToCrs(double col, double row) const {
  return {gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]};
}

CrsPoint Grid::CrsToPixel(CrsPoint p) const {
  const double det = gt[1] * gt[5] - gt[2] * gt[4];
  if (det == 0 || !std::isfinite(det)) {
    throw Error(ErrorKind::kGis, "grid", "geotransform is not invertible", "check the raster's georeferencing");
  }
  const double dx = p.x - gt[0];
  const double dy = p.y - gt[3];
  return {(gt[5] * dx - gt[2] * dy) / det, (-gt[4] * dx + gt[1] * dy) / det};
}

LonLat Grid::CrsToWgs84(CrsPoint p) const {
  if (!georef) throw Error(ErrorKind::kGis, "grid", "grid has no CRS", "open a georeferenced raster");
  LonLat ll;
  if (!georef->ToWgs84(p.x, p.y, &ll.lon, &ll.lat)) {
    throw Error(ErrorKind::kGis, "grid", "cannot transform point to WGS84", "check the raster CRS");
  }
  return ll;
}

CrsPoint Grid::Wgs84ToCrs(LonLat ll) const {
  if (!georef) throw Error(ErrorKind::kGis, "grid", "grid has no CRS", "open a georeferenced raster");
  CrsPoint p;
  if (!georef->FromWgs84(ll.lon, ll.lat, &p.x, &p.y)) {
    throw Error(
        ErrorKind::kGis, "grid",
        "cannot transform lon/lat " + std::to_string(ll.lon) + "," + std::to_string(ll.lat) + " to the raster CRS",
        "give the point as LON,LAT in WGS84 degrees");
  }
  return p;
}

LonLat Grid::CellCentreWgs84(int r, int c) const { return CrsToWgs84(PixelToCrs(c + 0.5, r + 0.5)); }

std::optional<std::pair<int, int>> Grid::CellOf(LonLat ll) const {
  CrsPoint px = CrsToPixel(Wgs84ToCrs(ll));
  const double c = std::floor(px.x);
  const double r = std::floor(px.y);
  if (!(c >= 0 && r >= 0 && c < cols && r < rows)) return std::nullopt;
  return std::make_pair(static_cast<int>(r), static_cast<int>(c));
}

namespace {

// Cell sizes of `g` in metres, evaluated at the grid centre.
void SetCellSizes(Grid& g, const OGRSpatialReference* srs) {
  if (!srs) {
    g.cell_x_m = std::abs(g.gt[1]);
    g.cell_y_m = std::abs(g.gt[5]);
    return;
  }
  double lat = 0;
  if (srs->IsGeographic()) {
    lat = g.gt[3] + (g.rows / 2.0) * g.gt[5] + (g.cols / 2.0) * g.gt[4];
  }
  internal::CellSizeMetres(*srs, g.gt[1], g.gt[5], lat, &g.cell_x_m, &g.cell_y_m);
}

}  // namespace

Grid MakeGrid(int rows, int cols, const GeoTransform& gt, std::string_view crs) {
  if (rows <= 0 || cols <= 0) {
    throw Error(ErrorKind::kGis, "grid",
                "grid size must be positive, got " + std::to_string(rows) + "x" + std::to_string(cols));
  }
  Grid g;
  g.rows = rows;
  g.cols = cols;
  g.gt = gt;
  g.z.assign(static_cast<std::size_t>(rows) * cols, std::numeric_limits<float>::quiet_NaN());
  if (crs.empty()) {
    SetCellSizes(g, nullptr);
    return g;
  }
  OGRSpatialReference srs = internal::SrsFromUser("grid", std::string(crs));
  auto georef = std::make_shared<Georef>("grid", srs);
  g.wkt = georef->wkt();
  SetCellSizes(g, &georef->srs());
  g.georef = std::move(georef);
  return g;
}

void WriteGeoTiff(const Grid& grid, const std::string& path) {
  EnsureGdal();
  QuietGdal quiet;
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!drv) ThrowGis(path, "GDAL has no GTiff driver", "install a full GDAL build");
  char** opts = nullptr;
  opts = CSLSetNameValue(opts, "COMPRESS", "DEFLATE");
  opts = CSLSetNameValue(opts, "TILED", "YES");
  internal::DatasetPtr ds(drv->Create(path.c_str(), grid.cols, grid.rows, 1, GDT_Float32, opts));
  CSLDestroy(opts);
  if (!ds) ThrowGis(path, "cannot create GeoTIFF", "check that the directory exists and is writable");
  GeoTransform gt = grid.gt;
  ds->SetGeoTransform(gt.data());
  if (!grid.wkt.empty()) ds->SetProjection(grid.wkt.c_str());
  constexpr float kNodata = -32768.0f;
  GDALRasterBand* band = ds->GetRasterBand(1);
  band->SetNoDataValue(kNodata);
  std::vector<float> buf(grid.z);
  for (float& v : buf) {
    if (!std::isfinite(v)) v = kNodata;
  }
  if (band->RasterIO(GF_Write, 0, 0, grid.cols, grid.rows, buf.data(), grid.cols, grid.rows, GDT_Float32, 0, 0,
                     nullptr) != CE_None) {
    ThrowGis(path, "cannot write raster data", "check free disk space");
  }
  ds->FlushCache(false);
  if (CPLGetLastErrorType() >= CE_Failure) ThrowGis(path, "cannot finish writing GeoTIFF", "check free disk space");
  GDALClose(GDALDataset::ToHandle(ds.release()));
}

// ---------------------------------------------------------------- Raster

struct Raster::Impl {
  std::string path;
  int band_no = 1;
  internal::DatasetPtr ds;
  GDALRasterBand* band = nullptr;
  int rows = 0;
  int cols = 0;
  GeoTransform gt{};
  std::optional<double> nodata;
  std::shared_ptr<const Georef> georef;

  // Reads [r0, r0+nr) x [c0, c0+nc) into a Grid. REQUIRES: the window is inside the raster.
  Grid Read(int r0, int c0, int nr, int nc) const {
    if (static_cast<long long>(nr) * nc > kMaxReadCells) {
      throw Error(ErrorKind::kGis, path,
                  "reading " + std::to_string(nr) + " x " + std::to_string(nc) + " cells at once is more than the " +
                      "limit of " + std::to_string(kMaxReadCells) + " cells",
                  "the raster's cells are too small for this radius: resample it (gdalwarp -tr 30 30 in.tif "
                  "out.tif) or give a smaller --radius");
    }
    Grid g;
    g.rows = nr;
    g.cols = nc;
    g.row0 = r0;
    g.col0 = c0;
    g.gt = {gt[0] + c0 * gt[1] + r0 * gt[2], gt[1], gt[2], gt[3] + c0 * gt[4] + r0 * gt[5], gt[4], gt[5]};
    g.wkt = georef->wkt();
    g.georef = georef;
    g.z.resize(static_cast<std::size_t>(nr) * nc);
    QuietGdal quiet;
    if (band->RasterIO(GF_Read, c0, r0, nc, nr, g.z.data(), nc, nr, GDT_Float32, 0, 0, nullptr) != CE_None) {
      ThrowGis(path, "cannot read raster band " + std::to_string(band_no), "the file may be truncated or corrupt");
    }
    const float nan = std::numeric_limits<float>::quiet_NaN();
    if (nodata) {
      const float nd = static_cast<float>(*nodata);
      const bool nd_nan = std::isnan(nd);
      for (float& v : g.z) {
        if ((!nd_nan && v == nd) || !std::isfinite(v)) v = nan;
      }
    } else {
      for (float& v : g.z) {
        if (!std::isfinite(v)) v = nan;
      }
    }
    SetCellSizes(g, &georef->srs());
    return g;
  }

  // Fractional (col, row) of a WGS84 point in the whole raster; nullopt if the transform fails.
  std::optional<CrsPoint> PixelOf(LonLat ll) const {
    double x = 0, y = 0;
    if (!georef->FromWgs84(ll.lon, ll.lat, &x, &y)) return std::nullopt;
    // Not rotated (checked at Open).
    return CrsPoint{(x - gt[0]) / gt[1], (y - gt[3]) / gt[5]};
  }
};

Raster::Raster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Raster::Raster(Raster&&) noexcept = default;
Raster& Raster::operator=(Raster&&) noexcept = default;
Raster::~Raster() = default;

namespace {

bool IsImageChannel(GDALColorInterp ci) {
  switch (ci) {
    case GCI_PaletteIndex:
    case GCI_RedBand:
    case GCI_GreenBand:
    case GCI_BlueBand:
    case GCI_AlphaBand:
    case GCI_HueBand:
    case GCI_SaturationBand:
    case GCI_LightnessBand:
    case GCI_CyanBand:
    case GCI_MagentaBand:
    case GCI_YellowBand:
    case GCI_BlackBand:
    case GCI_YCbCr_YBand:
    case GCI_YCbCr_CbBand:
    case GCI_YCbCr_CrBand:
      return true;
    default:
      return false;
  }
}

}  // namespace

Raster Raster::Open(const std::string& path, int band, RasterRole role) {
  EnsureGdal();
  QuietGdal quiet;
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->band_no = band;
  VSIStatBufL st;
  if (VSIStatL(path.c_str(), &st) != 0) {
    throw Error(ErrorKind::kGis, path, "raster file not found", "check the path given to --dem / in the layers config");
  }
  if (!VSI_ISREG(st.st_mode) && !VSI_ISDIR(st.st_mode)) {
    // A FIFO or a device would block GDAL or never end.
    throw Error(ErrorKind::kGis, path, "not a regular file (a pipe or device)", "give the path of a raster file");
  }
  impl->ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!impl->ds) {
    ThrowGis(path, "cannot open as a raster", "give a GeoTIFF or another raster format GDAL reads (gdalinfo FILE)");
  }
  const int nbands = impl->ds->GetRasterCount();
  if (band < 1 || band > nbands) {
    throw Error(ErrorKind::kGis, path,
                "band " + std::to_string(band) + " does not exist (the raster has " + std::to_string(nbands) + " band" +
                    (nbands == 1 ? "" : "s") + ")",
                "choose a band between 1 and " + std::to_string(nbands));
  }
  impl->band = impl->ds->GetRasterBand(band);
  impl->rows = impl->ds->GetRasterYSize();
  impl->cols = impl->ds->GetRasterXSize();
  if (impl->rows < 1 || impl->cols < 1) {
    throw Error(ErrorKind::kGis, path,
                "raster has no cells (" + std::to_string(impl->cols) + " x " + std::to_string(impl->rows) + ")",
                "give a raster with data");
  }
  const GDALDataType type = impl->band->GetRasterDataType();
  if (type == GDT_Unknown || GDALDataTypeIsComplex(type)) {
    throw Error(ErrorKind::kGis, path,
                "band " + std::to_string(band) + " holds " + GDALGetDataTypeName(type) +
                    " values (complex numbers), not elevations or class codes",
                "give a band of real numbers or integers");
  }
  if (role == RasterRole::kElevation && IsImageChannel(impl->band->GetColorInterpretation())) {
    throw Error(ErrorKind::kGis, path,
                "band " + std::to_string(band) + " is the " +
                    GDALGetColorInterpretationName(impl->band->GetColorInterpretation()) +
                    " channel of an image, not elevations",
                "give a DEM: one band of elevations in metres (e.g. SRTM, ASTER GDEM, a LANDFIRE LCP's band 1)");
  }
  if (impl->ds->GetGeoTransform(impl->gt.data()) != CE_None) {
    throw Error(ErrorKind::kGis, path, "raster has no geotransform (not georeferenced)",
                "georeference it, e.g. gdal_translate -a_ullr ... -a_srs EPSG:32649");
  }
  for (double v : impl->gt) {
    if (!std::isfinite(v)) {
      throw Error(ErrorKind::kGis, path, "raster geotransform has a non-finite entry",
                  "fix its georeferencing, e.g. gdal_translate -a_ullr ... -a_srs EPSG:32649");
    }
  }
  if (impl->gt[1] == 0 || impl->gt[5] == 0) {
    throw Error(ErrorKind::kGis, path, "raster cell size is zero",
                "fix its georeferencing (gdalinfo shows Pixel Size)");
  }
  if (impl->gt[2] != 0 || impl->gt[4] != 0) {
    throw Error(ErrorKind::kGis, path, "rotated geotransforms are not supported",
                "warp it to a north-up grid: gdalwarp -t_srs EPSG:32649 in.tif out.tif");
  }
  const OGRSpatialReference* srs = impl->ds->GetSpatialRef();
  if (srs == nullptr || srs->IsEmpty()) {
    throw Error(ErrorKind::kGis, path, "raster has no coordinate reference system",
                "assign the right one, e.g. gdal_edit.py -a_srs EPSG:32649 " + path);
  }
  impl->georef = std::make_shared<Georef>(path, *srs);
  int has_nd = 0;
  const double nd = impl->band->GetNoDataValue(&has_nd);
  if (has_nd) impl->nodata = nd;
  return Raster(std::move(impl));
}

const std::string& Raster::path() const { return impl_->path; }
int Raster::band() const { return impl_->band_no; }
int Raster::rows() const { return impl_->rows; }
int Raster::cols() const { return impl_->cols; }
int Raster::band_count() const { return impl_->ds->GetRasterCount(); }
const GeoTransform& Raster::geotransform() const { return impl_->gt; }
const std::string& Raster::wkt() const { return impl_->georef->wkt(); }
std::optional<double> Raster::nodata() const { return impl_->nodata; }

bool Raster::Contains(LonLat ll) const {
  auto px = impl_->PixelOf(ll);
  return px && px->x >= 0 && px->y >= 0 && px->x < impl_->cols && px->y < impl_->rows;
}

Grid Raster::ReadAll() const { return impl_->Read(0, 0, impl_->rows, impl_->cols); }

Grid Raster::ReadWindow(LonLat centre, Metres radius, int margin_cells) const {
  auto px = impl_->PixelOf(centre);
  if (!px || !(px->x >= 0 && px->y >= 0 && px->x < impl_->cols && px->y < impl_->rows)) {
    Grid whole;
    whole.rows = impl_->rows;
    whole.cols = impl_->cols;
    whole.gt = impl_->gt;
    whole.georef = impl_->georef;
    std::string extent;
    try {
      LonLat a = whole.CrsToWgs84(whole.PixelToCrs(0, 0));
      LonLat b = whole.CrsToWgs84(whole.PixelToCrs(whole.cols, whole.rows));
      extent = " (raster covers about lon " + std::to_string(std::min(a.lon, b.lon)) + ".." +
               std::to_string(std::max(a.lon, b.lon)) + ", lat " + std::to_string(std::min(a.lat, b.lat)) + ".." +
               std::to_string(std::max(a.lat, b.lat)) + ")";
    } catch (const Error&) {
    }
    throw Error(
        ErrorKind::kGis, impl_->path,
        "point " + std::to_string(centre.lon) + "," + std::to_string(centre.lat) + " is outside the raster" + extent,
        "check --at LON,LAT (WGS84, longitude first) or use a DEM that covers the incident");
  }
  double mx = 0, my = 0;
  internal::CellSizeMetres(impl_->georef->srs(), impl_->gt[1], impl_->gt[5], centre.lat, &mx, &my);
  if (!(mx > 0) || !(my > 0) || !std::isfinite(mx) || !std::isfinite(my)) {
    throw Error(ErrorKind::kGis, impl_->path, "cannot tell the raster's cell size in metres",
                "check its CRS and pixel size (gdalinfo)");
  }
  const double r = std::max(0.0, radius.value());
  const double rx = r / mx;
  const double ry = r / my;
  const double m = std::max(0, margin_cells);
  // Cells whose centre (index + 0.5) lies within [p - rx, p + rx] (with 1e-6 cell of slack for the
  // round trip through PROJ), always with the centre cell; clamped to the raster in floating point before
  // any conversion to int (tiny cells make rx larger than any int).
  constexpr double kEps = 1e-6;
  auto clamp = [](double v, int hi) { return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(hi))); };
  const int c0 = clamp(std::min(std::ceil(px->x - rx - 0.5 - kEps) - m, std::floor(px->x)), impl_->cols - 1);
  const int c1 = clamp(std::max(std::floor(px->x + rx - 0.5 + kEps) + m, std::floor(px->x)), impl_->cols - 1);
  const int r0 = clamp(std::min(std::ceil(px->y - ry - 0.5 - kEps) - m, std::floor(px->y)), impl_->rows - 1);
  const int r1 = clamp(std::max(std::floor(px->y + ry - 0.5 + kEps) + m, std::floor(px->y)), impl_->rows - 1);
  Grid g = impl_->Read(r0, c0, r1 - r0 + 1, c1 - c0 + 1);
  if (g.NodataCount() == g.z.size()) {
    throw Error(ErrorKind::kGis, impl_->path,
                "no data around " + std::to_string(centre.lon) + "," + std::to_string(centre.lat) + ": all " +
                    std::to_string(g.z.size()) + " cells within " + std::to_string(static_cast<int>(r)) +
                    " m are nodata (or NaN/infinite)",
                "check the raster (gdalinfo -stats) or give one that covers the incident with data");
  }
  return g;
}

std::optional<float> Raster::ValueAt(LonLat ll) const {
  auto px = impl_->PixelOf(ll);
  if (!px || !(px->x >= 0 && px->y >= 0 && px->x < impl_->cols && px->y < impl_->rows)) return std::nullopt;
  Grid g = impl_->Read(static_cast<int>(px->y), static_cast<int>(px->x), 1, 1);
  return g.At(0, 0);
}

}  // namespace firebreak::gis
