// Odd GIS inputs (issue 13, "139 odd rasters"): rasters generated here with GDAL — no CRS, no geotransform,
// 0x0, huge dimensions, tiny cells, NaN / nodata / infinity everywhere, complex bands, image channels given as
// a DEM, a missing band, non-finite or zero geotransforms, a FIFO, an empty or truncated file — and odd vector
// layers (GeoJSON with invalid UTF-8, duplicate keys, deep nesting; a shapefile with non-UTF-8 attributes).
// Every one must give Error(kGis) naming the file — in the library and as exit 5 from `firebreak terrain` —
// quickly, never a crash, a hang or an internal error.
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "firebreak/common/error.h"
#include "firebreak/gis/layers.h"
#include "firebreak/gis/raster.h"
#include "firebreak/test_support/files.h"
#include "firebreak/test_support/run.h"

namespace firebreak::gis {
namespace {

namespace fs = std::filesystem;

// The demo area (UTM 49N): a 50 x 50 raster of 30 m cells around this point.
constexpr LonLat kAt{109.32374, 24.97523};
constexpr double kGt[6] = {330000.0, 30.0, 0.0, 2764000.0, 0.0, -30.0};

fs::path Dir() {
  static const fs::path dir = firebreak::test_support::ScratchDir("firebreak_odd_inputs");
  return dir;
}

std::string Utm49() {
  OGRSpatialReference srs;
  srs.importFromEPSG(32649);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string s = wkt;
  CPLFree(wkt);
  return s;
}

struct TiffSpec {
  int w = 50, h = 50, bands = 1;
  GDALDataType type = GDT_Float32;
  bool crs = true, gt = true;
  std::array<double, 6> geo{kGt[0], kGt[1], kGt[2], kGt[3], kGt[4], kGt[5]};
  double fill = 100.0;
  std::optional<double> nodata;
  const char* photometric = nullptr;
  bool palette = false;
};

std::string Tiff(const std::string& name, const TiffSpec& s) {
  GDALAllRegister();
  const std::string path = (Dir() / name).string();
  char** opts = nullptr;
  if (s.photometric) opts = CSLSetNameValue(opts, "PHOTOMETRIC", s.photometric);
  GDALDataset* ds =
      GetGDALDriverManager()->GetDriverByName("GTiff")->Create(path.c_str(), s.w, s.h, s.bands, s.type, opts);
  CSLDestroy(opts);
  if (!ds) return path;
  if (s.gt) ds->SetGeoTransform(const_cast<double*>(s.geo.data()));
  if (s.crs) ds->SetProjection(Utm49().c_str());
  for (int b = 1; b <= s.bands; ++b) {
    GDALRasterBand* band = ds->GetRasterBand(b);
    if (s.nodata) band->SetNoDataValue(*s.nodata);
    if (!GDALDataTypeIsComplex(s.type)) band->Fill(s.fill);
    if (s.palette) {
      GDALColorTable ct;
      GDALColorEntry e{10, 20, 30, 255};
      ct.SetColorEntry(0, &e);
      band->SetColorTable(&ct);
      band->SetColorInterpretation(GCI_PaletteIndex);
    }
  }
  GDALClose(ds);
  return path;
}

std::string Vrt(const std::string& name, const std::string& size, const std::string& gt) {
  const std::string path = (Dir() / name).string();
  std::ofstream(path) << "<VRTDataset " << size << "><SRS>EPSG:32649</SRS><GeoTransform>" << gt
                      << "</GeoTransform><VRTRasterBand dataType=\"Float32\" band=\"1\"/></VRTDataset>";
  return path;
}

std::string Bytes(const std::string& name, const std::string& bytes) {
  const std::string path = (Dir() / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct OddRaster {
  std::string name;
  std::function<std::string()> make;  // returns the path
  std::string what;                   // substring of the message
  int band = 1;
};

std::vector<OddRaster> OddRasters() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  return {
      {"no CRS",
       [] {
         TiffSpec s;
         s.crs = false;
         return Tiff("nocrs.tif", s);
       },
       "no coordinate reference system"},
      {"no geotransform",
       [] {
         TiffSpec s;
         s.gt = false;
         return Tiff("nogt.tif", s);
       },
       "no geotransform"},
      {"NaN everywhere",
       [nan] {
         TiffSpec s;
         s.fill = nan;
         return Tiff("nan.tif", s);
       },
       "no data around"},
      {"nodata everywhere",
       [] {
         TiffSpec s;
         s.fill = -9999;
         s.nodata = -9999;
         return Tiff("nodata.tif", s);
       },
       "no data around"},
      {"NaN nodata, NaN everywhere",
       [nan] {
         TiffSpec s;
         s.fill = nan;
         s.nodata = nan;
         return Tiff("nan-nodata.tif", s);
       },
       "no data around"},
      {"infinity everywhere",
       [inf] {
         TiffSpec s;
         s.fill = inf;
         return Tiff("inf.tif", s);
       },
       "no data around"},
      {"1e300 in Float64 (infinite as float)",
       [] {
         TiffSpec s;
         s.type = GDT_Float64;
         s.fill = 1e300;
         return Tiff("f64.tif", s);
       },
       "no data around"},
      {"complex band",
       [] {
         TiffSpec s;
         s.type = GDT_CFloat32;
         return Tiff("complex.tif", s);
       },
       "complex numbers"},
      {"RGB image as a DEM",
       [] {
         TiffSpec s;
         s.type = GDT_Byte;
         s.bands = 3;
         s.photometric = "RGB";
         return Tiff("rgb.tif", s);
       },
       "channel of an image, not elevations"},
      {"palette image as a DEM",
       [] {
         TiffSpec s;
         s.type = GDT_Byte;
         s.palette = true;
         return Tiff("palette.tif", s);
       },
       "Palette channel of an image"},
      {"band 2 of a one-band raster", [] { return Tiff("oneband.tif", TiffSpec{}); }, "band 2 does not exist", 2},
      {"rotated geotransform",
       [] {
         TiffSpec s;
         s.geo = {330000, 30, 5, 2764000, 5, -30};
         return Tiff("rotated.tif", s);
       },
       "rotated"},
      {"NaN in the geotransform",
       [] { return Vrt("nan-gt.vrt", "rasterXSize=\"50\" rasterYSize=\"50\"", "nan,30,0,2764000,0,-30"); },
       "non-finite"},
      {"zero cell size",
       [] { return Vrt("zero-cell.vrt", "rasterXSize=\"50\" rasterYSize=\"50\"", "330000,0,0,2764000,0,-30"); },
       "cell size is zero"},
      {"0 x 0", [] { return Vrt("zero.vrt", "rasterXSize=\"0\" rasterYSize=\"0\"", "330000,30,0,2764000,0,-30"); },
       "cannot open as a raster"},
      {"2e9 x 2e9 cells of 1 m (a 3 km window: 36 M cells)",
       [] { return Vrt("huge.vrt", "rasterXSize=\"2000000000\" rasterYSize=\"2000000000\"", "0,1,0,2800000,0,-1"); },
       "limit of 25000000 cells"},
      {"tiny cells (1 mm) in a huge raster",
       [] {
         return Vrt("tiny.vrt", "rasterXSize=\"2000000000\" rasterYSize=\"2000000000\"",
                    "329500,0.001,0,2763500,0,-0.001");
       },
       "limit of 25000000 cells"},
      {"empty file", [] { return Bytes("empty.tif", ""); }, "cannot open as a raster"},
      {"garbage TIFF header", [] { return Bytes("garbage.tif", std::string("II*\0", 4) + std::string(100, '\xff')); },
       "cannot open as a raster"},
      {"truncated GeoTIFF",
       [] {
         const std::string whole = Tiff("whole.tif", TiffSpec{});
         std::ifstream in(whole, std::ios::binary);
         std::string head(600, '\0');
         in.read(head.data(), 600);
         return Bytes("truncated.tif", head.substr(0, static_cast<std::size_t>(in.gcount())));
       },
       "raster"},
      {"a FIFO",
       [] {
         const std::string p = (Dir() / "fifo.tif").string();
         ::unlink(p.c_str());
         ::mkfifo(p.c_str(), 0600);
         return p;
       },
       "not a regular file"},
  };
}

TEST(OddRasters, EveryOneIsAGisErrorNamingTheFile) {
  for (const auto& c : OddRasters()) {
    SCOPED_TRACE(c.name);
    const std::string path = c.make();
    const auto t0 = std::chrono::steady_clock::now();
    try {
      Raster r = Raster::Open(path, c.band, RasterRole::kElevation);
      Grid g = r.ReadWindow(kAt, Metres(3000), 2);
      ADD_FAILURE() << "read " << g.rows << " x " << g.cols << " cells";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kGis) << e.ToString();
      EXPECT_EQ(e.where(), path) << e.ToString();
      EXPECT_NE(e.message().find(c.what), std::string::npos) << e.ToString();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  }
}

TEST(OddRasters, BoundariesOnBothSides) {
  // Partial nodata is data: one valid cell is enough for a window to be read (facts say what is unknown).
  TiffSpec s;
  s.fill = -9999;
  s.nodata = -9999;
  const std::string path = Tiff("one-valid.tif", s);
  {
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(path.c_str(), GA_Update));
    float v = 250.0f;
    ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 1, 1, &v, 1, 1, GDT_Float32, 0, 0), CE_None);
    GDALClose(ds);
  }
  Grid g = Raster::Open(path, 1, RasterRole::kElevation).ReadWindow(kAt, Metres(3000), 2);
  EXPECT_EQ(g.NodataCount() + 1, g.z.size());
  // A window of exactly the limit's order passes: 1 m cells, 2.4 km radius -> 4801^2 = 23 M cells <= 25 M.
  const std::string huge =
      Vrt("huge-ok.vrt", "rasterXSize=\"2000000000\" rasterYSize=\"2000000000\"", "0,1,0,2800000,0,-1");
  Raster big = Raster::Open(huge, 1, RasterRole::kElevation);
  EXPECT_THROW(big.ReadWindow(kAt, Metres(2500), 2), Error);  // 5005^2 = 25.05 M cells
  // (VRT without sources reads as zeros, i.e. data; only the size is under test.)
  Grid ok = big.ReadWindow(kAt, Metres(2400), 2);
  EXPECT_LE(static_cast<long long>(ok.rows) * ok.cols, kMaxReadCells);
  // A one-band LCP-like raster: band 1 of a multi-band grey raster is a valid DEM; an RGB band 1 is not.
  TiffSpec lcp;
  lcp.type = GDT_Int16;
  lcp.bands = 3;
  lcp.photometric = "MINISBLACK";
  EXPECT_NO_THROW(Raster::Open(Tiff("lcp.tif", lcp), 1, RasterRole::kElevation));
  TiffSpec rgb;
  rgb.type = GDT_Byte;
  rgb.bands = 3;
  rgb.photometric = "RGB";
  EXPECT_NO_THROW(Raster::Open(Tiff("rgb-any.tif", rgb), 1, RasterRole::kAny));  // e.g. a fuel class map
}

