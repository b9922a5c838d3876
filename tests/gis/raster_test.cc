// Raster I/O: windows, CRS transforms, cell sizes, nodata and bad input.
#include "firebreak/gis/raster.h"

#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/test_support/files.h"

namespace firebreak::gis {
namespace {

namespace fs = std::filesystem;

using test_support::SharedData;

std::string TempPath(const std::string& name) {
  const fs::path dir = test_support::ScratchDir("firebreak_gis_raster_test");
  return (dir / name).string();
}

// A 40x50 UTM 49N grid, 30 m cells, elevation = 100 + row + 1000*col (so values identify their cell).
Grid MakeIndexGrid() {
  Grid g = MakeGrid(40, 50, {298000, 30, 0, 2770000, 0, -30}, "EPSG:32649");
  for (int r = 0; r < g.rows; ++r)
    for (int c = 0; c < g.cols; ++c) g.z[g.Index(r, c)] = 100.0f + r + 1000.0f * c;
  return g;
}

TEST(Raster, RoundTripThroughGeoTiffKeepsValuesAndGeoreference) {
  Grid g = MakeIndexGrid();
  g.z[g.Index(3, 4)] = std::nanf("");
  const std::string path = TempPath("index.tif");
  WriteGeoTiff(g, path);
  Raster r = Raster::Open(path);
  EXPECT_EQ(r.rows(), 40);
  EXPECT_EQ(r.cols(), 50);
  Grid back = r.ReadAll();
  ASSERT_EQ(back.z.size(), g.z.size());
  EXPECT_FALSE(back.At(3, 4).has_value());  // nodata survives as unknown
  EXPECT_EQ(back.NodataCount(), 1u);
  EXPECT_FLOAT_EQ(*back.At(39, 49), 100.0f + 39 + 49000.0f);
  EXPECT_DOUBLE_EQ(back.cell_x_m, 30.0);
  EXPECT_DOUBLE_EQ(back.cell_y_m, 30.0);
}

TEST(Raster, PixelWgs84RoundTrip) {
  Grid g = MakeIndexGrid();
  LonLat ll = g.CellCentreWgs84(10, 20);
  // Around 109.0E 25.0N (UTM 49N, central meridian 111E, easting 298 km).
  EXPECT_NEAR(ll.lon, 108.99, 0.05);
  EXPECT_NEAR(ll.lat, 25.02, 0.05);
  auto cell = g.CellOf(ll);
  ASSERT_TRUE(cell.has_value());
  EXPECT_EQ(cell->first, 10);
  EXPECT_EQ(cell->second, 20);
  EXPECT_FALSE(g.CellOf({ll.lon + 1.0, ll.lat}).has_value());
}

TEST(Raster, WindowReadsOnlyCellsWithinRadius) {
  Grid g = MakeIndexGrid();
  const std::string path = TempPath("window.tif");
  WriteGeoTiff(g, path);
  Raster r = Raster::Open(path);
  LonLat centre = g.CellCentreWgs84(20, 25);
  // 90 m = 3 cells each side, plus one margin cell: 9x9 cells centred on (20, 25).
  Grid w = r.ReadWindow(centre, Metres(90), 1);
  EXPECT_EQ(w.rows, 9);
  EXPECT_EQ(w.cols, 9);
  EXPECT_EQ(w.row0, 16);
  EXPECT_EQ(w.col0, 21);
  EXPECT_FLOAT_EQ(*w.At(4, 4), 100.0f + 20 + 25000.0f);
  // The window's geotransform places its cells where the raster's are.
  LonLat again = w.CellCentreWgs84(4, 4);
  EXPECT_NEAR(again.lon, centre.lon, 1e-9);
  EXPECT_NEAR(again.lat, centre.lat, 1e-9);
  // Near an edge the window is clipped, not padded.
  Grid edge = r.ReadWindow(g.CellCentreWgs84(0, 0), Metres(90), 1);
  EXPECT_EQ(edge.rows, 5);
  EXPECT_EQ(edge.cols, 5);
  EXPECT_FLOAT_EQ(*edge.At(0, 0), 100.0f);
}

TEST(Raster, GeographicCellSizesAreConvertedToMetres) {
  // 1 arc-second cells at 25N: about 30.87 m north-south and 28.0 m east-west.
  const double d = 1.0 / 3600.0;
  Grid g = MakeGrid(100, 100, {109.0, d, 0, 25.0 + 50 * d, 0, -d}, "EPSG:4326");
  EXPECT_NEAR(g.cell_y_m, 30.79, 0.05);
  EXPECT_NEAR(g.cell_x_m, 28.06, 0.05);
}

TEST(Raster, MissingFileIsAGisErrorNamingTheFile) {
  try {
    Raster::Open("/nonexistent/dem.tif");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_EQ(e.where(), "/nonexistent/dem.tif");
    EXPECT_NE(e.message().find("not found"), std::string::npos);
  }
}

TEST(Raster, NotARasterIsAGisError) {
  const std::string path = TempPath("not_a_raster.tif");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("hello", f);
    std::fclose(f);
  }
  EXPECT_THROW(Raster::Open(path), Error);
}

TEST(Raster, RasterWithoutCrsIsRejectedWithHint) {
  Grid g = MakeGrid(5, 5, {0, 1, 0, 5, 0, -1}, "");
  for (float& v : g.z) v = 1;
  const std::string path = TempPath("nocrs.tif");
  WriteGeoTiff(g, path);
  try {
    Raster::Open(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_NE(e.message().find("coordinate reference system"), std::string::npos);
    EXPECT_NE(e.hint().find("gdal_edit"), std::string::npos);
  }
}

TEST(Raster, BandOutOfRangeIsRejected) {
  Grid g = MakeIndexGrid();
  const std::string path = TempPath("band.tif");
  WriteGeoTiff(g, path);
  EXPECT_THROW(Raster::Open(path, 2), Error);
  EXPECT_THROW(Raster::Open(path, 0), Error);
}

TEST(Raster, PointOutsideRasterIsAnErrorForWindowsAndUnknownForValues) {
  Grid g = MakeIndexGrid();
  const std::string path = TempPath("outside.tif");
  WriteGeoTiff(g, path);
  Raster r = Raster::Open(path);
  LonLat far{110.5, 25.0};
  EXPECT_FALSE(r.Contains(far));
  EXPECT_FALSE(r.ValueAt(far).has_value());
  try {
    r.ReadWindow(far, Metres(5000));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_NE(e.message().find("outside the raster"), std::string::npos);
  }
}

TEST(Raster, RealDemMissoulaValley) {
  const std::string path = SharedData("fallback_dem_montana_idaho/missoula_valley.tif");
  if (!fs::exists(path)) GTEST_SKIP() << "shared data not available: " << path;
  Raster r = Raster::Open(path);
  EXPECT_EQ(r.cols(), 714);
  EXPECT_EQ(r.rows(), 975);
  ASSERT_TRUE(r.nodata().has_value());
  EXPECT_DOUBLE_EQ(*r.nodata(), -32768.0);
  // Missoula valley floor near 113.99W 46.87N is low (SOURCES.md: elevations 930–2465 m).
  LonLat valley{-114.0, 46.90};
  ASSERT_TRUE(r.Contains(valley));
  auto z = r.ValueAt(valley);
  ASSERT_TRUE(z.has_value());
  EXPECT_GT(*z, 930.0f);
  EXPECT_LT(*z, 2465.0f);
  Grid w = r.ReadWindow(valley, Metres(5000));
  // 5 km at 30.92 m cells: about 2*162+1 cells plus margins, well below the whole raster.
  EXPECT_GE(w.rows, 320);
  EXPECT_LE(w.rows, 330);
  EXPECT_NEAR(w.cell_x_m, 30.92, 0.01);
  auto zw = w.At(w.rows / 2, w.cols / 2);
  ASSERT_TRUE(zw.has_value());
}

}  // namespace
}  // namespace firebreak::gis
