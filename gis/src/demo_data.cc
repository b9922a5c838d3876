#include "firebreak/gis/demo_data.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include <ogrsf_frmts.h>

#include "gdal_util.h"

namespace firebreak::gis {

namespace {

constexpr double kExtent = 12000.0;  // metres, square
constexpr double kCentreLon = 109.30;
constexpr double kCentreLat = 25.00;

double Step(double t, double w) { return 0.5 * (1.0 + std::tanh(t / w)); }

double Base(double /*x*/, double y) { return 200.0 + 0.005 * y; }

// Elevation (metres) at local coordinates (x east, y north, metres from the south-west corner).
double DemoElevation(double x, double y) {
  double z = Base(x, y);
  // East-west ridge along y = 8000, 350 m high, with a saddle (200 m dip) at x = 6000.
  const double ridge_h = 350.0 - 200.0 * std::exp(-0.5 * std::pow((x - 6000.0) / 450.0, 2));
  z += ridge_h * std::exp(-0.5 * std::pow((y - 8000.0) / 400.0, 2));
  // Flat-topped massif with cliff edges (tanh edges, 60 m wide: about 70° at the steepest).
  const double mesa = 350.0 * Step(x - 7500, 60) * Step(11000 - x, 60) * Step(y - 1500, 60) * Step(5000 - y, 60);
  // Box canyon: a 240 m wide slot along y = 3250 from the massif's west edge to its head at x = 9500.
  const double slot = Step(120.0 - std::abs(y - 3250.0), 30) * Step(9500.0 - x, 30);
  z += mesa * (1.0 - slot);
  // Narrow gorge through the ridge at x = 3000: 45° V walls down to 5 m below the base.
  z = std::min(z, Base(x, y) - 5.0 + std::abs(x - 3000.0));
  return z;
}

// Scott & Burgan (2005) fuel model code at local coordinates.
float DemoFuel(double x, double y, double z) {
  if (x > 7500 && x < 11000 && y > 1500 && y < 5000) {
    if (std::abs(y - 3250) < 150 && x < 9500) return 122;  // GS2 grass-shrub on the canyon floor
    if (z > 400) return 165;                               // TU5 timber-shrub (young conifer) on the massif
  }
  if (y > 6500 && y < 8000 && x > 4000 && x < 8000) return 145;  // SH5 high-load dry shrub below the saddle
  if (x < 5000 && y < 5000) return 102;                          // GR2 grass on the plain
  return 183;                                                    // TL3 conifer litter (not dangerous)
}

struct Frame {
  double e0 = 0, n0 = 0;  // UTM 49N of the local origin (south-west corner)
};

Frame DemoFrame() {
  OGRSpatialReference wgs = internal::Wgs84();
  OGRSpatialReference utm = internal::SrsFromUser("demo", "EPSG:32649");
  internal::QuietGdal quiet;
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &utm));
  if (!ct) internal::ThrowGis("demo", "cannot create the WGS84 -> UTM 49N transformation", "check the PROJ install");
  double x = kCentreLon, y = kCentreLat;
  ct->Transform(1, &x, &y);
  Frame f;
  // Snap to whole kilometres so the grid is reproducible to the bit.
  f.e0 = std::round(x / 1000.0) * 1000.0 - kExtent / 2;
  f.n0 = std::round(y / 1000.0) * 1000.0 - kExtent / 2;
  return f;
}

LonLat LocalToWgs84(const Grid& g, const Frame& f, double x, double y) { return g.CrsToWgs84({f.e0 + x, f.n0 + y}); }

}  // namespace