// ------------------------------------------------------------------------------------------- vector layers

std::string Layers(const std::string& name, const std::string& layer_file) {
  const std::string path = (Dir() / name).string();
  std::ofstream(path) << "places:\n  file: " << layer_file << "\n  name_field: name\n";
  return path;
}

std::string Feature(const std::string& props) {
  return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":" + props +
         ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[109.32,24.97]}}]}";
}

TEST(OddVectors, GeoJsonIsCheckedAtItsPlaceBeforeGdalReadsIt) {
  const struct {
    const char* name;
    std::string text;
    std::string where;  // suffix of Error::where() after the file name
    const char* what;
  } cases[] = {
      {"invalid UTF-8 in a name", Feature("{\"name\":\"\xC1\xF8\xD6\xDD\"}"), ":1:81", "invalid UTF-8"},
      {"duplicate key", Feature("{\"name\":\"a\",\"name\":\"b\"}"), ":1:84", "key 'name' given twice"},
      {"deep nesting", Feature("{\"name\":" + std::string(100000, '[') + std::string(100000, ']') + "}"), ":1:140",
       "nesting deeper than 64"},
      {"two values", Feature("{\"name\":\"a\"}") + "{}", ":1:", "a second JSON value"},
  };
  int i = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string layer = Bytes("odd" + std::to_string(i) + ".geojson", c.text);
    const std::string cfg = Layers("odd" + std::to_string(i++) + ".yaml", layer);
    try {
      Layers::Open(cfg);
      ADD_FAILURE() << "loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kGis) << e.ToString();
      EXPECT_EQ(e.where().rfind(layer + c.where, 0), 0u) << e.ToString();
      EXPECT_NE(e.message().find(c.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(OddVectors, NonUtf8AttributesOfAnyFormatAreRefused) {
  // A shapefile written without an encoding: GBK bytes come back raw (no .cpg), and would reach every output.
  GDALAllRegister();
  const std::string shp = (Dir() / "gbk.shp").string();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
  GDALDataset* ds = drv->Create(shp.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRSpatialReference wgs;
  wgs.SetWellKnownGeogCS("WGS84");
  char** lco = CSLSetNameValue(nullptr, "ENCODING", "");
  OGRLayer* layer = ds->CreateLayer("gbk", &wgs, wkbPoint, lco);
  CSLDestroy(lco);
  OGRFieldDefn fd("name", OFTString);
  layer->CreateField(&fd);
  OGRFeature* f = OGRFeature::CreateFeature(layer->GetLayerDefn());
  f->SetField("name", "\xC1\xF8\xD6\xDD");  // 柳州 in GBK
  OGRPoint pt(109.32, 24.97);
  f->SetGeometry(&pt);
  ASSERT_EQ(layer->CreateFeature(f), OGRERR_NONE);
  OGRFeature::DestroyFeature(f);
  GDALClose(ds);
  try {
    Layers::Open(Layers("gbk.yaml", shp));
    ADD_FAILURE() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis) << e.ToString();
    EXPECT_EQ(e.where(), shp + ": places feature 1 field 'name'") << e.ToString();
    EXPECT_NE(e.message().find("invalid UTF-8"), std::string::npos) << e.ToString();
  }
}

// ------------------------------------------------------------------------------------------- the binary

int RunBinary(const std::string& args, std::string* out) {
  auto r = test_support::Run(args);
  *out += r.out;
  return r.code;
}

TEST(OddRasters, TheBinaryExits5NamingTheFile) {
  for (const auto& c : OddRasters()) {
    if (c.band != 1) continue;
    SCOPED_TRACE(c.name);
    const std::string path = c.make();
    std::string out;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(RunBinary("--lang en terrain --dem " + path + " --at 109.32374,24.97523", &out), 5) << out;
    EXPECT_NE(out.find(path), std::string::npos) << out;
    EXPECT_EQ(out.find("internal error"), std::string::npos) << out;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
  }
}

}  // namespace
}  // namespace firebreak::gis
