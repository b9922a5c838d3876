#include "firebreak/fire/oneshot.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

namespace firebreak::fire {

namespace {

constexpr double kFtToM = 0.3048;
constexpr double kKwmPerBtuFtS = 3.46414;  // behave's constant

std::string F(double v, int d) {
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", d, v + 0.0);
  return b;
}

double Norm360(double d) {
  d = std::fmod(d, 360.0);
  return d < 0 ? d + 360.0 : d;
}

// Display width (CJK = 2) and right-padding for the side-by-side table.
std::size_t Width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += n >= 3 ? 2 : 1;
    i += n;
  }
  return w;
}
std::string PadR(const std::string& s, std::size_t w) { return s + std::string(w > Width(s) ? w - Width(s) : 0, ' '); }

}  // namespace

std::optional<Moisture> MoistureScenario(std::string_view name) {
  if (name.size() != 4) return std::nullopt;
  const char d = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  const char l = static_cast<char>(std::toupper(static_cast<unsigned char>(name[2])));
  const int dn = name[1] - '0', ln = name[3] - '0';
  if (d != 'D' || l != 'L' || dn < 1 || dn > 4 || ln < 1 || ln > 4) return std::nullopt;
  const double d1 = 3.0 * dn;                               // D1 3/4/5, D2 6/7/8, D3 9/10/11, D4 12/13/14 %
  const double herb = 30.0 * ln, woody = 30.0 * ln + 30.0;  // L1 30/60 .. L4 120/150 %
  return Moisture{d1 / 100, (d1 + 1) / 100, (d1 + 2) / 100, herb / 100, woody / 100};
}

Moisture ParseMoistureSpec(const std::string& spec, const std::string& flag, std::string& source) {
  if (spec.empty()) {
    source = "D2L2 (default)";
    return *MoistureScenario("D2L2");
  }
  if (auto m = MoistureScenario(spec)) {
    source = spec;
    return *m;
  }
  std::istringstream in(spec);
  double v[5];
  char comma = 0;
  for (int i = 0; i < 5; ++i)
    if (!(in >> v[i]) || (i < 4 && (!(in >> comma) || comma != ',')))
      throw Error(ErrorKind::kInput, flag,
                  "expected a scenario (D1L1..D4L4) or five percentages 1h,10h,100h,herb,woody, got '" + spec + "'",
                  "e.g. D2L2 or 6,7,8,60,90");
  std::string rest;
  if (in >> rest) throw Error(ErrorKind::kInput, flag, "trailing text after five moistures: '" + spec + "'");
  source = spec;
  return {v[0] / 100, v[1] / 100, v[2] / 100, v[3] / 100, v[4] / 100};
}

void ValidatePointInputs(const SurfaceFuels& fuels, const PointInputs& in) {
  auto fail = [](const char* flag, const std::string& what, const std::string& hint = {}) {
    throw Error(ErrorKind::kInput, flag, what, hint);
  };
  if (!fuels.Find(in.fuel_model))
    fail("--fuel-model", "unknown fuel model " + std::to_string(in.fuel_model),
         "a code (GS2, TU5, FM4) or number (1-13, 91-99, 101-204) of " + fuels.table().source());
  const double ms[5] = {in.moisture.d1h, in.moisture.d10h, in.moisture.d100h, in.moisture.herb, in.moisture.woody};
  for (double m : ms)
    if (!(m > 0) || m > 4.0) fail("--moisture", "each moisture must be in (0, 400] %", "e.g. --moisture 6,7,8,60,90");
  if (!(in.wind_ms >= 0) || in.wind_ms > 100) fail("--wind", "wind speed must be in [0, 100] m/s");
  if (!(in.slope_deg >= 0) || in.slope_deg > 90)
    fail("--slope", "slope must be in [0, 90] degrees", "--slope-units percent for %");
  if (!std::isfinite(in.wind_from_deg)) fail("--wind-from", "not a direction");
  if (!std::isfinite(in.aspect_deg)) fail("--aspect", "not a direction");
  if (!(in.canopy_cover >= 0) || in.canopy_cover > 1) fail("--canopy-cover", "canopy cover must be in [0, 100] %");
  if (!(in.canopy_height_m >= 0) || in.canopy_height_m > 150)
    fail("--canopy-height", "canopy height must be in [0, 150] m");
  if (!(in.crown_ratio >= 0) || in.crown_ratio > 1) fail("--crown-ratio", "crown ratio must be in [0, 1]");
  if (in.rh_pct && !(*in.rh_pct >= 0 && *in.rh_pct <= 100)) fail("--rh", "relative humidity must be in [0, 100] %");
  if (in.temp_c && !(*in.temp_c >= -60 && *in.temp_c <= 60)) fail("--temp", "temperature must be in [-60, 60] °C");
  if (in.elapsed_min && !(*in.elapsed_min > 0)) fail("--elapsed", "elapsed time must be > 0 minutes");
}

