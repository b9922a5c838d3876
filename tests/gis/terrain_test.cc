// Slope, aspect, slope classes and landforms on planes and on the synthetic demo terrain whose features are
// known by construction (gis/src/demo_data.cc).
#include "firebreak/gis/terrain.h"

#include <cmath>
#include <numbers>
#include <random>

#include <Eigen/Dense>

#include <gtest/gtest.h>

#include "firebreak/gis/demo_data.h"

namespace firebreak::gis {
namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;

TEST(SlopeClass, BoundsOnBothSides) {
  static const struct {
    double deg;
    SlopeClass want;
  } cases[] = {
      {0.0, SlopeClass::kFlat},
      {4.999, SlopeClass::kFlat},
      {5.0, SlopeClass::kGentle},
      {14.999, SlopeClass::kGentle},
      {15.0, SlopeClass::kInclined},
      {24.999, SlopeClass::kInclined},
      {25.0, SlopeClass::kSteep},
      {34.999, SlopeClass::kSteep},
      {35.0, SlopeClass::kVerySteep},
      {44.999, SlopeClass::kVerySteep},
      {45.0, SlopeClass::kPrecipitous},
      {89.0, SlopeClass::kPrecipitous},
      {std::nan(""), SlopeClass::kUnknown},
  };
  for (const auto& c : cases) EXPECT_EQ(ClassifySlope(c.deg), c.want) << c.deg;
  EXPECT_EQ(SlopeClassName(SlopeClass::kSteep, true), "陡坡");
  EXPECT_EQ(SlopeClassName(SlopeClass::kPrecipitous, false), "precipitous");
}

// A plane z = a*east + b*north on a north-up grid with given cell sizes.
Grid Plane(double a, double b, double cx = 30, double cy = 30, int n = 7) {
  Grid g = MakeGrid(n, n, {0, cx, 0, n * cy, 0, -cy}, "");
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double east = (c + 0.5) * cx, north = (n - r - 0.5) * cy;
      g.z[g.Index(r, c)] = static_cast<float>(a * east + b * north);
    }
  return g;
}

TEST(SlopeAspect, PlanesGiveExactSlopeAndDownslopeAspect) {
  static const struct {
    double a, b;    // dz/deast, dz/dnorth
    double aspect;  // downslope azimuth
  } cases[] = {
      {0.0, 0.5, 180.0},   // rises to the north: faces south
      {0.0, -0.5, 0.0},    // rises to the south: faces north
      {0.5, 0.0, 270.0},   // rises to the east: faces west
      {-0.5, 0.0, 90.0},   // rises to the west: faces east
      {0.3, 0.3, 225.0},   // rises to the north-east: faces south-west
      {-1.0, 1.0, 135.0},  // rises to the north-west: faces south-east
  };
  for (const auto& c : cases) {
    Grid g = Plane(c.a, c.b);
    SlopeAspect sa = ComputeSlopeAspect(g);
    const double want = std::atan(std::hypot(c.a, c.b)) * kDeg;
    const std::size_t mid = g.Index(3, 3);
    EXPECT_NEAR(sa.slope_deg[mid], want, 1e-3) << c.a << "," << c.b;
    double d = std::fmod(sa.aspect_deg[mid] - c.aspect + 540.0, 360.0) - 180.0;
    EXPECT_NEAR(d, 0.0, 1e-3) << c.a << "," << c.b;
  }
}

TEST(SlopeAspect, UnequalCellSizesAreRespected) {
  // 0.5 rise per metre north on 20 m x 40 m cells.
  Grid g = Plane(0.0, 0.5, 20, 40);
  SlopeAspect sa = ComputeSlopeAspect(g);
  EXPECT_NEAR(sa.slope_deg[g.Index(3, 3)], std::atan(0.5) * kDeg, 1e-3);
}