DemoTerrain MakeDemoTerrain(double cell_m) {
  const Frame f = DemoFrame();
  const int n = static_cast<int>(std::lround(kExtent / cell_m));
  const GeoTransform gt{f.e0, cell_m, 0, f.n0 + kExtent, 0, -cell_m};
  DemoTerrain t;
  t.dem = MakeGrid(n, n, gt, "EPSG:32649");
  t.fuel = MakeGrid(n, n, gt, "EPSG:32649");
  for (int r = 0; r < n; ++r) {
    const double y = kExtent - (r + 0.5) * cell_m;
    for (int c = 0; c < n; ++c) {
      const double x = (c + 0.5) * cell_m;
      const double z = DemoElevation(x, y);
      t.dem.z[t.dem.Index(r, c)] = static_cast<float>(z);
      t.fuel.z[t.fuel.Index(r, c)] = DemoFuel(x, y, z);
    }
  }
  const Grid& g = t.dem;
  t.ridge = LocalToWgs84(g, f, 9000, 8000);
  t.saddle = LocalToWgs84(g, f, 6000, 8000);
  t.gorge = LocalToWgs84(g, f, 3000, 8000);
  t.box_canyon = LocalToWgs84(g, f, 8800, 3250);
  t.cliff = LocalToWgs84(g, f, 9250, 5000);
  t.below_cliff = LocalToWgs84(g, f, 9250, 5150);
  t.plain = LocalToWgs84(g, f, 2000, 2000);
  t.massif_top = LocalToWgs84(g, f, 10300, 2300);
  return t;
}

namespace {

// A GeoJSON writer over OGR. Features are added in local metres and stored in the layer's CRS.
class VectorWriter {
 public:
  VectorWriter(const std::string& path, const std::string& layer_name, OGRwkbGeometryType type, const Frame& f,
               bool utm)
      : path_(path), frame_(f) {
    internal::EnsureGdal();
    internal::QuietGdal quiet;
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GeoJSON");
    if (!drv) internal::ThrowGis(path, "GDAL has no GeoJSON driver");
    std::filesystem::remove(path);
    ds_.reset(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds_) internal::ThrowGis(path, "cannot create vector file", "check that the directory is writable");
    utm_srs_ = internal::SrsFromUser(path, "EPSG:32649");
    OGRSpatialReference out = utm ? utm_srs_ : internal::Wgs84();
    char** opts = nullptr;
    opts = CSLSetNameValue(opts, "RFC7946", utm ? "NO" : "YES");
    opts = CSLSetNameValue(opts, "WRITE_NAME", "YES");
    layer_ = ds_->CreateLayer(layer_name.c_str(), &out, type, opts);
    CSLDestroy(opts);
    if (!layer_) internal::ThrowGis(path, "cannot create layer " + layer_name);
    if (!utm) {
      OGRSpatialReference wgs = internal::Wgs84();
      to_out_.reset(OGRCreateCoordinateTransformation(&utm_srs_, &wgs));
    }
  }

  void Field(const char* name, OGRFieldType type) {
    OGRFieldDefn fd(name, type);
    layer_->CreateField(&fd);
  }

  // `set` fills attributes; geometry in UTM 49N (made by Polygon/Line/Point from local metres).
  void Add(std::unique_ptr<OGRGeometry> geom, const std::function<void(OGRFeature&)>& set) {
    internal::QuietGdal quiet;
    OGRFeature feat(layer_->GetLayerDefn());
    set(feat);
    geom->assignSpatialReference(&utm_srs_);
    if (to_out_) geom->transform(to_out_.get());
    feat.SetGeometry(geom.get());
    if (layer_->CreateFeature(&feat) != OGRERR_NONE) internal::ThrowGis(path_, "cannot write feature");
  }

  std::unique_ptr<OGRGeometry> Polygon(std::initializer_list<std::pair<double, double>> pts) const {
    auto ring = std::make_unique<OGRLinearRing>();
    for (auto [x, y] : pts) ring->addPoint(frame_.e0 + x, frame_.n0 + y);
    ring->closeRings();
    auto poly = std::make_unique<OGRPolygon>();
    poly->addRingDirectly(ring.release());
    return poly;
  }
  std::unique_ptr<OGRGeometry> Line(std::initializer_list<std::pair<double, double>> pts) const {
    auto line = std::make_unique<OGRLineString>();
    for (auto [x, y] : pts) line->addPoint(frame_.e0 + x, frame_.n0 + y);
    return line;
  }
  std::unique_ptr<OGRGeometry> Point(double x, double y) const {
    return std::make_unique<OGRPoint>(frame_.e0 + x, frame_.n0 + y);
  }