PointBehaviour BehaviourAtPoint(const SurfaceFuels& fuels, const WangParams* wang, const PointInputs& in) {
  PointBehaviour b;
  const SurfaceFuel& fuel = *fuels.Find(in.fuel_model);
  b.model = &fuel.model();
  SurfaceCase c;
  c.fuel_model = in.fuel_model;
  c.moisture = in.moisture;
  c.wind_speed_ftmin = in.wind_ms * 60.0 / kFtToM;
  c.wind_height = in.wind_height;
  c.wind_direction_deg = in.wind_from_deg;
  c.orientation = Orientation::kNorth;
  c.slope_deg = in.slope_deg;
  c.aspect_deg = in.aspect_deg;
  c.canopy_cover = in.canopy_cover;
  c.canopy_height_ft = in.canopy_height_m / kFtToM;
  c.crown_ratio = in.crown_ratio;
  c.wind_limit = in.wind_limit;
  c.elapsed_min = in.elapsed_min;
  b.surface = RunSurface(fuel, c);
  const SpreadResult& s = b.surface.spread;
  b.head_ros_mmin = s.ros * kFtToM;
  b.backing_mmin = s.backing_ros * kFtToM;
  b.flanking_mmin = s.flanking_ros * kFtToM;
  b.flame_length_m = s.flame_length * kFtToM;
  b.intensity_kwm = s.fireline_intensity * kKwmPerBtuFtS;
  b.dir_max_spread_deg = b.surface.dir_max_spread;
  b.midflame_ms = b.surface.midflame_wind_ftmin * kFtToM / 60.0;
  if (in.elapsed_min) {
    Ellipse e = FireEllipse(s, *in.elapsed_min);
    e.a *= kFtToM, e.b *= kFtToM, e.c *= kFtToM, e.perimeter *= kFtToM, e.area *= kFtToM * kFtToM;
    b.ellipse_m = e;
  }
  if (!wang) {
    b.wang_skipped = "no parameter file";
  } else if (!in.temp_c || !in.rh_pct) {
    b.wang_skipped = "needs --temp and --rh (R0)";
  } else {
    // 王正非 takes the 10-m station wind; a midflame or 20-ft wind is brought to 10 m the way behave does.
    const double w10 =
        in.wind_height == WindHeight::kTenMetre ? in.wind_ms
        : in.wind_height == WindHeight::kTwentyFoot
            ? in.wind_ms * 1.15
            : in.wind_ms * 1.15 /
                  WindAdjustmentFactor(b.model->depth_ft, in.canopy_cover, in.canopy_height_m / kFtToM, in.crown_ratio);
    WangInputs wi{*in.temp_c, *in.rh_pct, w10, Norm360(in.wind_from_deg - in.aspect_deg), in.slope_deg};
    WangResult w = WangSpread(*wang, in.fuel_model, wi);
    w.head_dir_deg = Norm360(w.head_dir_deg + in.aspect_deg + 180.0);
    if (!w.type) b.wang_skipped = "no 王正非 fuel type for this fuel model";
    b.wang = w;
  }
  return b;
}

