// Georef: a CRS and its transforms to and from WGS84 (internal; declared opaque in raster.h).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <ogr_spatialref.h>

#include "firebreak/gis/raster.h"

namespace firebreak::gis {

class Georef {
 public:
  // Throws Error(kGis, where, ...) if no transform to WGS84 exists.
  Georef(const std::string& where, const OGRSpatialReference& srs);

  const OGRSpatialReference& srs() const { return srs_; }
  bool geographic() const { return geographic_; }
  const std::string& wkt() const { return wkt_; }

  // Return false if PROJ cannot transform the point. Thread-safe (one mutex per Georef).
  bool ToWgs84(double x, double y, double* lon, double* lat) const;
  bool FromWgs84(double lon, double lat, double* x, double* y) const;

 private:
  OGRSpatialReference srs_;
  bool geographic_ = false;
  std::string wkt_;
  mutable std::mutex mu_;
  std::unique_ptr<OGRCoordinateTransformation> to_wgs84_;
  std::unique_ptr<OGRCoordinateTransformation> from_wgs84_;
};

}  // namespace firebreak::gis
