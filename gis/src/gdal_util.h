// GDAL/OGR plumbing shared by gis/src (never included from a public header).
#pragma once

#include <memory>
#include <string>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "firebreak/common/error.h"

namespace firebreak::gis::internal {

// Closes a dataset the way GDAL wants (flushes writes).
struct GdalCloser {
  void operator()(GDALDataset* d) const {
    if (d) GDALClose(GDALDataset::ToHandle(d));
  }
};
using DatasetPtr = std::unique_ptr<GDALDataset, GdalCloser>;

// Registers GDAL/OGR drivers once (thread-safe).
void EnsureGdal();

// While alive, GDAL/OGR errors on this thread are recorded, not printed (libraries never print).
class QuietGdal {
 public:
  QuietGdal() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

// GDAL's last error message on this thread, or `fallback` if there is none.
std::string LastGdalError(const std::string& fallback);

// Throws Error(kGis, where, what + ": " + GDAL's message, hint).
[[noreturn]] void ThrowGis(const std::string& where, const std::string& what, const std::string& hint = {});

// A spatial reference from "EPSG:n", WKT, PROJ or anything OGRSpatialReference::SetFromUserInput takes,
// with traditional GIS axis order (x = easting / longitude). Throws Error(kGis, where, ...).
OGRSpatialReference SrsFromUser(const std::string& where, const std::string& text);
// WGS84 lon/lat, traditional axis order.
OGRSpatialReference Wgs84();

// Metres per cell at latitude `lat_deg` for a grid with steps (dx, dy) in `srs` units (see raster.h).
void CellSizeMetres(const OGRSpatialReference& srs, double dx, double dy, double lat_deg, double* mx, double* my);

}  // namespace firebreak::gis::internal