std::string PointBehaviourText(const PointBehaviour& b, const PointInputs& in, bool zh) {
  std::ostringstream o;
  const Moisture& m = in.moisture;
  o << (zh ? "火行为（地表火）  可燃物 " : "Surface fire behaviour  fuel model ") << b.model->code << " ("
    << b.model->number << ") " << b.model->name << "\n";
  o << (zh ? "  含水率 " : "  moisture ") << in.moisture_source << ": 1h " << F(m.d1h * 100, 0) << "% 10h "
    << F(m.d10h * 100, 0) << "% 100h " << F(m.d100h * 100, 0) << "% " << (zh ? "草本 " : "herb ") << F(m.herb * 100, 0)
    << "% " << (zh ? "木本 " : "woody ") << F(m.woody * 100, 0) << "%\n";
  o << (zh ? "  风 " : "  wind ") << F(in.wind_ms, 1) << " m/s " << (zh ? "来自 " : "from ") << F(in.wind_from_deg, 0)
    << "° ("
    << (in.wind_height == WindHeight::kTenMetre     ? "10 m"
        : in.wind_height == WindHeight::kTwentyFoot ? "20 ft"
                                                    : "midflame")
    << ", WAF " << F(b.surface.waf, 2)
    << (b.surface.sheltered ? (zh ? " 林冠遮蔽" : " sheltered") : (zh ? " 无遮蔽" : " unsheltered")) << ") → "
    << (zh ? "中焰风速 " : "midflame ") << F(b.midflame_ms, 1) << " m/s; " << (zh ? "坡度 " : "slope ")
    << F(in.slope_deg, 0) << "°, " << (zh ? "坡向 " : "aspect ") << F(in.aspect_deg, 0) << "°\n";
  std::vector<std::array<std::string, 3>> rows;
  const bool w = b.wang && b.wang->type;
  auto wv = [&](double v, int d) { return w ? F(v, d) : std::string("—"); };
  rows.push_back({"", "Rothermel/BehavePlus", zh ? "王正非" : "Wang Zhengfei"});
  rows.push_back({zh ? "火头蔓延速度 (m/min)" : "head spread rate (m/min)", F(b.head_ros_mmin, 2),
                  wv(b.wang ? b.wang->head_ros : 0, 2)});
  rows.push_back({zh ? "最大蔓延方向 (°, 指向)" : "direction of max spread (° toward)", F(b.dir_max_spread_deg, 0),
                  wv(b.wang ? b.wang->head_dir_deg : 0, 0)});
  rows.push_back({zh ? "火焰长度 (m)" : "flame length (m)", F(b.flame_length_m, 2), "—"});
  rows.push_back({zh ? "火线强度 (kW/m)" : "fireline intensity (kW/m)", F(b.intensity_kwm, 0), "—"});
  rows.push_back({zh ? "后部/侧翼蔓延 (m/min)" : "backing / flanking (m/min)",
                  F(b.backing_mmin, 2) + " / " + F(b.flanking_mmin, 2), "—"});
  rows.push_back({zh ? "长宽比" : "length-to-width", F(b.surface.spread.length_to_width, 2), "—"});
  if (b.ellipse_m)
    rows.push_back({(zh ? "面积/周长 " : "area / perimeter after ") + F(*in.elapsed_min, 0) + " min",
                    F(b.ellipse_m->area / 1e4, 2) + " ha / " + F(b.ellipse_m->perimeter, 0) + " m", "—"});
  if (w)
    rows.push_back(
        {"R0 · Ks · Kw · Kφ", "",
         F(b.wang->r0, 2) + " · " + F(b.wang->ks, 1) + " · " + F(b.wang->kw, 2) + " · " + F(b.wang->kphi, 2)});
  std::size_t w0 = 0, w1 = 0;
  for (const auto& r : rows) w0 = std::max(w0, Width(r[0])), w1 = std::max(w1, Width(r[1]));
  for (const auto& r : rows) o << "  " << PadR(r[0], w0) << "  " << PadR(r[1], w1) << "  " << r[2] << "\n";
  if (!w) o << (zh ? "  王正非未计算：" : "  Wang Zhengfei not run: ") << b.wang_skipped << "\n";
  if (w)
    o << (zh ? "  王正非可燃物类型：" : "  Wang Zhengfei fuel type: ") << (zh ? b.wang->type->zh : b.wang->type->en)
      << " (Ks " << F(b.wang->ks, 1) << ", " << (zh ? "风力" : "Beaufort ") << b.wang->beaufort << (zh ? "级" : "")
      << ")\n";
  if (b.surface.spread.wind_limit_exceeded)
    o << (zh ? "  有效风速已按上限 0.9·I_R 截断\n" : "  effective wind capped at the limit 0.9·I_R\n");
  if (w && b.wang->slope_capped)
    o << "  " << WangSlopeCapNote(b.wang->slope_capped_at_deg, b.wang->slope_deg, zh) << "\n";
  return o.str();
}