TEST(SlopeAspect, EdgesAndNodataNeighboursAreUnknownOthersNot) {
  Grid g = Plane(0.1, 0.2, 30, 30, 9);
  g.z[g.Index(4, 4)] = std::nanf("");
  SlopeAspect sa = ComputeSlopeAspect(g, 2);
  EXPECT_TRUE(std::isnan(sa.slope_deg[g.Index(0, 3)]));  // edge
  EXPECT_TRUE(std::isnan(sa.slope_deg[g.Index(3, 8)]));  // edge
  for (int r = 3; r <= 5; ++r)
    for (int c = 3; c <= 5; ++c) {
      EXPECT_TRUE(std::isnan(sa.slope_deg[g.Index(r, c)])) << r << "," << c;
      EXPECT_EQ(sa.slope_class[g.Index(r, c)], static_cast<std::uint8_t>(SlopeClass::kUnknown));
    }
  EXPECT_FALSE(std::isnan(sa.slope_deg[g.Index(2, 2)]));
  EXPECT_FALSE(std::isnan(sa.slope_deg[g.Index(6, 6)]));
}

TEST(SlopeAspect, FlatHasZeroSlopeAndNoAspect) {
  Grid g = Plane(0, 0);
  SlopeAspect sa = ComputeSlopeAspect(g);
  EXPECT_EQ(sa.slope_deg[g.Index(3, 3)], 0.0f);
  EXPECT_TRUE(std::isnan(sa.aspect_deg[g.Index(3, 3)]));
  EXPECT_EQ(sa.slope_class[g.Index(3, 3)], static_cast<std::uint8_t>(SlopeClass::kFlat));
}

TEST(SlopeAspect, ThreadsDoNotChangeResults) {
  DemoTerrain t = MakeDemoTerrain(60.0);
  SlopeAspect one = ComputeSlopeAspect(t.dem, 1);
  SlopeAspect two = ComputeSlopeAspect(t.dem, 3);
  ASSERT_EQ(one.slope_deg.size(), two.slope_deg.size());
  for (std::size_t i = 0; i < one.slope_deg.size(); ++i) {
    ASSERT_TRUE((std::isnan(one.slope_deg[i]) && std::isnan(two.slope_deg[i])) || one.slope_deg[i] == two.slope_deg[i]);
  }
}

// Landforms present within `radius` cells of a point.
std::uint8_t FlagsNear(const Grid& g, const Terrain& t, LonLat at, int radius) {
  auto cell = g.CellOf(at);
  EXPECT_TRUE(cell.has_value());
  std::uint8_t bits = 0;
  for (int r = cell->first - radius; r <= cell->first + radius; ++r)
    for (int c = cell->second - radius; c <= cell->second + radius; ++c)
      if (g.InBounds(r, c)) bits |= t.landform[g.Index(r, c)];
  return bits;
}

class DemoTerrainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = new DemoTerrain(MakeDemoTerrain());
    terrain_ = new Terrain(AnalyzeTerrain(demo_->dem));
  }
  static void TearDownTestSuite() {
    delete terrain_;
    delete demo_;
  }
  static DemoTerrain* demo_;
  static Terrain* terrain_;
};
DemoTerrain* DemoTerrainTest::demo_ = nullptr;
Terrain* DemoTerrainTest::terrain_ = nullptr;

TEST_F(DemoTerrainTest, KnownFeaturesAreFoundWhereTheyAreAndNotElsewhere) {
  static const struct {
    const char* name;
    LonLat DemoTerrain::*at;
    std::uint8_t must;      // all of these within 1 cell
    std::uint8_t must_not;  // none of these within 1 cell
  } cases[] = {
      {"ridge", &DemoTerrain::ridge, kRidge, kValley | kSaddle | kBoxCanyon | kCliff},
      {"saddle", &DemoTerrain::saddle, kSaddle, kValley | kBoxCanyon | kCliff | kSteepSlope},
      {"gorge", &DemoTerrain::gorge, kValley | kNarrowValley | kSteepSlope, kBoxCanyon | kRidge},
      {"box canyon", &DemoTerrain::box_canyon, kValley | kBoxCanyon, kRidge | kSaddle},
      {"cliff", &DemoTerrain::cliff, kCliff | kSteepSlope, kBoxCanyon},
      {"below cliff", &DemoTerrain::below_cliff, kBelowCliff, kCliff | kRidge},
      {"plain", &DemoTerrain::plain, 0, 0xFF},
      {"massif top", &DemoTerrain::massif_top, 0, kRidge | kValley | kSaddle | kBoxCanyon | kCliff | kSteepSlope},
  };
  const Grid& g = demo_->dem;
  for (const auto& c : cases) {
    const std::uint8_t near = FlagsNear(g, *terrain_, demo_->*(c.at), 1);
    EXPECT_EQ(near & c.must, c.must) << c.name << ": flags " << int(near);
    EXPECT_EQ(near & c.must_not, 0) << c.name << ": flags " << int(near);
  }
}

