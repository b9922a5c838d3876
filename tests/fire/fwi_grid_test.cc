// Gridded FWI: the fast kernel against the per-cell equations, and `RunFwiGrid` end to end on real GeoTIFF
// files written and read back with GDAL (nodata, yesterday's codes, bad cells, mismatched grids, atomic output).
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/fire/fwi_grid.h"
#include "firebreak/fire/grid.h"
#include "firebreak/rules/loader.h"

namespace firebreak::fire {
namespace {

namespace fs = std::filesystem;

std::uint64_t Seed() {
  const char* env = std::getenv("FIREBREAK_TEST_SEED");
  return env ? std::stoull(env) : 20260314;
}

struct Arrays {
  std::vector<float> t, h, w, r, f, p, d;
};

Arrays RandomWeather(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> T(-5, 40), H(0, 100), W(0, 60), R(0, 1), F(0, 101), P(0, 200), D(0, 800);
  Arrays a;
  for (std::size_t i = 0; i < n; ++i) {
    a.t.push_back(T(rng));
    a.h.push_back(i % 97 == 0 ? 0.0f : i % 89 == 0 ? 100.0f : H(rng));  // the RH limits themselves
    a.w.push_back(W(rng));
    const float u = R(rng);
    a.r.push_back(u < 0.6f ? 0.0f : (u - 0.6f) * 80.0f);  // 60 % dry days, then up to 32 mm
    a.f.push_back(F(rng));
    a.p.push_back(P(rng));
    a.d.push_back(D(rng));
  }
  return a;
}

TEST(FwiGridKernel, FastEqualsThePerCellEquations) {
  const std::size_t n = 200000;
  const Arrays a = RandomWeather(n, Seed());
  FwiGridInput in{n,          a.t.data(), a.h.data(), a.w.data(), a.r.data(),        a.f.data(),
                  a.p.data(), a.d.data(), FwiCodes{}, 4,          DayLengthFor(24.3)};
  ASSERT_FALSE(ValidateFwiGrid(in));
  std::vector<float> plain[7], fast[7];
  for (auto& v : plain) v.resize(n);
  for (auto& v : fast) v.resize(n);
  FwiGridPlain(in, {plain[0].data(), plain[1].data(), plain[2].data(), plain[3].data(), plain[4].data(),
                    plain[5].data(), plain[6].data()});
  FwiGridFast(
      in,
      {fast[0].data(), fast[1].data(), fast[2].data(), fast[3].data(), fast[4].data(), fast[5].data(), fast[6].data()},
      2);
  const char* names[7] = {"ffmc", "dmc", "dc", "isi", "bui", "fwi", "dsr"};
  for (int k = 0; k < 7; ++k) {
    SCOPED_TRACE(names[k]);
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = plain[k][i], y = fast[k][i];
      worst = std::max(worst, std::fabs(x - y) / std::max(1.0, std::fabs(x)));
    }
    EXPECT_LT(worst, 1e-6);  // float32 storage of two double results that agree to ~1e-12
  }
  // And the per-cell path is the published one: cell 0 against Step().
  const FwiDay d0 =
      Step(FwiCodes{a.f[0], a.p[0], a.d[0]}, NoonWeather{4, a.t[0], a.h[0], a.w[0], a.r[0]}, DayLengthFor(24.3));
  EXPECT_FLOAT_EQ(plain[5][0], static_cast<float>(d0.fwi));
}

TEST(FwiGridKernel, NodataAndInvalidCells) {
  std::vector<float> t = {20, NAN, 20}, h = {30, 30, 130}, w = {10, 10, 10}, r = {0, 0, 0};
  FwiGridInput in{
      3, t.data(), h.data(), w.data(), r.data(), nullptr, nullptr, nullptr, FwiCodes{}, 6, DayLengthFor(std::nullopt)};
  std::size_t bad = 0;
  auto why = ValidateFwiGrid(in, &bad);
  ASSERT_TRUE(why);
  EXPECT_EQ(bad, 2u);
  EXPECT_NE(why->find("rh_pct"), std::string::npos);
  h[2] = 30;
  ASSERT_FALSE(ValidateFwiGrid(in));
  std::vector<float> o[7];
  for (auto& v : o) v.resize(3);
  FwiGridFast(in, {o[0].data(), o[1].data(), o[2].data(), o[3].data(), o[4].data(), o[5].data(), o[6].data()});
  EXPECT_TRUE(std::isnan(o[5][1]));
  EXPECT_FALSE(std::isnan(o[5][0]));
  EXPECT_FLOAT_EQ(o[5][0], o[5][2]);
}

class FwiGridFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() / ("firebreak_fwi_grid_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    rules_ = rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A 4-band weather GeoTIFF (UTM 49N, 1 km cells) of rows x cols from arrays.
  std::string WriteStack(const std::string& name, int rows, int cols, const std::vector<std::vector<float>>& bands,
                         double x0 = 600000) {
    const std::string path = (dir_ / name).string();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDataset* ds = drv->Create(path.c_str(), cols, rows, static_cast<int>(bands.size()), GDT_Float32, nullptr);
    double gt[6] = {x0, 1000, 0, 2700000, 0, -1000};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(32649);
    ds->SetSpatialRef(&srs);
    for (std::size_t b = 0; b < bands.size(); ++b) {
      ds->GetRasterBand(static_cast<int>(b) + 1)->SetNoDataValue(-9999);
      EXPECT_EQ(ds->GetRasterBand(static_cast<int>(b) + 1)
                    ->RasterIO(GF_Write, 0, 0, cols, rows, const_cast<float*>(bands[b].data()), cols, rows, GDT_Float32,
                               0, 0),
                CE_None);
    }
    GDALClose(ds);
    return path;
  }
  std::vector<float> ReadBand(const std::string& path, int band, int rows, int cols) {
    GDALDataset* ds = GDALDataset::Open(path.c_str(), GDAL_OF_RASTER);
    EXPECT_NE(ds, nullptr);
    std::vector<float> v(static_cast<std::size_t>(rows * cols));
    EXPECT_EQ(ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, cols, rows, v.data(), cols, rows, GDT_Float32, 0, 0),
              CE_None);
    static const char* const kNames[8] = {"FFMC", "DMC", "DC", "ISI", "BUI", "FWI", "DSR", "CLASS"};
    EXPECT_STREQ(ds->GetRasterBand(band)->GetDescription(), kNames[band - 1]);
    GDALClose(ds);
    return v;
  }
  fs::path dir_;
  engine::RuleSet rules_;
};

