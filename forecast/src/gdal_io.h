// GDAL/OGR plumbing for forecast/src (never included from a public header).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "firebreak/gis/raster.h"

namespace firebreak::forecast::internal {

struct DatasetCloser {
  void operator()(GDALDataset* d) const {
    if (d) GDALClose(GDALDataset::ToHandle(d));
  }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;
using GeometryPtr = std::unique_ptr<OGRGeometry>;

// Registers the drivers once (thread-safe).
void EnsureGdal();

// While alive, GDAL errors on this thread are recorded, not printed.
class QuietGdal {
 public:
  QuietGdal();
  ~QuietGdal();
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

// GDAL's last error message on this thread, or `fallback`.
std::string LastGdalError(const std::string& fallback);

// The CRS of a grid (traditional GIS axis order).
OGRSpatialReference GridSrs(const gis::Grid& frame);
OGRSpatialReference Wgs84Srs();

// An in-memory raster window of `rows` x `cols` cells whose top-left cell is (r0, c0) of `frame` (r0, c0 may be
// negative or past the grid: the window may extend beyond it). Band 1 of type `type`, zero-filled.
DatasetPtr MemWindow(const gis::Grid& frame, int r0, int c0, int rows, int cols, GDALDataType type);

// Burns `geoms` (already in the frame's CRS) into band 1 of `ds` with `value`. all_touched: every cell a line or
// polygon touches; otherwise cells whose centre is inside. Throws Error(kGis, where, ...).
void Burn(GDALDataset& ds, const std::vector<OGRGeometry*>& geoms, double value, bool all_touched,
          const std::string& where);

// Reads band 1 of `ds` (rows x cols of `type`) into `out`. Throws Error(kGis, where, ...).
void ReadBand1(GDALDataset& ds, void* out, GDALDataType type, const std::string& where);

// A vector layer's features (geometry reprojected to the frame's CRS, plus the values of `fields`).
struct Feature {
  GeometryPtr geometry;
  std::vector<std::string> values;  // in the order of `fields`
};
// Throws Error(kGis, file, ...) if the file cannot be opened, has no such layer, no CRS, or lacks a field.
std::vector<Feature> ReadFeatures(const std::string& file, const std::string& layer,
                                  const std::vector<std::string>& fields, const OGRSpatialReference& to,
                                  const std::string& what);

// Writes `ds` to `path` through a temporary file in the same directory renamed when complete (never half a file).
// `driver`: "GTiff" or "GeoJSON" (vector). Throws Error(kInput, path, ...) when it cannot be written.
void CommitFile(const std::string& tmp_path, const std::string& path);
std::string TempPathFor(const std::string& path);

}  // namespace firebreak::forecast::internal
