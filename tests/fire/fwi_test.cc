// FWI System: every value of the Van Wagner & Pickett (1985) check table (../shared/data/reference), the weather
// file readers (whitespace and CSV, errors with line and column), day-length bands and properties of the codes.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/common/time.h"
#include "firebreak/engine/incident.h"
#include "firebreak/fire/facts.h"
#include "firebreak/fire/fwi.h"
#include "firebreak/fire/weather_io.h"
#include "firebreak/rules/loader.h"

#include "../../fire/src/fwi_kernel.h"

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

class VanWagnerTable : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = SharedData("reference/fwi-van-wagner-1985/");
    if (!std::filesystem::exists(dir + "weather_days_1-18.txt")) GTEST_SKIP() << "shared data not available";
    weather_ = ReadWeatherFile(dir + "weather_days_1-18.txt");
    std::istringstream in(Slurp(dir + "fwi_days_1-18.txt"));
    for (std::string line; std::getline(in, line);) {
      std::istringstream l(line);
      std::vector<double> v(6);
      for (double& x : v) l >> x;
      if (l) expected_.push_back(v);
    }
  }
  WeatherSeries weather_;
  std::vector<std::vector<double>> expected_;
};

TEST_F(VanWagnerTable, EveryValueWithinATenth) {
  ASSERT_EQ(weather_.weather.size(), expected_.size());
  ASSERT_EQ(expected_.size(), 18u);
  const auto days = RunFwi(FwiCodes{85, 6, 15}, weather_.weather, DayLengthFor(std::nullopt));
  const char* names[6] = {"FFMC", "DMC", "DC", "ISI", "BUI", "FWI"};
  double worst = 0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const double got[6] = {days[i].ffmc, days[i].dmc, days[i].dc, days[i].isi, days[i].bui, days[i].fwi};
    for (int k = 0; k < 6; ++k) {
      EXPECT_NEAR(got[k], expected_[i][static_cast<std::size_t>(k)], 0.1) << names[k] << " on 4/" << weather_.days[i];
      worst = std::max(worst, std::fabs(got[k] - expected_[i][static_cast<std::size_t>(k)]));
    }
  }
  // The table prints one decimal: equations that are right land within its rounding (we measure 0.05).
  EXPECT_LE(worst, 0.0501);
}

TEST_F(VanWagnerTable, CsvFormReadsTheSameDays) {
  std::ostringstream csv;
  csv << "month,day,temp_c,rh_pct,wind_kmh,rain_mm,station\n";
  for (std::size_t i = 0; i < weather_.weather.size(); ++i) {
    const NoonWeather& w = weather_.weather[i];
    csv << w.month << "," << weather_.days[i] << "," << w.temp_c << "," << w.rh_pct << "," << w.wind_kmh << ","
        << w.rain_mm << ",X\n";
  }
  const WeatherSeries s = ParseWeather(csv.str(), "t.csv");
  const auto a = RunFwi(FwiCodes{}, weather_.weather, DayLengthFor(std::nullopt));
  const auto b = RunFwi(FwiCodes{}, s.weather, DayLengthFor(std::nullopt));
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(a[i].fwi, b[i].fwi);
  // Columns in another order are found by name.
  const WeatherSeries r = ParseWeather("rain_mm,wind_kmh,rh_pct,temp_c,day,month\n0,25,42,17,13,4\n", "r.csv");
  EXPECT_EQ(r.weather[0].month, 4);
  EXPECT_EQ(r.days[0], 13);
  EXPECT_DOUBLE_EQ(r.weather[0].wind_kmh, 25);
  EXPECT_NEAR(Step(FwiCodes{}, r.weather[0], DayLengthFor(std::nullopt)).ffmc, 87.7, 0.05);
}

// Bad input: exit-code kind, the place and the column, for each limit on both sides.
struct BadCase {
  const char* text;
  bool ok;
  const char* where;  // expected "name:line:col" prefix (empty: only the kind is checked)
  const char* what;   // substring of the message
};