TEST_F(FwiGridFiles, StackInGeoTiffOutMatchesThePointEquations) {
  const int rows = 37, cols = 23;  // block edges at 16 rows (below)
  const Arrays a = RandomWeather(static_cast<std::size_t>(rows * cols), Seed() + 1);
  std::vector<float> t = a.t, h = a.h, w = a.w, r = a.r;
  t[5] = -9999;  // nodata
  const std::string wx = WriteStack("wx.tif", rows, cols, {t, h, w, r});
  FwiGridJob job;
  job.weather = wx;
  job.month = 3;
  job.latitude = 24.3;
  job.output = (dir_ / "fwi.tif").string();
  job.block_rows = 16;
  const FwiGridSummary s = RunFwiGrid(job, rules_);
  EXPECT_EQ(s.valid, static_cast<std::size_t>(rows * cols - 1));
  const std::vector<float> fwi = ReadBand(job.output, 6, rows, cols), cls = ReadBand(job.output, 8, rows, cols);
  EXPECT_FLOAT_EQ(fwi[5], -9999);
  std::size_t counted = 0;
  for (std::size_t i = 0; i < fwi.size(); ++i) {
    if (i == 5) continue;
    const FwiDay d = Step(FwiCodes{}, NoonWeather{3, t[i], h[i], w[i], r[i]}, DayLengthFor(24.3));
    ASSERT_NEAR(fwi[i], d.fwi, 1e-4 * std::max(1.0, d.fwi)) << i;
    const int want = d.fwi >= 30 ? 5 : d.fwi >= 20 ? 4 : d.fwi >= 10 ? 3 : d.fwi >= 5 ? 2 : 1;
    ASSERT_EQ(static_cast<int>(cls[i]), want) << i << " fwi " << d.fwi;
    ++counted;
  }
  std::size_t by_class = 0;
  for (std::size_t c : s.class_cells) by_class += c;
  EXPECT_EQ(by_class, counted);
  // Day two from day one's bands 1-3 equals two steps of the point equations.
  FwiGridJob day2 = job;
  day2.yesterday = job.output;
  day2.output = (dir_ / "fwi2.tif").string();
  RunFwiGrid(day2, rules_);
  const std::vector<float> dc2 = ReadBand(day2.output, 3, rows, cols);
  const FwiDay d1 = Step(FwiCodes{}, NoonWeather{3, t[0], h[0], w[0], r[0]}, DayLengthFor(24.3));
  const FwiDay d2 = Step(FwiCodes{static_cast<float>(d1.ffmc), static_cast<float>(d1.dmc), static_cast<float>(d1.dc)},
                         NoonWeather{3, t[0], h[0], w[0], r[0]}, DayLengthFor(24.3));
  EXPECT_NEAR(dc2[0], d2.dc, 1e-3);
}

TEST_F(FwiGridFiles, BadInputLeavesNoOutput) {
  const int rows = 4, cols = 5;
  std::vector<float> t(20, 25), h(20, 30), w(20, 10), r(20, 0);
  h[13] = 104;  // row 2, col 3
  const std::string wx = WriteStack("bad.tif", rows, cols, {t, h, w, r});
  FwiGridJob job;
  job.weather = wx;
  job.month = 4;
  job.output = (dir_ / "out.tif").string();
  try {
    RunFwiGrid(job, rules_);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where(), wx + ": row 2 col 3");
    EXPECT_NE(e.message().find("rh_pct"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(job.output));
  for (const auto& f : fs::directory_iterator(dir_))
    EXPECT_EQ(f.path().filename().string().find(".out.tif"), std::string::npos);
  // A missing band, a foreign grid for yesterday's codes, a month outside 1..12.
  h[13] = 30;
  const std::string ok = WriteStack("ok.tif", rows, cols, {t, h, w, r});
  job.weather = ok;
  job.band_rain = 5;
  EXPECT_THROW(RunFwiGrid(job, rules_), Error);
  job.band_rain = 4;
  job.yesterday = WriteStack("shifted.tif", rows, cols, {t, h, w}, 601000);
  try {
    RunFwiGrid(job, rules_);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
  }
  job.yesterday.clear();
  job.month = 13;
  EXPECT_THROW(RunFwiGrid(job, rules_), Error);
  EXPECT_FALSE(fs::exists(job.output));
}

}  // namespace
}  // namespace firebreak::fire