 private:
  std::string path_;
  Frame frame_;
  internal::DatasetPtr ds_;
  OGRLayer* layer_ = nullptr;
  OGRSpatialReference utm_srs_;
  std::unique_ptr<OGRCoordinateTransformation> to_out_;
};

constexpr const char* kDemoNote = "合成演示数据，非真实地理 / synthetic demo data, not real geography";

// Two invented counties split by a north-south line at x = 5000 (1 km west of the saddle), named after
// the real counties at this spot but with invented shapes.
void WriteCounties(const std::string& path, const Frame& f) {
  VectorWriter w(path, "counties", wkbPolygon, f, false);
  w.Field("name", OFTString);
  w.Field("adcode", OFTInteger);
  w.Field("demo", OFTString);
  w.Field("note", OFTString);
  auto add = [&](const char* name, int code, std::unique_ptr<OGRGeometry> g) {
    w.Add(std::move(g), [&](OGRFeature& ft) {
      ft.SetField("name", name);
      ft.SetField("adcode", code);
      ft.SetField("demo", "true");
      ft.SetField("note", kDemoNote);
    });
  };
  add("融水苗族自治县", 450225, w.Polygon({{-20000, -20000}, {5000, -20000}, {5000, 15000}, {-20000, 15000}}));
  add("融安县", 450224, w.Polygon({{5000, -20000}, {30000, -20000}, {30000, 15000}, {5000, 15000}}));
}

// City outline = union of the two counties; its north edge (y = 15000) is 3 km north of the DEM.
void WriteCity(const std::string& path, const Frame& f) {
  VectorWriter w(path, "city", wkbPolygon, f, false);
  w.Field("name", OFTString);
  w.Field("adcode", OFTInteger);
  w.Field("demo", OFTString);
  w.Field("note", OFTString);
  w.Add(w.Polygon({{-20000, -20000}, {30000, -20000}, {30000, 15000}, {-20000, 15000}}), [](OGRFeature& ft) {
    ft.SetField("name", "柳州市");
    ft.SetField("adcode", 450200);
    ft.SetField("demo", "true");
    ft.SetField("note", kDemoNote);
  });
}

// Three invented settlements.
void WritePlaces(const std::string& path, const Frame& f) {
  VectorWriter w(path, "places", wkbPoint, f, false);
  w.Field("name", OFTString);
  w.Field("kind", OFTString);
  w.Field("population", OFTInteger);
  w.Field("demo", OFTString);
  struct P {
    const char* name;
    const char* kind;
    int pop;
    double x, y;
  };
  const P places[] = {
      {"演示村·山口屯", "village", 320, 4000, 5600},
      {"演示村·峡谷屯", "village", 150, 6800, 3200},
      {"演示镇·平原镇", "town", 8600, 1500, 1500},
  };
  for (const P& p : places) {
    w.Add(w.Point(p.x, p.y), [&](OGRFeature& ft) {
      ft.SetField("name", p.name);
      ft.SetField("kind", p.kind);
      ft.SetField("population", p.pop);
      ft.SetField("demo", "true");
    });
  }
}

// One invented nature reserve.
void WriteSensitive(const std::string& path, const Frame& f) {
  VectorWriter w(path, "sensitive", wkbPolygon, f, false);
  w.Field("name", OFTString);
  w.Field("kind", OFTString);
  w.Field("demo", OFTString);
  w.Add(w.Polygon({{8000, 7000}, {11500, 7000}, {11500, 9500}, {8000, 9500}}), [](OGRFeature& ft) {
    ft.SetField("name", "演示自然保护区");
    ft.SetField("kind", "nature_reserve");
    ft.SetField("demo", "true");
  });
}

// Key targets in UTM 49N (exercises reprojection).
void WriteTargets(const std::string& path, const Frame& f) {
  VectorWriter w(path, "targets", wkbUnknown, f, true);
  w.Field("name", OFTString);
  w.Field("type", OFTString);
  w.Field("demo", OFTString);
  w.Add(w.Line({{500, -5000}, {900, 6000}, {1800, 12000}, {2500, 17000}}), [](OGRFeature& ft) {
    ft.SetField("name", "演示铁路线");
    ft.SetField("type", "railway");
    ft.SetField("demo", "true");
  });
  w.Add(w.Point(10500, 800), [](OGRFeature& ft) {
    ft.SetField("name", "演示化工仓库");
    ft.SetField("type", "hazardous_chemicals");
    ft.SetField("demo", "true");
  });
}

// The layers config naming the files above (docs/layers-config.md).
void WriteLayersConfig(const std::string& path) {
  std::ofstream out(path);
  out << "# firebreak layers config for the synthetic demo area (firebreak demo-data). Format: docs/layers-config.md\n"
         "# All layers are invented (demo: true); paths are relative to this file.\n"
         "counties:\n  file: counties.geojson\n  name_field: name\n  code_field: adcode\n"
         "city:\n  file: city.geojson\n  name_field: name\n"
         "places:\n  file: places.geojson\n  name_field: name\n  threat_km: 2\n"
         "sensitive_areas:\n  file: sensitive.geojson\n  name_field: name\n"
         "key_targets:\n  file: targets.geojson\n  name_field: name\n  type_field: type\n  threat_km: 3\n"
         "  types:\n    railway: railway\n    hazardous_chemicals: hazardous_chemicals\n"
         "    military: military\n    pipeline: oil_gas_pipeline\n    nuclear: nuclear\n"
         "fuel:\n  file: fuel.tif\n  band: 1\n  system: Scott & Burgan 40\n"
         "  dangerous:\n"
         "    shrub: [121-124, 141-149]   # 易燃灌木丛 (grass-shrub GS, shrub SH)\n"
         "    meadow: [101-109]           # 草甸 (grass GR)\n"
         "    young_conifer: [161-165]    # 针叶幼树林 (timber-understory TU)\n"
         "    bamboo: []                  # 高山竹林 (no Scott & Burgan code)\n"
         "  dangerous_fraction: 0.25\n"
         "county_near_km: 5\n"
         "feature_radius_m: 500\n";
  if (!out) throw Error(ErrorKind::kGis, path, "cannot write layers config", "check free disk space");
}

}  // namespace