std::string BehaviourLine(const PointBehaviour& b, bool zh) {
  std::ostringstream o;
  o << "Rothermel/BehavePlus" << (zh ? "：火头 " : ": head ") << F(b.head_ros_mmin, 1) << " m/min"
    << (zh ? "（指向 " : " (toward ") << F(b.dir_max_spread_deg, 0) << (zh ? "°）" : "°)")
    << (zh ? "，火焰长度 " : ", flame length ") << F(b.flame_length_m, 1) << " m"
    << (zh ? "，火线强度 " : ", intensity ") << F(b.intensity_kwm, 0) << " kW/m";
  if (b.wang && b.wang->type)
    o << (zh ? "；王正非：火头 " : "; Wang Zhengfei: head ") << F(b.wang->head_ros, 1) << " m/min"
      << (zh ? "（指向 " : " (toward ") << F(b.wang->head_dir_deg, 0) << (zh ? "°）" : "°)");
  return o.str();
}

std::string PointBehaviourJson(const PointBehaviour& b, const PointInputs& in) {
  nlohmann::ordered_json j;
  const Moisture& m = in.moisture;
  j["inputs"] = {{"fuel_model", b.model->number},
                 {"fuel_model_code", b.model->code},
                 {"moisture_pct",
                  {{"1h", m.d1h * 100},
                   {"10h", m.d10h * 100},
                   {"100h", m.d100h * 100},
                   {"herb", m.herb * 100},
                   {"woody", m.woody * 100}}},
                 {"moisture_source", in.moisture_source},
                 {"wind_ms", in.wind_ms},
                 {"wind_height", in.wind_height == WindHeight::kTenMetre     ? "10m"
                                 : in.wind_height == WindHeight::kTwentyFoot ? "20ft"
                                                                             : "midflame"},
                 {"wind_from_deg", in.wind_from_deg},
                 {"slope_deg", in.slope_deg},
                 {"aspect_deg", in.aspect_deg}};
  const SpreadResult& s = b.surface.spread;
  nlohmann::ordered_json r = {{"head_ros_m_min", b.head_ros_mmin},
                              {"direction_of_max_spread_deg", b.dir_max_spread_deg},
                              {"flame_length_m", b.flame_length_m},
                              {"fireline_intensity_kw_m", b.intensity_kwm},
                              {"backing_ros_m_min", b.backing_mmin},
                              {"flanking_ros_m_min", b.flanking_mmin},
                              {"length_to_width", s.length_to_width},
                              {"effective_wind_ms", s.effective_wind * kFtToM / 60},
                              {"midflame_wind_ms", b.midflame_ms},
                              {"waf", b.surface.waf},
                              {"sheltered", b.surface.sheltered},
                              {"reaction_intensity_kw_m2", s.reaction_intensity * 1055.05585 / 0.09290304 / 60000},
                              {"wind_limit_exceeded", s.wind_limit_exceeded}};
  if (b.ellipse_m)
    r["ellipse"] = {{"elapsed_min", *in.elapsed_min},
                    {"a_m", b.ellipse_m->a},
                    {"b_m", b.ellipse_m->b},
                    {"c_m", b.ellipse_m->c},
                    {"area_ha", b.ellipse_m->area / 1e4},
                    {"perimeter_m", b.ellipse_m->perimeter}};
  j["rothermel"] = r;
  if (b.wang && b.wang->type) {
    j["wang_zhengfei"] = {{"head_ros_m_min", b.wang->head_ros},
                          {"direction_of_max_spread_deg", b.wang->head_dir_deg},
                          {"r0_m_min", b.wang->r0},
                          {"ks", b.wang->ks},
                          {"kw", b.wang->kw},
                          {"kphi", b.wang->kphi},
                          {"beaufort", b.wang->beaufort},
                          {"fuel_type", b.wang->type->id},
                          {"slope_capped", b.wang->slope_capped}};
    if (b.wang->slope_capped)
      j["wang_zhengfei"]["warning"] = WangSlopeCapNote(b.wang->slope_capped_at_deg, b.wang->slope_deg, false);
  } else {
    j["wang_zhengfei"] = {{"skipped", b.wang_skipped}};
  }
  return j.dump(2) + "\n";
}

}  // namespace firebreak::fire
