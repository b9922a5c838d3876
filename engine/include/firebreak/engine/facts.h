// The fact vocabulary: every quantity or flag a rule file may test. Rule files name facts by `name`
// (the loader rejects unknown names with a "did you mean"); the engine derives them from incident reports
// (engine/src/facts.cc), GIS (gis/ fills Incident::derived) and the incident set (concurrency).
//
// Adding a fact is a code change (the engine must know how to derive it); adding or changing a plan is not.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>

namespace firebreak::engine {

enum class FactKind : std::uint8_t { kNumber, kBool };

// X-macro: id, name in rule files and reports, kind, unit, Chinese label, English label.
#define FIREBREAK_FACTS(X)                                                                                            \
  /* from the report (plan 6.3, 1.5) */                                                                               \
  X(kBurnedAreaHa, "burned_area_ha", kNumber, "ha", "过火面积", "burned area")                                        \
  X(kDamagedForestAreaHa, "damaged_forest_area_ha", kNumber, "ha", "受害森林面积", "damaged forest area")             \
  X(kDeaths, "deaths", kNumber, "persons", "死亡人数", "deaths")                                                      \
  X(kSeriousInjuries, "serious_injuries", kNumber, "persons", "重伤人数", "serious injuries")                         \
  X(kOpenFireHours, "open_fire_hours", kNumber, "h", "明火持续时长", "hours of open fire")                            \
  X(kControlled, "controlled", kBool, "", "已得到有效控制", "under effective control")                                \
  X(kExtinguished, "extinguished", kBool, "", "明火已扑灭", "open fire extinguished")                                 \
  X(kSensitivePeriod, "sensitive_period", kBool, "", "敏感时段", "sensitive period")                                  \
  X(kSensitiveArea, "sensitive_area", kBool, "", "敏感地区", "sensitive area")                                        \
  X(kPublicOpinionVerification, "public_opinion_verification", kBool, "", "舆情高度关注且市委市政府要求核查",         \
    "public attention, city ordered verification")                                                                    \
  X(kDangerous, "dangerous", kBool, "", "危险性较大", "dangerous fire")                                               \
  X(kOtherWoodland, "other_woodland", kBool, "", "其他林地起火", "fire on other woodland")                            \
  X(kSatelliteDetected, "satellite_detected", kBool, "", "国家卫星监测发现并调度", "satellite-detected")              \
  X(kCrossesBoundary, "crosses_boundary", kBool, "", "同一火场跨两个行政区域", "crosses an admin boundary")           \
  X(kCrossesCityBoundary, "crosses_city_boundary", kBool, "", "跨市界", "crosses the city boundary")                  \
  X(kKmToCityBoundary, "km_to_city_boundary", kNumber, "km", "距市界距离", "distance to city boundary")               \
  X(kThreatensNeighbourForest, "threatens_neighbour_forest", kBool, "", "对我市或邻市森林资源构成威胁",               \
    "threatens forest of this or a neighbouring city")                                                                \
  X(kThreatensResidential, "threatens_residential", kBool, "", "威胁居民区", "threatens residential areas")           \
  X(kThreatensKeyFacility, "threatens_key_facility", kBool, "", "威胁重要设施", "threatens key facilities")           \
  X(kThreatensMilitary, "threatens_military", kBool, "", "威胁军事设施", "threatens military facilities")             \
  X(kThreatensHazardousChemicals, "threatens_hazardous_chemicals", kBool, "", "威胁危险化学品设施",                   \
    "threatens hazardous-chemical facilities")                                                                        \
  X(kThreatensOilGasPipeline, "threatens_oil_gas_pipeline", kBool, "", "威胁油气管道", "threatens oil/gas pipelines") \
  X(kThreatensRailway, "threatens_railway", kBool, "", "威胁铁路线路", "threatens railway lines")                     \
  X(kThreatensNuclear, "threatens_nuclear", kBool, "", "威胁核设施", "threatens nuclear facilities")                  \
  X(kThreatensMajorHazard, "threatens_major_hazard", kBool, "", "威胁重大危险源", "threatens a major hazard source")  \
  X(kWarningColour, "warning_colour", kNumber, "", "预警颜色",                                                        \
    "warning colour (0 none,1 blue,2 yellow,3 orange,4 red)")                                                         \
  X(kNationalTeamInvolved, "national_team_involved", kBool, "", "国家综合性消防救援队伍参与",                         \
    "national fire-rescue team involved")                                                                             \
  X(kCleanupAccepted, "cleanup_accepted", kBool, "", "火场清理验收合格", "fire-site clean-up accepted")               \
  X(kSecondaryHazardsCleared, "secondary_hazards_cleared", kBool, "", "次生灾害后果基本消除",                         \
    "secondary hazards cleared")                                                                                      \
  X(kNoFire, "no_fire", kBool, "", "无火", "no fire")                                                                 \
  X(kNoSmoke, "no_smoke", kBool, "", "无烟", "no smoke")                                                              \
  X(kNoGas, "no_gas", kBool, "", "无气", "no gas (heat)")                                                             \
  X(kFireSituationUnclear, "fire_situation_unclear", kBool, "", "火情不明", "fire situation unclear")                 \
  X(kHeadSpreadingFast, "head_spreading_fast", kBool, "", "火势迅猛", "fire head spreading fast")                     \
  /* weather and time */                                                                                              \
  X(kTemperatureC, "temperature_c", kNumber, "°C", "气温", "temperature")                                             \
  X(kHumidityPct, "humidity_pct", kNumber, "%", "相对湿度", "relative humidity")                                      \
  X(kWindSpeedMs, "wind_speed_ms", kNumber, "m/s", "风速", "wind speed")                                              \
  X(kWindDirDeg, "wind_dir_deg", kNumber, "°", "风向", "wind direction (from)")                                       \
  X(kLocalHour, "local_hour", kNumber, "h", "当地时刻", "local hour of day")                                          \
  X(kNight, "night", kBool, "", "夜间", "night")                                                                      \
  X(kPoorVisibility, "poor_visibility", kBool, "", "可视度差", "poor visibility")                                     \
  /* terrain and fuel (gis/) */                                                                                       \
  X(kSlopeDeg, "slope_deg", kNumber, "°", "坡度", "slope")                                                            \
  X(kTerrainSteepSlope, "terrain_steep_slope", kBool, "", "陡坡", "steep slope")                                      \
  X(kTerrainCliff, "terrain_cliff", kBool, "", "悬崖", "cliff")                                                       \
  X(kTerrainRidge, "terrain_ridge", kBool, "", "山脊线", "ridgeline")                                                 \
  X(kTerrainSaddle, "terrain_saddle", kBool, "", "鞍部", "saddle")                                                    \
  X(kTerrainGully, "terrain_gully", kBool, "", "草塘沟/沟深", "gully")                                                \
  X(kTerrainNarrowValley, "terrain_narrow_valley", kBool, "", "谷窄", "narrow valley")                                \
  X(kTerrainBoxCanyon, "terrain_box_canyon", kBool, "", "单口山谷", "box canyon (single exit)")                       \
  X(kTerrainRockOutcrop, "terrain_rock_outcrop", kBool, "", "山岩凸起地形", "rock outcrop")                           \
  X(kTerrainLandslide, "terrain_landslide", kBool, "", "山体滑坡和滚石较多", "landslide / rockfall")                  \
  X(kFuelDangerous, "fuel_dangerous", kBool, "", "危险可燃物集中", "dangerous fuels concentrated")                    \
  X(kFuelLadder, "fuel_ladder", kBool, "", "梯形可燃物分布明显", "ladder fuels")                                      \
  X(kFuelDenseCanopy, "fuel_dense_canopy", kBool, "", "植被垂直分布、易燃性强、郁闭度大", "dense flammable canopy")   \
  /* derived from the incident set */                                                                                 \
  X(kConcurrentFires, "concurrent_fires", kNumber, "fires", "同时发生火灾数", "concurrent fires")                     \
  X(kConcurrentDangerousFires, "concurrent_dangerous_fires", kNumber, "fires", "同时发生危险性较大火灾数",            \
    "concurrent dangerous fires")                                                                                     \
  /* derived by the engine from earlier rule groups */                                                                \
  X(kGrade, "grade", kNumber, "", "火灾等级", "fire grade (1 一般 .. 4 特别重大)")                                    \
  X(kResponseLevel, "response_level", kNumber, "", "响应等级", "response level (0 none, 1 IV .. 4 I)")                \
  /* human judgements stated in a report (never computed) */                                                          \
  X(kJudgedImportant, "judged_important", kBool, "", "经研判需要报告的其他重要森林火灾",                              \
    "judged important enough to report (plan 5.2(7))")                                                                \
  /* from gis/ layers (appended) */                                                                                   \
  X(kKmToCountyBoundary, "km_to_county_boundary", kNumber, "km", "距相邻县（区）界距离",                              \
    "distance to the nearest other county")                                                                           \
  /* the clock of open fire across re-ignitions (engine; from Incident::out_periods) */                               \
  X(kOpenFireHoursSinceReignition, "open_fire_hours_since_reignition", kNumber, "h", "本次复燃以来明火持续时长",      \
    "hours of open fire since the last re-ignition")                                                                  \
  /* the rule file's sensitive_periods calendar, three readings (engine); a rule file derives            */           \
  /* sensitive_period from the one its interpretation names                                               */          \
  X(kCalendarSensitiveNow, "calendar_sensitive_now", kBool, "", "评估时刻处于敏感时段日历内",                         \
    "the moment assessed falls in a calendar sensitive period")                                                       \
  X(kCalendarSensitiveWhileBurning, "calendar_sensitive_while_burning", kBool, "", "明火期间曾处于敏感时段日历内",    \
    "the open fire burned at some moment within a calendar sensitive period")                                         \
  X(kCalendarSensitiveAtOutbreak, "calendar_sensitive_at_outbreak", kBool, "", "起火时处于敏感时段日历内",            \
    "the open fire began within a calendar sensitive period")                                                         \
  /* fire danger (FWI) and fire behaviour at the point (fire/, issue 9; appended) */                                  \
  X(kFfmc, "ffmc", kNumber, "", "细小可燃物湿度码FFMC", "Fine Fuel Moisture Code")                                    \
  X(kDmc, "dmc", kNumber, "", "腐殖质湿度码DMC", "Duff Moisture Code")                                                \
  X(kDc, "dc", kNumber, "", "干旱码DC", "Drought Code")                                                               \
  X(kIsi, "isi", kNumber, "", "初始蔓延指数ISI", "Initial Spread Index")                                              \
  X(kBui, "bui", kNumber, "", "累积指数BUI", "Buildup Index")                                                         \
  X(kFwi, "fwi", kNumber, "", "火险天气指数FWI", "Fire Weather Index")                                                \
  X(kFireDangerClass, "fire_danger_class", kNumber, "", "森林火险等级（FWI）", "fire-danger class (FWI)")             \
  X(kSuggestedWarningColour, "suggested_warning_colour", kNumber, "", "FWI建议预警颜色",                              \
    "warning colour the FWI suggests (0 none,1 blue,2 yellow,3 orange,4 red)")                                        \
  X(kHeadRosMMin, "head_ros_m_min", kNumber, "m/min", "火头蔓延速度", "head-fire spread rate")                        \
  X(kFlameLengthM, "flame_length_m", kNumber, "m", "火焰长度", "flame length")                                        \
  X(kFirelineIntensityKwM, "fireline_intensity_kw_m", kNumber, "kW/m", "火头火线强度", "head-fire intensity")         \
  X(kMaxSpreadDirDeg, "max_spread_dir_deg", kNumber, "°", "最大蔓延方向", "direction of maximum spread (toward)")     \
  X(kWangRosMMin, "wang_ros_m_min", kNumber, "m/min", "王正非模型火头蔓延速度", "Wang Zhengfei head spread rate")

enum class FactId : std::uint8_t {
#define FIREBREAK_FACT_ENUM(id, name, kind, unit, zh, en) id,
  FIREBREAK_FACTS(FIREBREAK_FACT_ENUM)
#undef FIREBREAK_FACT_ENUM
};

inline constexpr std::size_t kFactCount = 0
#define FIREBREAK_FACT_COUNT(id, name, kind, unit, zh, en) +1
    FIREBREAK_FACTS(FIREBREAK_FACT_COUNT)
#undef FIREBREAK_FACT_COUNT
    ;

struct FactInfo {
  FactId id;
  std::string_view name;
  FactKind kind;
  std::string_view unit;
  std::string_view zh;
  std::string_view en;
};

const FactInfo& Info(FactId id);
std::optional<FactId> FactByName(std::string_view name);
// All names, for "did you mean".
const std::array<FactInfo, kFactCount>& AllFacts();

// Calls fn(i) for every set bit i of `words` (bit i: bit i % 64 of word i / 64), in increasing order.
template <class Fn>
void ForEachBit(const std::uint64_t* words, std::size_t n, Fn&& fn) {
  for (std::size_t k = 0; k < n; ++k)
    for (std::uint64_t bits = words[k]; bits; bits &= bits - 1)
      fn(k * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
}

// A set of known fact values. Bools are 0/1. Unknown facts have no value: a predicate on an unknown fact
// does not hold (and the decision lists the fact as unknown). Cheap to copy (fixed array).
class FactSet {
 public:
  // (A FactId is always < kFactCount.)
  void Set(FactId id, double v) {
    values_[Index(id)] = v;
    known_[Index(id) >> 6] |= Bit(id);
  }
  void SetBool(FactId id, bool b) { Set(id, b ? 1.0 : 0.0); }
  void Clear(FactId id) { known_[Index(id) >> 6] &= ~Bit(id); }
  void Reset() { known_.fill(0); }  // no fact known (the value slots keep what they held)
  bool Has(FactId id) const { return (known_[Index(id) >> 6] & Bit(id)) != 0; }
  // REQUIRES: Has(id).
  double KnownValue(FactId id) const { return values_[Index(id)]; }
  bool Any() const {  // at least one fact is known
    for (std::uint64_t w : known_)
      if (w) return true;
    return false;
  }
  std::optional<double> Get(FactId id) const {
    return Has(id) ? std::optional<double>(values_[Index(id)]) : std::nullopt;
  }
  double ValueOr(FactId id, double fallback) const { return Has(id) ? values_[Index(id)] : fallback; }
  // The known facts as bits (fact i: bit i % 64 of word i / 64), and every value slot (unknown ones hold any value).
  static constexpr std::size_t kWords = (kFactCount + 63) / 64;
  std::uint64_t KnownWord(std::size_t k) const { return known_[k]; }
  const double* Values() const { return values_.data(); }
  // Calls fn(index) for every known fact, in FactId order.
  template <class Fn>
  void ForEachKnown(Fn&& fn) const {
    ForEachBit(known_.data(), kWords, fn);
  }

 private:
  static std::size_t Index(FactId id) { return static_cast<std::size_t>(id); }
  static std::uint64_t Bit(FactId id) { return std::uint64_t{1} << (Index(id) & 63); }
  std::array<double, kFactCount> values_{};
  std::array<std::uint64_t, kWords> known_{};
};

}  // namespace firebreak::engine
