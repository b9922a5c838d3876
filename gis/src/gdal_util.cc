#include "gdal_util.h"

#include <cmath>
#include <mutex>
#include <numbers>

namespace firebreak::gis::internal {

void EnsureGdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string LastGdalError(const std::string& fallback) {
  const char* msg = CPLGetLastErrorMsg();
  if (msg == nullptr || *msg == '\0') return fallback;
  return msg;
}

void ThrowGis(const std::string& where, const std::string& what, const std::string& hint) {
  const char* msg = CPLGetLastErrorMsg();
  std::string full = what;
  if (msg != nullptr && *msg != '\0') full += " (GDAL: " + std::string(msg) + ")";
  throw Error(ErrorKind::kGis, where, full, hint);
}

OGRSpatialReference SrsFromUser(const std::string& where, const std::string& text) {
  EnsureGdal();
  QuietGdal quiet;
  OGRSpatialReference srs;
  if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE) {
    ThrowGis(where, "unknown coordinate reference system '" + text + "'",
             "give an EPSG code such as EPSG:32649 or EPSG:4326, or a WKT string");
  }
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

OGRSpatialReference Wgs84() {
  EnsureGdal();
  OGRSpatialReference srs;
  srs.SetWellKnownGeogCS("WGS84");
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

void CellSizeMetres(const OGRSpatialReference& srs, double dx, double dy, double lat_deg, double* mx, double* my) {
  if (srs.IsGeographic()) {
    // Radians per CRS angular unit, then the ellipsoid's radii of curvature at this latitude.
    const double rad_per_unit = srs.GetAngularUnits(nullptr);
    const double a = srs.GetSemiMajor(nullptr);
    const double inv_f = srs.GetInvFlattening(nullptr);
    const double f = inv_f > 0 ? 1.0 / inv_f : 0.0;
    const double e2 = f * (2 - f);
    const double phi = lat_deg * std::numbers::pi / 180.0;
    const double s = std::sin(phi);
    const double w = 1 - e2 * s * s;
    const double n = a / std::sqrt(w);                   // prime vertical
    const double m = a * (1 - e2) / (w * std::sqrt(w));  // meridian
    *mx = std::abs(dx) * rad_per_unit * n * std::cos(phi);
    *my = std::abs(dy) * rad_per_unit * m;
  } else {
    const double metres_per_unit = srs.IsProjected() || srs.IsLocal() ? srs.GetLinearUnits(nullptr) : 1.0;
    *mx = std::abs(dx) * metres_per_unit;
    *my = std::abs(dy) * metres_per_unit;
  }
}

}  // namespace firebreak::gis::internal
