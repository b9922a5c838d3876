// Perimeters at chosen times: the cells burned by then, polygonised with GDAL (4-connected: cells touching only at
// a corner become separate polygons, which keeps every ring simple), checked valid with GEOS.
#include <algorithm>
#include <cmath>

#include <gdal_alg.h>
#include <ogrsf_frmts.h>

#include "firebreak/common/error.h"
#include "gdal_io.h"
#include "internal.h"

namespace firebreak::forecast::internal {

namespace {

std::vector<std::vector<std::pair<double, double>>> Rings(const OGRPolygon& p) {
  std::vector<std::vector<std::pair<double, double>>> rings;
  auto add = [&](const OGRLinearRing* r) {
    std::vector<std::pair<double, double>> pts;
    for (int i = 0; i < r->getNumPoints(); ++i) pts.emplace_back(r->getX(i), r->getY(i));
    rings.push_back(std::move(pts));
  };
  add(p.getExteriorRing());
  for (int i = 0; i < p.getNumInteriorRings(); ++i) add(p.getInteriorRing(i));
  return rings;
}

void Collect(const OGRGeometry& g, Isochrone& out) {
  const auto type = wkbFlatten(g.getGeometryType());
  if (type == wkbPolygon) {
    out.polygons.push_back(Rings(*g.toPolygon()));
  } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
    for (const OGRGeometry* part : *g.toGeometryCollection()) Collect(*part, out);
  }
}

}  // namespace

std::vector<Isochrone> Isochrones(const gis::Grid& frame, const std::vector<float>& arrival_hours,
                                  const std::vector<double>& times, double cell_ha) {
  EnsureGdal();
  QuietGdal quiet;
  // The window that holds every burned cell (polygonising the whole landscape would cost far more).
  int r0 = frame.rows, r1 = -1, c0 = frame.cols, c1 = -1;
  for (int r = 0; r < frame.rows; ++r) {
    for (int c = 0; c < frame.cols; ++c) {
      if (std::isnan(arrival_hours[static_cast<std::size_t>(r) * frame.cols + c])) continue;
      r0 = std::min(r0, r);
      r1 = std::max(r1, r);
      c0 = std::min(c0, c);
      c1 = std::max(c1, c);
    }
  }
  std::vector<Isochrone> out;
  for (double t : times) {
    Isochrone iso;
    iso.hours = t;
    if (r1 < 0) {
      out.push_back(iso);
      continue;
    }
    const int rows = r1 - r0 + 3, cols = c1 - c0 + 3;  // one empty cell around
    DatasetPtr ds = MemWindow(frame, r0 - 1, c0 - 1, rows, cols, GDT_Byte);
    std::vector<std::uint8_t> mask(static_cast<std::size_t>(rows) * cols, 0);
    std::size_t n = 0;
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        const float h = arrival_hours[static_cast<std::size_t>(r) * frame.cols + c];
        if (!std::isnan(h) && h <= t) {
          mask[static_cast<std::size_t>(r - r0 + 1) * cols + (c - c0 + 1)] = 1;
          ++n;
        }
      }
    }
    iso.area_ha = static_cast<double>(n) * cell_ha;
    GDALRasterBand* band = ds->GetRasterBand(1);
    if (band->RasterIO(GF_Write, 0, 0, cols, rows, mask.data(), cols, rows, GDT_Byte, 0, 0) != CE_None) {
      throw Error(ErrorKind::kGis, "isochrones", LastGdalError("cannot fill the mask"));
    }
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("Memory");
    DatasetPtr vds(mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    const OGRSpatialReference srs = GridSrs(frame);
    OGRLayer* layer = vds->CreateLayer("iso", const_cast<OGRSpatialReference*>(&srs), wkbPolygon, nullptr);
    OGRFieldDefn field("v", OFTInteger);
    layer->CreateField(&field);
    if (GDALPolygonize(band, band, layer, 0, nullptr, nullptr, nullptr) != CE_None) {
      throw Error(ErrorKind::kGis, "isochrones", LastGdalError("cannot polygonise"));
    }
    layer->ResetReading();
    for (std::unique_ptr<OGRFeature> f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
      const OGRGeometry* g = f->GetGeometryRef();
      if (!g) continue;
      if (g->IsValid()) {
        Collect(*g, iso);
      } else if (std::unique_ptr<OGRGeometry> fixed(g->MakeValid()); fixed) {
        Collect(*fixed, iso);
      }
    }
    out.push_back(std::move(iso));
  }
  return out;
}

}  // namespace firebreak::forecast::internal
