// Surface fire (Rothermel as BehavePlus computes it): every reference case of surface_cases_public.csv within
// 1e-6 after the README's rounding; the fuel-model table; bad input; properties (monotonicity, vectors, ellipse).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/fire/cases.h"
#include "firebreak/fire/fuel_models.h"
#include "firebreak/fire/surface.h"

namespace firebreak::fire {
namespace {

std::string SharedData(const std::string& rel) {
  const char* env = std::getenv("FIREBREAK_SHARED_DATA");
  return std::string(env ? env : FIREBREAK_SHARED_DATA) + "/" + rel;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Behave : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string p = SharedData("reference/behave-surface/fuel_models.csv");
    if (!std::filesystem::exists(p)) return;
    table_ = new FuelModelTable(FuelModelTable::Load(p));
    fuels_ = new SurfaceFuels(*table_);
  }
  static void TearDownTestSuite() {
    delete fuels_;
    delete table_;
    fuels_ = nullptr;
    table_ = nullptr;
  }
  void SetUp() override {
    if (!fuels_) GTEST_SKIP() << "shared data not available";
  }
  static SurfaceCase Base() {  // GS4, the reference cases' base run (upslope mode)
    SurfaceCase c;
    c.fuel_model = 124;
    c.moisture = {0.06, 0.07, 0.08, 0.60, 0.90};
    c.wind_speed_ftmin = 5 * 88;
    c.canopy_cover = 0.5;
    c.canopy_height_ft = 30;
    c.crown_ratio = 0.5;
    c.slope_deg = std::atan(0.30) * 180 / std::numbers::pi;
    return c;
  }
  static SurfaceOutputs Go(const SurfaceCase& c) { return RunSurface(*fuels_->Find(c.fuel_model), c); }
  static FuelModelTable* table_;
  static SurfaceFuels* fuels_;
};
FuelModelTable* Behave::table_ = nullptr;
SurfaceFuels* Behave::fuels_ = nullptr;

TEST_F(Behave, FuelModelTableHas53StandardModels) {
  int anderson = 0, sb = 0, nb = 0;
  for (const FuelModel& m : table_->models()) {
    if (m.number <= 13)
      ++anderson;
    else if (m.number >= 101)
      ++sb;
    else
      ++nb;
  }
  EXPECT_EQ(anderson, 13);
  EXPECT_EQ(sb, 40);
  EXPECT_EQ(nb, 5);
  EXPECT_EQ(table_->FindCode("gs4")->number, 124);
  EXPECT_DOUBLE_EQ(table_->Find(1)->load[k1h], 0.034);  // Anderson loads are lb/ft² literals
  EXPECT_FALSE(table_->Find(91)->burnable);
  EXPECT_EQ(table_->Find(14), nullptr);
}

// Every public reference case: run through the CASES reader, compared as the README says (round6 or raw).
TEST_F(Behave, EveryPublicReferenceCase) {
  const std::string path = SharedData("reference/behave-surface/surface_cases_public.csv");
  const CasesRun run = RunCases(Slurp(path), path, *fuels_);
  std::map<std::string, std::size_t> col;
  for (std::size_t k = 0; k < run.header.size(); ++k) col[run.header[k]] = k;
  ASSERT_EQ(run.rows.size(), 31u);
  ASSERT_TRUE(run.skipped.empty());
  for (std::size_t i = 0; i < run.rows.size(); ++i) {
    const auto& r = run.rows[i];
    SCOPED_TRACE(r[col["case_id"]] + " " + r[col["output"]] + " [" + r[col["output_units"]] + "]");
    ASSERT_TRUE(run.observed[i]);
    const double expected = std::stod(r[col["expected"]]);
    double obs = *run.observed[i];
    if (r[col["compare_as"]] == "round6") obs = std::round(obs * 1e6) / 1e6;
    EXPECT_LT(std::fabs(obs - expected), std::stod(r[col["tolerance_abs"]])) << "observed " << *run.observed[i];
  }
}

TEST_F(Behave, EllipseAreaMatchesNumericIntegration) {
  SurfaceCase c = Base();
  c.elapsed_min = 120;
  const SurfaceOutputs o = Go(c);
  const Ellipse e = FireEllipse(o.spread, 120);
  // Integrate the ellipse x²/b² + y²/a² <= 1 numerically (midpoint rule over x).
  const int n = 200000;
  double area = 0;
  for (int i = 0; i < n; ++i) {
    const double x = -e.b + (i + 0.5) * 2 * e.b / n;
    area += 2 * e.a * std::sqrt(std::max(0.0, 1 - x * x / (e.b * e.b))) * 2 * e.b / n;
  }
  EXPECT_NEAR(e.area / area, 1.0, 1e-6);
  // Perimeter: the series vs a numeric arc length.
  double per = 0;
  for (int i = 0; i < n; ++i) {
    const double t0 = 2 * std::numbers::pi * i / n, t1 = 2 * std::numbers::pi * (i + 1) / n;
    per += std::hypot(e.b * (std::cos(t1) - std::cos(t0)), e.a * (std::sin(t1) - std::sin(t0)));
  }
  EXPECT_NEAR(e.perimeter / per, 1.0, 1e-5);
  // The ignition point lies on the major axis: head distance = b + c, backing distance = b - c.
  EXPECT_NEAR(o.spread.ros * 120, e.b + e.c, 1e-9);
  EXPECT_NEAR(o.spread.backing_ros * 120, e.b - e.c, 1e-9);
}

TEST_F(Behave, SpreadIncreasesWithWindAndSlopeAndFallsWithMoisture) {
  for (const FuelModel& m : table_->models()) {
    if (!m.burnable) continue;
    SCOPED_TRACE(m.code);
    SurfaceCase c = Base();
    c.fuel_model = m.number;
    double prev = -1;
    for (double mph : {0.0, 1.0, 3.0, 6.0, 10.0, 20.0}) {
      c.wind_speed_ftmin = mph * 88;
      const double r = Go(c).spread.ros;
      EXPECT_GT(r, prev - 1e-12);
      prev = r;
    }
    c.wind_speed_ftmin = 0;
    prev = -1;
    for (double deg : {0.0, 10.0, 20.0, 35.0, 50.0}) {
      c.slope_deg = deg;
      const double r = Go(c).spread.ros;
      EXPECT_GT(r, prev - 1e-12);
      prev = r;
    }
    c.slope_deg = 10;
    prev = 1e30;
    for (double d : {0.03, 0.06, 0.09, 0.12}) {
      c.moisture = {d, d + 0.01, d + 0.02, 0.9, 1.2};
      const double r = Go(c).spread.ros;
      EXPECT_LT(r, prev + 1e-12);
      prev = r;
    }
  }
}

TEST_F(Behave, DirectionOfMaxSpreadFromVectors) {
  SurfaceCase c = Base();
  c.wind_speed_ftmin = 0;
  EXPECT_NEAR(Go(c).dir_max_spread, 0.0, 1e-9);  // pure slope: upslope
  c.orientation = Orientation::kNorth;
  c.aspect_deg = 90;  // faces east: upslope is west
  EXPECT_NEAR(Go(c).dir_max_spread, 270.0, 1e-9);
  c.slope_deg = 0;
  c.wind_speed_ftmin = 5 * 88;
  c.wind_direction_deg = 200;  // wind FROM 200: the fire runs toward 20
  EXPECT_NEAR(Go(c).dir_max_spread, 20.0, 1e-9);
  // Wind across the slope: the direction lies between upslope and downwind, the rate above either alone.
  c = Base();
  c.wind_direction_deg = 90;
  const SurfaceOutputs both = Go(c);
  EXPECT_GT(both.dir_max_spread, 0.0);
  EXPECT_LT(both.dir_max_spread, 90.0);
  SurfaceCase w = c;
  w.slope_deg = 0;
  SurfaceCase s = c;
  s.wind_speed_ftmin = 0;
  EXPECT_GT(both.spread.ros, Go(w).spread.ros);
  EXPECT_GT(both.spread.ros, Go(s).spread.ros);
  // Vector sum: R = R0 + |v_wind + v_slope|.
  const SpreadResult& r = both.spread;
  const double wr = r.ros0 * r.wind_factor, sr = r.ros0 * r.slope_factor;
  EXPECT_NEAR(r.ros, r.ros0 + std::hypot(sr, wr), 1e-9);
}

TEST_F(Behave, DirectionsOfInterest) {
  SurfaceCase c = Base();
  c.wind_direction_deg = 45;
  const SurfaceOutputs head = Go(c);
  for (DirectionMode mode : {DirectionMode::kFromIgnitionPoint, DirectionMode::kFromPerimeter}) {
    c.direction_mode = mode;
    c.direction_of_interest_deg = head.dir_max_spread;
    EXPECT_NEAR(*Go(c).doi_ros, head.spread.ros, 1e-9);  // the head
    c.direction_of_interest_deg = head.dir_max_spread + 180;
    EXPECT_NEAR(*Go(c).doi_ros, head.spread.backing_ros, 1e-9);  // the back
  }
  // Normal to the perimeter at 90°: the flanking rate.
  c.direction_mode = DirectionMode::kFromPerimeter;
  c.direction_of_interest_deg = head.dir_max_spread + 90;
  EXPECT_NEAR(*Go(c).doi_ros, head.spread.flanking_ros, 1e-9);
  // Byram intensity and flame length follow the directional rate.
  const SurfaceOutputs o = Go(c);
  EXPECT_NEAR(*o.doi_intensity, o.spread.heat_per_area * *o.doi_ros / 60, 1e-9);
  EXPECT_NEAR(*o.doi_flame_length, 0.45 * std::pow(*o.doi_intensity, 0.46), 1e-9);
}

TEST_F(Behave, WindLimitAsBehavePlusAppliesIt) {
  SurfaceCase c = Base();
  c.fuel_model = 1;  // short grass: low reaction intensity, the limit bites in strong wind
  c.moisture = {0.06, 0.07, 0.08, 0.6, 0.9};
  c.wind_height = WindHeight::kMidflame;
  c.wind_speed_ftmin = 40 * 88;
  c.slope_deg = 0;
  const SurfaceOutputs off = Go(c);
  c.wind_limit = true;
  const SurfaceOutputs on = Go(c);
  ASSERT_TRUE(on.spread.wind_limit_exceeded);
  EXPECT_NEAR(on.spread.effective_wind, 0.9 * on.spread.reaction_intensity, 1e-9);
  EXPECT_LT(on.spread.ros, off.spread.ros);
}

TEST_F(Behave, NonBurnableAndDynamicCuring) {
  SurfaceCase c = Base();
  for (int nb : {91, 92, 93, 98, 99}) {
    c.fuel_model = nb;
    const SurfaceOutputs o = Go(c);
    EXPECT_EQ(o.spread.ros, 0.0);
    EXPECT_EQ(o.spread.flame_length, 0.0);
  }
  // Curing: all herbs dead below 30 %, none above 120 %, 1.333 - 1.11 M between.
  c.fuel_model = 124;
  for (auto [m, cured] :
       std::vector<std::pair<double, double>>{{0.29, 1.0}, {0.30, 1.0}, {0.60, 0.667}, {1.2, 0.001}, {1.21, 0.0}}) {
    c.moisture.herb = m;
    EXPECT_NEAR(Go(c).spread.cured_fraction, cured, 1e-9) << m;
  }
}

struct BadRow {
  const char* column;
  const char* value;
  const char* message;
};

TEST_F(Behave, BadCasesNameTheRowAndColumn) {
  const std::string path = SharedData("reference/behave-surface/surface_cases_public.csv");
  const std::string text = Slurp(path);
  const std::string head = text.substr(0, text.find('\n'));
  std::vector<std::string> cols;
  for (std::size_t s = 0, e; s <= head.size(); s = e + 1) {
    e = head.find(',', s);
    if (e == std::string::npos) e = head.size();
    cols.push_back(head.substr(s, e - s));
  }
  const std::string row =
      "X,R,f,1,d,124,GS4,none,,BySizeClass,6,7,8,60,90,5,mi/h,20ft,computed_UseCrownRatio,45,north,"
      "30,degrees,95,50,30,0.5,max_spread,,,,,spread_rate,ch/h,19.677584,1e-06,round6,";
  ASSERT_EQ(std::count(row.begin(), row.end(), ',') + 1, static_cast<long>(cols.size()));
  auto with = [&](const std::string& column, const std::string& value) {
    std::vector<std::string> f;
    for (std::size_t s = 0, e; s <= row.size(); s = e + 1) {
      e = row.find(',', s);
      if (e == std::string::npos) e = row.size();
      f.push_back(row.substr(s, e - s));
    }
    for (std::size_t k = 0; k < cols.size(); ++k)
      if (cols[k] == column) f[k] = value;
    std::string out = head + "\n";
    for (std::size_t k = 0; k < f.size(); ++k) out += (k ? "," : "") + f[k];
    return out + "\n";
  };
  EXPECT_NO_THROW(RunCases(with("slope", "90"), "c.csv", *fuels_));
  const BadRow bad[] = {
      {"fuel_model_number", "14", "unknown fuel model"},
      {"fuel_model_number", "abc", "not a number"},
      {"moisture_1h_pct", "0", "moisture must be > 0"},
      {"moisture_live_herb_pct", "-5", "moisture must be > 0"},
      {"wind_speed", "-1", "wind speed"},
      {"slope", "90.5", "slope (degrees)"},
      {"slope", "-1", "slope"},
      {"wind_speed_units", "furlongs", "unknown speed units"},
      {"wind_orientation_mode", "east", "unknown mode"},
      {"output", "speed_of_light", "unknown output"},
      {"output_units", "kg", "units"},
      {"canopy_cover_pct", "120", "canopy cover"},
      {"run_type", "sideways", "unknown run type"},
      {"fuel_model_code", "GR1", "is not fuel model"},
  };
  for (const BadRow& b : bad) {
    SCOPED_TRACE(std::string(b.column) + "=" + b.value);
    try {
      RunCases(with(b.column, b.value), "c.csv", *fuels_);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_EQ(e.where().rfind("c.csv:2:", 0), 0u) << e.ToString();
      EXPECT_NE(e.message().find(std::string("column '") + b.column + "'"), std::string::npos) << e.ToString();
      EXPECT_NE(e.ToString().find(b.message), std::string::npos) << e.ToString();
    }
  }
  // A missing column names the header line.
  std::string no_slope = with("slope", "30");
  no_slope.replace(no_slope.find(",slope,"), 7, ",slopes,");
  try {
    RunCases(no_slope, "c.csv", *fuels_);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "c.csv:1:1");
    EXPECT_NE(e.message().find("missing column 'slope'"), std::string::npos);
  }
}

TEST(FuelModelFile, BadTablesAreInputErrors) {
  EXPECT_THROW(FuelModelTable::Parse("a,b\n1,2\n", "f.csv"), Error);
  try {
    FuelModelTable::Load("/nonexistent/fuel_models.csv");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

}  // namespace
}  // namespace firebreak::fire