TEST(WeatherInput, BoundariesOnBothSides) {
  const BadCase cases[] = {
      {"4 13 17 0 25 0\n", true, "", ""},
      {"4 13 17 100 25 0\n", true, "", ""},
      {"4 13 17 -0.1 25 0\n", false, "w.txt:1:9", "column 'rh_pct'"},
      {"4 13 17 100.1 25 0\n", false, "w.txt:1:9", "0..100"},
      {"4 13 17 40 0 0\n", true, "", ""},
      {"4 13 17 40 -1 0\n", false, "w.txt:1:12", "column 'wind_kmh'"},
      {"4 13 17 40 5 -0.01\n", false, "w.txt:1:14", "column 'rain_mm'"},
      {"0 13 17 40 5 0\n", false, "w.txt:1:1", "column 'month'"},
      {"13 13 17 40 5 0\n", false, "w.txt:1:1", "month"},
      {"4 31 17 40 5 0\n", false, "w.txt:1:3", "column 'day'"},
      {"2 29 17 40 5 0\n", true, "", ""},
      {"4 13 17 40 5\n", false, "w.txt:1:1", "missing column 'rain_mm'"},
      {"4 13 17 40 5 0 9 1\n", false, "w.txt:1:16", "expected 6 values"},
      // The optional year: 7 values on every line, the year first; leap days and the year's end by the calendar.
      {"4 13 17 40 5 0 9\n", false, "w.txt:1:1", "column 'year'"},  // 7 values: "4" read as a year
      {"2026 4 13 17 40 5 0\n", true, "", ""},
      {"1900 4 13 17 40 5 0\n", true, "", ""},
      {"1899 4 13 17 40 5 0\n", false, "w.txt:1:1", "column 'year': must be a whole year 1900..2200"},
      {"2200 4 13 17 40 5 0\n", true, "", ""},
      {"2201 4 13 17 40 5 0\n", false, "w.txt:1:1", "column 'year'"},
      {"2026.5 4 13 17 40 5 0\n", false, "w.txt:1:1", "column 'year'"},
      {"2028 2 29 17 40 5 0\n", true, "", ""},
      {"2026 2 29 17 40 5 0\n", false, "w.txt:1:8", "day must be a whole number 1..28 in month 2 of 2026"},
      {"2026 2 28 17 40 5 0\n2026 3 1 17 40 5 0\n", true, "", ""},
      {"2028 2 28 17 40 5 0\n2028 3 1 17 40 5 0\n", false, "w.txt:2:6", "2028/3/1 does not follow 2028/2/28"},
      {"2026 12 31 17 40 5 0\n2027 1 1 17 40 5 0\n", true, "", ""},
      {"2026 12 31 17 40 5 0\n2026 1 1 17 40 5 0\n", false, "w.txt:2:6", "2026/1/1 does not follow 2026/12/31"},
      {"2026 4 13 17 40 5 0\n2027 4 14 17 40 5 0\n", false, "w.txt:2:6", "does not follow"},
      {"2026 4 13 17 40 5 0\n4 14 17 40 5 0\n", false, "w.txt:2:1", "expected 7 values (year month day"},
      {"year,month,day,temp_c,rh_pct,wind_kmh,rain_mm\n2026,4,13,17,40,5,0\n", true, "", ""},
      {"month,day,temp_c,rh_pct,wind_kmh,rain_mm,year\n4,13,17,40,5,0,2026\n4,14,17,40,5,0,x\n", false, "w.txt:3:16",
       "column 'year'"},
      {"# station X\n\n4 13 17 abc 5 0\n", false, "w.txt:3:9", "not a number"},
      {"4 13 61 40 5 0\n", false, "w.txt:1:6", "temperature"},
      {"", false, "w.txt", "no weather days"},
      {"month,day,temp_c,rh_pct,wind_kmh\n4,13,17,40,5\n", false, "w.txt:1:1", "missing column 'rain_mm'"},
      {"month,day,temp_c,rh_pct,wind_kmh,rain_mm\n4,13,17,40,5\n", false, "w.txt:2:", "fields"},
      {"month,day,temp_c,rh_pct,wind_kmh,rain_mm\n4,13,17,140,5,0\n", false, "w.txt:2:9", "column 'rh_pct'"},
      // The codes carry day to day: consecutive calendar days only, across months and the year's end.
      {"4 13 17 40 5 0\n4 14 17 40 5 0\n", true, "", ""},
      {"4 30 17 40 5 0\n5 1 17 40 5 0\n", true, "", ""},
      {"2 28 17 40 5 0\n3 1 17 40 5 0\n", true, "", ""},
      {"2 28 17 40 5 0\n2 29 17 40 5 0\n3 1 17 40 5 0\n", true, "", ""},
      {"12 31 17 40 5 0\n1 1 17 40 5 0\n", true, "", ""},
      {"4 13 17 40 5 0\n4 15 17 40 5 0\n", false, "w.txt:2:1", "4/15 does not follow 4/13"},
      {"4 14 17 40 5 0\n4 13 17 40 5 0\n", false, "w.txt:2:1", "does not follow"},
      {"4 30 17 40 5 0\n4 1 17 40 5 0\n", false, "w.txt:2:1", "does not follow"},
      {"4 30 17 40 5 0\n5 2 17 40 5 0\n", false, "w.txt:2:1", "does not follow"},
      {"2 29 17 40 5 0\n2 28 17 40 5 0\n", false, "w.txt:2:1", "does not follow"},
      {"4 13 17 40 5 0\n4 13 17 40 5 0\n", false, "w.txt:2:1", "does not follow"},
      {"day,month,temp_c,rh_pct,wind_kmh,rain_mm\n13,4,17,40,5,0\n15,4,17,40,5,0\n", false, "w.txt:3:4",
       "does not follow"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    if (c.ok) {
      EXPECT_NO_THROW(ParseWeather(c.text, "w.txt"));
      continue;
    }
    try {
      ParseWeather(c.text, "w.txt");
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_EQ(e.where().rfind(c.where, 0), 0u) << e.ToString();
      EXPECT_NE(e.ToString().find(c.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(DayLength, LatitudeBands) {
  const DayLength std46 = DayLengthFor(std::nullopt);
  EXPECT_DOUBLE_EQ(std46.le[3], 12.8);  // April, 46°N
  EXPECT_DOUBLE_EQ(std46.lf[0], -1.6);
  const DayLength liuzhou = DayLengthFor(24.3);
  EXPECT_DOUBLE_EQ(liuzhou.le[0], 7.9);   // January, 20°N table: longer winter days than at 46°N
  EXPECT_DOUBLE_EQ(liuzhou.le[5], 10.2);  // June
  EXPECT_DOUBLE_EQ(liuzhou.lf[6], 6.4);   // DC keeps the northern table north of 20°N
  struct {
    double lat, le_jan, lf_jan;
  } table[] = {{30.0, 7.9, -1.6},   {30.01, 6.5, -1.6},  {20.0, 7.9, 1.4},   {20.01, 7.9, -1.6},
               {10.0, 9.0, 1.4},    {10.01, 7.9, 1.4},   {-10.0, 10.1, 1.4}, {-20.0, 10.1, 6.4},
               {-19.99, 10.1, 1.4}, {-29.99, 10.1, 6.4}, {-30.0, 11.5, 6.4}};
  for (const auto& t : table) {
    SCOPED_TRACE(t.lat);
    const DayLength d = DayLengthFor(t.lat);
    EXPECT_DOUBLE_EQ(d.le[0], t.le_jan);
    EXPECT_DOUBLE_EQ(d.lf[0], t.lf_jan);
  }
}

TEST(FwiProperties, MonotoneAndBounded) {
  const NoonWeather dry{4, 25, 20, 20, 0};
  // Rain never dries; more rain wets more.
  double prev_ffmc = 1e9, prev_dmc = 1e9, prev_dc = 1e9;
  for (double rain : {0.0, 0.6, 2.0, 5.0, 20.0, 80.0}) {
    NoonWeather w = dry;
    w.rain_mm = rain;
    const double f = Ffmc(88, w), p = Dmc(40, w, 12.8), d = Dc(300, w, 0.9);
    EXPECT_LE(f, prev_ffmc);
    EXPECT_LE(p, prev_dmc);
    EXPECT_LE(d, prev_dc);
    EXPECT_GE(f, 0);
    EXPECT_LE(f, 101);
    prev_ffmc = f, prev_dmc = p, prev_dc = d;
  }
  // Wind raises ISI; ISI and BUI raise FWI; BUI bounds below.
  EXPECT_LT(Isi(90, 5), Isi(90, 30));
  EXPECT_LT(Fwi(5, 40), Fwi(10, 40));
  EXPECT_LT(Fwi(10, 20), Fwi(10, 60));
  // Eqs. 28a/28b nearly meet at BUI 80 (the published pair jumps by 0.3 % there, 0.016 FWI at ISI 10).
  EXPECT_NEAR(Fwi(10, 80.0), Fwi(10, 80.0001), 0.02);
  // BUI lies in [0, 2 DMC) (eq. 27a tends to 2P as DC grows) and never falls as DC rises.
  for (double p : {0.0, 1.0, 10.0, 100.0, 300.0}) {
    double prev = -1;
    for (double d : {0.0, 15.0, 100.0, 600.0, 5000.0}) {
      EXPECT_GE(Bui(p, d), prev - 1e-9);
      EXPECT_LE(Bui(p, d), 2 * p + 1e-9);
      prev = Bui(p, d);
    }
  }
  EXPECT_DOUBLE_EQ(Dsr(20), 0.0272 * std::pow(20, 1.77));
  // Extreme dryness: FFMC approaches but never exceeds 101.
  FwiCodes c{99, 200, 800};
  for (int i = 0; i < 30; ++i) c = Step(c, NoonWeather{7, 45, 0, 60, 0}, DayLengthFor(std::nullopt)).codes();
  EXPECT_LE(c.ffmc, 101);
  EXPECT_GT(c.ffmc, 99);
}

TEST(FwiProperties, OverwinteringDc) {
  // Lawson & Armitage (2008): Qf = 800 e^(-DCf/400); Qs = a Qf + b (3.94 rw); DCs = 400 ln(800/Qs), at least 15.
  const double qf = 800 * std::exp(-300.0 / 400.0);
  const double qs = 0.75 * qf + 0.75 * 3.94 * 110;
  EXPECT_NEAR(OverwinterDc(300, 110), 400 * std::log(800 / qs), 1e-9);
  EXPECT_DOUBLE_EQ(OverwinterDc(50, 500), 15.0);  // a wet winter: the ordinary start-up value
  EXPECT_GT(OverwinterDc(600, 20), OverwinterDc(600, 200));
}

TEST(FwiTable, ColumnsClassesAndColours) {
  const engine::RuleSet rules = rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  const WeatherSeries s = ParseWeather("4 13 17 42 25 0\n4 14 30 15 40 0\n", "w.txt");
  const auto days = RunFwi(FwiCodes{}, s.weather, DayLengthFor(std::nullopt));
  FwiTableOptions o;
  o.format = "csv";
  const std::string csv = FormatFwiTable(s, days, rules, o);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "month,day,ffmc,dmc,dc,isi,bui,fwi,dsr,class,colour");
  // Day 1: FWI 10.1 -> class 3 (10 or more), yellow.
  EXPECT_NE(csv.find("\n4,13,87.69,8.55,19.01,10.85,8.49,10.10,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",3,yellow\n"), std::string::npos) << csv;
  o.format = "text";
  const std::string zh = FormatFwiTable(s, days, rules, o);
  EXPECT_NE(zh.find("黄色"), std::string::npos);
  o.format = "json";
  EXPECT_NE(FormatFwiTable(s, days, rules, o).find("\"interpretations\": [\n    \"fwi-danger-classes\""),
            std::string::npos);
  EXPECT_EQ(FormatFwiTable(s, days, rules, o).find("\"year\""), std::string::npos);
  // With years: a leading year column (csv, text) and "year" first in each JSON day; the values are the same.
  const WeatherSeries y = ParseWeather("2026 4 13 17 42 25 0\n2026 4 14 30 15 40 0\n", "y.txt");
  ASSERT_EQ(y.years.size(), 2u);
  const auto ydays = RunFwi(FwiCodes{}, y.weather, DayLengthFor(std::nullopt));
  EXPECT_EQ(ydays[1].fwi, days[1].fwi);
  o.format = "csv";
  const std::string ycsv = FormatFwiTable(y, ydays, rules, o);
  EXPECT_EQ(ycsv.substr(0, ycsv.find('\n')), "year,month,day,ffmc,dmc,dc,isi,bui,fwi,dsr,class,colour");
  EXPECT_NE(ycsv.find("\n2026,4,13,87.69,8.55,19.01,10.85,8.49,10.10,"), std::string::npos) << ycsv;
  o.format = "text";
  EXPECT_EQ(FormatFwiTable(y, ydays, rules, o).rfind("year  month", 0), 0u);
  o.format = "json";
  EXPECT_NE(FormatFwiTable(y, ydays, rules, o).find("{\n      \"year\": 2026,\n      \"month\": 4,"),
            std::string::npos);
}

// assess --fire-weather: with years, the report's local year picks the day (a file spanning a year has two 20 May).
TEST(StationDay, TheYearPicksTheDayWhenTheFileHasOne) {
  std::ostringstream with_year, without;
  const std::chrono::sys_days first = std::chrono::year{2025} / 5 / 20;
  std::vector<int> ys;
  for (int i = 0; i < 367; ++i) {  // 2025-05-20 .. 2026-05-21
    const std::chrono::year_month_day d{first + std::chrono::days{i}};
    const double t = 15 + 10 * std::sin(i / 58.0), rh = 40 + 30 * std::cos(i / 7.0), rain = i % 9 == 0 ? 6 : 0;
    const std::string rest = std::to_string(unsigned(d.month())) + " " + std::to_string(unsigned(d.day())) + " " +
                             std::to_string(t) + " " + std::to_string(rh) + " 12 " + std::to_string(rain) + "\n";
    with_year << int(d.year()) << " " << rest;
    without << rest;
  }
  const WeatherSeries a = ParseWeather(with_year.str(), "a.txt"), b = ParseWeather(without.str(), "b.txt");
  const DayLength dl = DayLengthFor(24.3);
  const auto all = RunFwi(FwiCodes{}, a.weather, dl);
  engine::Incident in;
  // 2026-05-20T10:00+08:00 = 02:00Z; the local date is 20 May 2026 (day index 365).
  in.reported_at = Timestamp{
      std::chrono::sys_seconds(std::chrono::sys_days(std::chrono::year{2026} / 5 / 20)).time_since_epoch().count() +
          2 * 3600,
      480};
  const auto with = StationDay(a, FwiCodes{}, dl, in), plain = StationDay(b, FwiCodes{}, dl, in);
  ASSERT_TRUE(with && plain);
  EXPECT_EQ(with->fwi, all[365].fwi);
  EXPECT_EQ(plain->fwi, all[0].fwi);  // without a year: the first 20 May of the file (documented)
  EXPECT_NE(with->fwi, plain->fwi);
  // A local date the file does not have: 2027-05-20 -> none with years, 20 May 2025 without.
  in.reported_at.epoch_s += 365 * 86400;
  EXPECT_FALSE(StationDay(a, FwiCodes{}, dl, in));
  EXPECT_TRUE(StationDay(b, FwiCodes{}, dl, in));
}

}  // namespace
}  // namespace firebreak::fire

namespace firebreak::fire {
namespace {

// The series' paths on this CPU: the portable passes always, the AVX-512 passes where the CPU has them (RunFwi takes
// those there).
std::vector<bool> SeriesPaths() {
  std::vector<bool> paths{false};
  if (detail::FwiHasAvx512()) paths.push_back(true);
  return paths;
}

// Each path's series against Step() day after day, every code and index to 1e-9 (relative above 1).
void ExpectSeriesEqualsStep(const FwiCodes& start, std::span<const NoonWeather> days, const DayLength& dl,
                            const std::string& what) {
  for (const bool avx512 : SeriesPaths()) {
    const auto run = detail::RunFwiSeries(start, days, dl, avx512);
    ASSERT_EQ(run.size(), days.size());
    FwiCodes y = start;
    for (std::size_t i = 0; i < days.size(); ++i) {
      const FwiDay s = Step(y, days[i], dl);
      y = s.codes();
      const double a[7] = {s.ffmc, s.dmc, s.dc, s.isi, s.bui, s.fwi, s.dsr};
      const double b[7] = {run[i].ffmc, run[i].dmc, run[i].dc, run[i].isi, run[i].bui, run[i].fwi, run[i].dsr};
      for (int k = 0; k < 7; ++k)
        ASSERT_NEAR(a[k], b[k], 1e-9 * std::max(1.0, std::fabs(a[k])))
            << what << (avx512 ? ", AVX-512" : ", portable") << ": day " << i << " k " << k;
    }
  }
}

// The vectorised series (RunFwi, both paths) against Step() day after day: the same numbers to 1e-9 over ten random
// years, with the limits of RH (0, 100), heavy rain, frost and calm days included.
TEST(FwiSeries, RunEqualsStepByStep) {
  std::mt19937_64 rng(std::getenv("FIREBREAK_TEST_SEED") ? std::stoull(std::getenv("FIREBREAK_TEST_SEED")) : 11);
  std::uniform_real_distribution<double> t(-10, 40), h(0, 100), w(0, 70), u(0, 1);
  std::vector<NoonWeather> days;
  for (int d = 0; d < 3650; ++d) {
    const double r = u(rng);
    NoonWeather x{(d / 30) % 12 + 1, t(rng), h(rng), w(rng), r < 0.6 ? 0.0 : (r - 0.6) * 120};
    if (d % 50 == 0) x.rh_pct = 0;
    if (d % 51 == 0) x.rh_pct = 100;
    if (d % 53 == 0) x.wind_kmh = 0;
    days.push_back(x);
  }
  EXPECT_EQ(RunFwi(FwiCodes{}, days, DayLengthFor(24.3)).size(), days.size());
  for (std::optional<double> lat : {std::optional<double>(), std::optional<double>(24.3)})
    ExpectSeriesEqualsStep(FwiCodes{}, days, DayLengthFor(lat), lat ? "24.3N" : "46N");
  // the rain thresholds of eqs. 2, 11 and 18 exactly and just above, every other day, from other start-up codes
  std::vector<NoonWeather> edges;
  for (int d = 0; d < 400; ++d) {
    const double rains[] = {0.5, 0.50001, 1.5, 1.50001, 2.8, 2.80001, 0.0, 40.0};
    edges.push_back({d / 31 % 12 + 1, 5.0 + d % 30, 20.0 + d % 80, 1.0 * (d % 40), d % 2 ? rains[d / 2 % 8] : 0.0});
  }
  ExpectSeriesEqualsStep(FwiCodes{60, 40, 300}, edges, DayLengthFor(24.3), "rain thresholds");
}

// Start-up codes below zero (outside eqs. 16 and 23's range; the CLI refuses them): RunFwi still equals Step().
TEST(FwiSeries, NegativeStartCodesEqualStep) {
  std::vector<NoonWeather> days;
  for (int d = 0; d < 30; ++d) days.push_back({6, 20.0 + d % 5, 50.0, 10.0, d % 4 == 1 ? 8.0 : 0.0});
  ExpectSeriesEqualsStep(FwiCodes{85, -5, -20}, days, DayLengthFor(24.3), "negative start");
  const auto run = RunFwi(FwiCodes{85, -5, -20}, days, DayLengthFor(24.3));
  FwiCodes y{85, -5, -20};
  for (std::size_t i = 0; i < days.size(); ++i) {
    const FwiDay s = Step(y, days[i], DayLengthFor(24.3));
    y = s.codes();
    EXPECT_EQ(run[i].dc, s.dc) << "day " << i;
  }
}

// DMC and DC are running sums of short decimals on days without their rain (pe = (0.36 (T + 2.8) + Lf) / 2 with T
// to 0.1 °C), which land exactly on the halfway point of a printed digit: the series must add them in Step()'s order
// to print the same digit. Bit for bit equal to Step() from the start-up codes and from a rain day that wets DC and
// DMC to exactly 0, over 60 days without rain on them (rain of 1 mm wets FFMC only).
TEST(FwiSeries, PrintedCodesAddedInStepsOrder) {
  const DayLength dl = DayLengthFor(24.3);
  for (const FwiCodes start : {FwiCodes{85, 6, 15}, FwiCodes{85, 0, 0}}) {
    std::vector<NoonWeather> days;
    if (start.dc == 0) days.push_back({5, 20.0, 60.0, 10.0, 200.0});  // DC 0 + 200 mm: Q capped, DC after rain 0
    for (int d = 0; d < 60; ++d)
      days.push_back({5 + d / 31, 0.1 * (150 + d * 7 % 190), 30.0 + d % 60, 1.0 * (d % 30), d % 7 == 3 ? 1.0 : 0.0});
    for (const bool avx512 : SeriesPaths()) {
      const auto run = detail::RunFwiSeries(start, days, dl, avx512);
      FwiCodes y = start;
      for (std::size_t i = 0; i < days.size(); ++i) {
        const FwiDay s = Step(y, days[i], dl);
        y = s.codes();
        ASSERT_EQ(run[i].dc, s.dc) << (avx512 ? "AVX-512" : "portable") << " day " << i;
        ASSERT_EQ(run[i].dmc, s.dmc) << (avx512 ? "AVX-512" : "portable") << " day " << i;
      }
    }
  }
}

// The series carries FFMC as tomorrow's moisture content and clamps it there (fwi.cc, Codes): both ends of the clamp
// reached and left, as Step() computes them, to 1e-9. FFMC 101 (m at its floor): weeks of hot, bone-dry (RH 0),
// windy days; FFMC 0 (m = 250): cloudbursts at RH 100 (no drying). Then back to ordinary days from each end.
TEST(FwiSeries, FfmcClampedAtBothEndsEqualsStep) {
  std::vector<NoonWeather> days;
  for (int d = 0; d < 40; ++d) days.push_back({7, 40.0, 0.0, 50.0, 0.0});
  for (int d = 0; d < 10; ++d) days.push_back({7, 25.0, 40.0, 10.0, 0.0});
  for (int d = 0; d < 12; ++d) days.push_back({7, 15.0, 100.0, 0.0, 150.0});
  for (int d = 0; d < 10; ++d) days.push_back({7, 25.0, 40.0, 10.0, 0.0});
  const DayLength dl = DayLengthFor(24.3);
  FwiCodes y;
  bool top = false, bottom = false;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const FwiDay s = Step(y, days[i], dl);
    y = s.codes();
    top = top || s.ffmc == 101.0;
    bottom = bottom || s.ffmc == 0.0;
  }
  EXPECT_TRUE(top) << "the dry weeks never reached FFMC 101";
  EXPECT_TRUE(bottom) << "the cloudbursts never reached FFMC 0";
  ExpectSeriesEqualsStep(FwiCodes{}, days, dl, "clamps");
}

// Series of every length 0..17 (the vector passes pad to a multiple of 8 and drop the padding): each day as
// Step() computes it, to 1e-9, rain on every other day (every rain branch taken).
TEST(FwiSeries, ShortSeriesOfEveryLengthEqualStepByStep) {
  EXPECT_TRUE(RunFwi(FwiCodes{}, {}, DayLengthFor(24.3)).empty());
  std::vector<NoonWeather> all;
  for (int d = 0; d < 17; ++d) all.push_back({4 + d / 9, 12.0 + d, 20.0 + 4 * d, 3.0 * d, d % 2 ? 0.6 + 1.7 * d : 0.0});
  const DayLength dl = DayLengthFor(24.3);
  for (std::size_t n = 0; n <= all.size(); ++n)
    ExpectSeriesEqualsStep(FwiCodes{}, std::span<const NoonWeather>(all.data(), n), dl, "n " + std::to_string(n));
}

}  // namespace
}  // namespace firebreak::fire