TEST_F(DemoTerrainTest, SlopeClassesMatchTheConstruction) {
  const Grid& g = demo_->dem;
  auto at = [&](LonLat ll) {
    auto cell = g.CellOf(ll);
    return terrain_->sa.slope_deg[g.Index(cell->first, cell->second)];
  };
  EXPECT_LT(at(demo_->plain), 1.0f);       // 0.005 m/m tilt: 0.29°
  EXPECT_GT(at(demo_->cliff), 60.0f);      // tanh edge, about 70°
  EXPECT_LT(at(demo_->massif_top), 5.0f);  // flat top
}

TEST_F(DemoTerrainTest, FocusRestrictsExpensiveClassesOnly) {
  const Grid& g = demo_->dem;
  auto cell = g.CellOf(demo_->ridge);
  Terrain focused = AnalyzeTerrain(g, TerrainParams{}, cell);
  // The box canyon is more than 1.5 km from the ridge point: not evaluated there.
  EXPECT_EQ(FlagsNear(g, focused, demo_->box_canyon, 1) & kBoxCanyon, 0);
  // Ridges and cliffs are still computed everywhere.
  EXPECT_NE(FlagsNear(g, focused, demo_->cliff, 1) & kCliff, 0);
}

TEST(DemoTerrain, IsDeterministic) {
  DemoTerrain a = MakeDemoTerrain(120.0);
  DemoTerrain b = MakeDemoTerrain(120.0);
  EXPECT_EQ(a.dem.z, b.dem.z);
  EXPECT_EQ(a.fuel.z, b.fuel.z);
  EXPECT_EQ(a.dem.rows, 100);
}

}  // namespace
}  // namespace firebreak::gis

namespace firebreak::gis {
namespace {

// The quadratic fit (Wood 1996) against an analytic surface (exact: a quadratic is its own least-squares fit)
// and against a direct least-squares solve (Eigen QR) of the same 9 points, on random windows.
TEST(QuadraticFit, ExactOnAQuadraticAndEqualToADirectSolve) {
  const double hx = 30, hy = 45;
  const QuadraticFit fit = QuadraticFit::Make(hx, hy);
  auto window = [&](auto z) {
    std::array<double, 9> w{};
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) w[r * 3 + c] = z((c - 1) * hx, (1 - r) * hy);
    return w;
  };
  const auto q = fit.Apply(window(
      [](double x, double y) { return 0.002 * x * x - 0.001 * y * y + 0.0005 * x * y + 0.3 * x - 0.2 * y + 100; }));
  EXPECT_NEAR(q.a, 0.002, 1e-12);
  EXPECT_NEAR(q.b, -0.001, 1e-12);
  EXPECT_NEAR(q.c, 0.0005, 1e-12);
  EXPECT_NEAR(q.d, 0.3, 1e-10);
  EXPECT_NEAR(q.e, -0.2, 1e-10);
  EXPECT_NEAR(q.f, 100, 1e-9);
  // A plane: no curvature, the gradient of the plane.
  const auto plane = fit.Apply(window([](double x, double y) { return 3 * x + 4 * y; }));
  EXPECT_NEAR(plane.a, 0, 1e-12);
  EXPECT_NEAR(plane.d, 3, 1e-12);
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0, 500);
  for (int n = 0; n < 200; ++n) {
    std::array<double, 9> w;
    for (double& v : w) v = u(rng);
    Eigen::Matrix<double, 9, 6> A;
    Eigen::Matrix<double, 9, 1> z;
    for (int r = 0, k = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c, ++k) {
        const double x = (c - 1) * hx, y = (1 - r) * hy;
        A.row(k) << x * x, y * y, x * y, x, y, 1.0;
        z[k] = w[k];
      }
    const Eigen::Matrix<double, 6, 1> direct = A.colPivHouseholderQr().solve(z);
    const auto got = fit.Apply(w);
    const double g[6] = {got.a, got.b, got.c, got.d, got.e, got.f};
    for (int i = 0; i < 6; ++i) EXPECT_NEAR(g[i], direct[i], 1e-9 * (1 + std::abs(direct[i]))) << n << " " << i;
  }
}

}  // namespace
}  // namespace firebreak::gis