DemoFiles WriteDemoData(const std::string& outdir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec) throw Error(ErrorKind::kGis, outdir, "cannot create directory: " + ec.message(), "choose a writable OUTDIR");
  const fs::path dir(outdir);
  DemoFiles files;
  files.dem = (dir / "dem.tif").string();
  files.fuel = (dir / "fuel.tif").string();
  files.counties = (dir / "counties.geojson").string();
  files.city = (dir / "city.geojson").string();
  files.places = (dir / "places.geojson").string();
  files.sensitive = (dir / "sensitive.geojson").string();
  files.targets = (dir / "targets.geojson").string();
  files.layers = (dir / "layers.yaml").string();

  DemoTerrain t = MakeDemoTerrain();
  files.points = {{"ridge", t.ridge}, {"saddle", t.saddle},           {"gorge", t.gorge}, {"box_canyon", t.box_canyon},
                  {"cliff", t.cliff}, {"below_cliff", t.below_cliff}, {"plain", t.plain}, {"massif_top", t.massif_top}};
  WriteGeoTiff(t.dem, files.dem);
  WriteGeoTiff(t.fuel, files.fuel);
  const Frame f = DemoFrame();

  WriteCounties(files.counties, f);
  WriteCity(files.city, f);
  WritePlaces(files.places, f);
  WriteSensitive(files.sensitive, f);
  WriteTargets(files.targets, f);
  WriteLayersConfig(files.layers);
  return files;
}

}  // namespace firebreak::gis
