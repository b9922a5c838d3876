// Rasters (DEMs, fuel / land-cover bands) read through GDAL into plain grids.
//
// A Raster is any single band GDAL can open, in any projected or geographic CRS. Points are given in WGS84
// lon/lat (EPSG:4326, lon first) and reprojected to the raster's CRS. Reading a window around a point reads
// only the blocks the window needs, not the whole file.
//
// Conventions (all grids):
//   * row-major, row 0 is the NORTH edge when the geotransform has a negative y step (the usual case);
//   * cell (r, c) is the area whose top-left corner is gt(c, r); its centre is gt(c + 0.5, r + 0.5);
//   * nodata (and any non-finite value) is stored as NaN; Grid::At() returns std::nullopt for it;
//   * cell sizes in metres: for a projected CRS, the geotransform steps times the CRS linear unit; for a
//     geographic CRS, degrees converted at the grid's centre latitude on the WGS84 ellipsoid (meridian and
//     prime-vertical radii of curvature) — exact enough for windows of tens of km.
//
// Thread-safety: a Raster wraps a GDAL dataset and must not be used from two threads at once. A Grid is a
// value; its coordinate transforms are safe to call concurrently (each call creates no shared state).
//
// GDAL headers stay in gis/src: this header only declares an opaque Georef.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "firebreak/common/units.h"
#include "firebreak/engine/incident.h"

namespace firebreak::gis {

using engine::LonLat;

// A point in a raster's own CRS (metres or degrees, as the CRS says).
struct CrsPoint {
  double x = 0;
  double y = 0;
};

// GDAL affine geotransform: x = g[0] + col*g[1] + row*g[2]; y = g[3] + col*g[4] + row*g[5].
using GeoTransform = std::array<double, 6>;

// The CRS of a grid and its transforms to/from WGS84. Opaque (defined in gis/src over OGR). Immutable.
class Georef;

struct Grid {
  int rows = 0;
  int cols = 0;
  std::vector<float> z;  // rows*cols values, row-major; NaN = nodata
  GeoTransform gt{0, 1, 0, 0, 0, -1};
  std::string wkt;      // CRS as WKT (empty only for grids made without a CRS)
  double cell_x_m = 0;  // east-west cell size, metres (> 0)
  double cell_y_m = 0;  // north-south cell size, metres (> 0)
  // Offset of this grid inside the raster it was read from (0,0 for a whole raster or a made grid).
  int row0 = 0;
  int col0 = 0;
  std::shared_ptr<const Georef> georef;  // null only for grids made without a CRS

  std::size_t Index(int r, int c) const { return static_cast<std::size_t>(r) * cols + c; }
  bool InBounds(int r, int c) const { return r >= 0 && c >= 0 && r < rows && c < cols; }
  // Raw value (NaN for nodata). REQUIRES: InBounds(r, c).
  float Raw(int r, int c) const { return z[Index(r, c)]; }
  // Elevation (or class code) at a cell; nullopt outside the grid or at nodata.
  std::optional<float> At(int r, int c) const {
    if (!InBounds(r, c)) return std::nullopt;
    float v = z[Index(r, c)];
    if (std::isnan(v)) return std::nullopt;
    return v;
  }
  std::size_t NodataCount() const;

  // Pixel (fractional col, row; cell centres at +0.5) <-> raster CRS.
  CrsPoint PixelToCrs(double col, double row) const;
  // Returns fractional (col, row) as CrsPoint{x=col, y=row}. Throws Error(kGis) if the geotransform is
  // not invertible.
  CrsPoint CrsToPixel(CrsPoint p) const;
  // CRS <-> WGS84 lon/lat. Throw Error(kGis) if the grid has no CRS or the transform fails.
  LonLat CrsToWgs84(CrsPoint p) const;
  CrsPoint Wgs84ToCrs(LonLat ll) const;
  // Centre of cell (r, c) in WGS84.
  LonLat CellCentreWgs84(int r, int c) const;
  // Cell containing a WGS84 point; nullopt if the point is outside the grid.
  std::optional<std::pair<int, int>> CellOf(LonLat ll) const;  // (row, col)
};

// A grid of `rows` x `cols` cells (all NaN) in the given CRS ("EPSG:32649", a WKT or PROJ string). Cell
// sizes in metres are derived as for a read grid. Throws Error(kGis) for an unknown CRS. Pass an empty
// `crs` for a grid without CRS (tests of pure kernels): then cell sizes are |gt[1]|, |gt[5]| metres and
// the WGS84 transforms throw.
Grid MakeGrid(int rows, int cols, const GeoTransform& gt, std::string_view crs);

// Writes a grid as a single-band Float32 GeoTIFF (DEFLATE), nodata -32768. Throws Error(kGis).
void WriteGeoTiff(const Grid& grid, const std::string& path);

// What a raster band is read for: elevations refuse the channels of an image (red/green/blue/alpha, a palette).
enum class RasterRole { kAny, kElevation };

// Upper bound on the cells one read may hold (a window or a whole band): 25 million cells = 100 MB of floats.
// A 3 km window is 200 x 200 cells on a 30 m DEM, 6000 x 6000 (36 M, refused) on a 1 m lidar DEM.
inline constexpr long long kMaxReadCells = 25'000'000;

class Raster {
 public:
  // Opens `path`, band `band` (1-based). Throws Error(kGis, path, ...) — never anything else, never hangs —
  // if the file is missing, not a regular file (a FIFO or device), or unreadable; the band does not exist or
  // holds complex numbers; the raster has no CRS, no geotransform, a rotated geotransform (not supported), or
  // a geotransform with a zero or non-finite entry; for kElevation, if the band is a colour channel of an
  // image (red, green, blue, alpha, palette, ...).
  static Raster Open(const std::string& path, int band = 1, RasterRole role = RasterRole::kAny);

  Raster(Raster&&) noexcept;
  Raster& operator=(Raster&&) noexcept;
  ~Raster();

  const std::string& path() const;
  int band() const;
  int rows() const;
  int cols() const;
  int band_count() const;
  const GeoTransform& geotransform() const;
  const std::string& wkt() const;
  std::optional<double> nodata() const;

  // True if the WGS84 point falls inside the raster extent.
  bool Contains(LonLat ll) const;

  // The whole band as a Grid. Throws Error(kGis) if it holds more than kMaxReadCells cells.
  Grid ReadAll() const;

  // The cells whose centres lie within the axis-aligned square of half-side `radius` around `centre`
  // (plus `margin_cells` extra cells on each side, for kernels that need neighbours), clipped to the
  // raster. Reads only that window. Throws Error(kGis, path, ...) if `centre` is outside the raster, if the
  // window would hold more than kMaxReadCells cells (cells too small for the radius), or if every cell of the
  // window is nodata (or NaN/infinite): such a raster holds no data for this place.
  Grid ReadWindow(LonLat centre, Metres radius, int margin_cells = 1) const;

  // Value of the cell containing `ll`; nullopt if outside the raster or nodata.
  std::optional<float> ValueAt(LonLat ll) const;

 private:
  struct Impl;
  explicit Raster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A DEM is a Raster whose band holds elevations in metres.
using Dem = Raster;

}  // namespace firebreak::gis
