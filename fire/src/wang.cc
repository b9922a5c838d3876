#include "firebreak/fire/wang.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <set>

#include "firebreak/common/error.h"

namespace firebreak::fire {

namespace {

constexpr double kRad = std::numbers::pi / 180.0;

class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}
  [[noreturn]] void Fail(const YAML::Node& n, const std::string& what, const std::string& hint = {}) const {
    const YAML::Mark m = n.Mark();
    throw Error(ErrorKind::kInput,
                m.is_null() ? name_ : name_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1),
                what, hint);
  }
  void Keys(const YAML::Node& n, const std::string& what, const std::vector<std::string>& allowed) const {
    if (!n.IsMap()) Fail(n, what + " must be a mapping");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string k = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        const std::string near = ClosestMatch(k, allowed);
        Fail(it->first, "unknown key '" + k + "' in " + what, near.empty() ? "" : "did you mean '" + near + "'?");
      }
    }
  }
  double Num(const YAML::Node& m, const std::string& key, const std::string& what) const {
    const YAML::Node v = m[key];
    if (!v || !v.IsScalar()) Fail(m, what + ": missing number '" + key + "'");
    try {
      const double d = v.as<double>();
      if (!std::isfinite(d)) throw YAML::Exception(v.Mark(), "not finite");
      return d;
    } catch (const YAML::Exception&) {
      Fail(v, what + ": '" + key + "' must be a number, got '" + v.Scalar() + "'");
    }
  }

 private:
  std::string name_;
};

void ReadTypes(const Reader& rd, const YAML::Node& root, WangParams& p) {
  const YAML::Node types = root["fuel_types"];
  if (!types || !types.IsSequence() || types.size() == 0) rd.Fail(root, "missing list 'fuel_types'");
  for (const auto& t : types) {
    rd.Keys(t, "fuel type", {"id", "zh", "en", "ks"});
    WangFuelType ft;
    if (!t["id"] || !t["id"].IsScalar()) rd.Fail(t, "fuel type: missing 'id'");
    ft.id = t["id"].Scalar();
    ft.zh = t["zh"] ? t["zh"].Scalar() : "";
    ft.en = t["en"] ? t["en"].Scalar() : "";
    ft.ks = rd.Num(t, "ks", "fuel type " + ft.id);
    if (ft.ks <= 0) rd.Fail(t["ks"], "fuel type " + ft.id + ": ks must be > 0");
    for (const auto& o : p.types)
      if (o.id == ft.id) rd.Fail(t["id"], "fuel type '" + ft.id + "' listed twice");
    p.types.push_back(std::move(ft));
  }
}

void ReadModels(const Reader& rd, const YAML::Node& root, WangParams& p) {
  const YAML::Node fm = root["fuel_models"];
  if (!fm || !fm.IsMap()) rd.Fail(root, "missing mapping 'fuel_models' (fuel model number: fuel type id)");
  for (auto it = fm.begin(); it != fm.end(); ++it) {
    int n = -1;
    try {
      n = it->first.as<int>();
    } catch (const YAML::Exception&) {
    }
    if (n < 1 || n > 255) rd.Fail(it->first, "fuel model number must be 1..255, got '" + it->first.Scalar() + "'");
    const std::string id = it->second.Scalar();
    int idx = 0;
    for (std::size_t i = 0; i < p.types.size(); ++i)
      if (p.types[i].id == id) idx = static_cast<int>(i) + 1;
    if (!idx) {
      std::vector<std::string> ids;
      for (const auto& t : p.types) ids.push_back(t.id);
      const std::string near = ClosestMatch(id, ids);
      rd.Fail(it->second, "unknown fuel type '" + id + "'", near.empty() ? "" : "did you mean '" + near + "'?");
    }
    p.type_of_model[static_cast<std::size_t>(n)] = idx;
  }
}

}  // namespace

WangParams LoadWangParams(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw Error(ErrorKind::kNotFound, path, "Wang Zhengfei parameter file not found",
                "pass --wang FILE (data/fire/wang-zhengfei.yaml in the source tree)");
  const Reader rd(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kInput,
                path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                "YAML error: " + e.msg);
  }
  rd.Keys(root, "the Wang Zhengfei file",
          {"format", "r0", "wind", "slope", "beaufort_lower_limits_ms", "fuel_types", "fuel_models"});
  WangParams p;
  p.source = path;
  const YAML::Node r0 = root["r0"], w = root["wind"], s = root["slope"], bl = root["beaufort_lower_limits_ms"];
  if (!r0) rd.Fail(root, "missing 'r0: {a, b, c, d}'");
  if (!w) rd.Fail(root, "missing 'wind: {k}'");
  if (!s) rd.Fail(root, "missing 'slope: {k, p, max_grade_pct}'");
  rd.Keys(r0, "r0", {"a", "b", "c", "d"});
  rd.Keys(w, "wind", {"k"});
  rd.Keys(s, "slope", {"k", "p", "max_grade_pct"});
  p.a = rd.Num(r0, "a", "r0");
  p.b = rd.Num(r0, "b", "r0");
  p.c = rd.Num(r0, "c", "r0");
  p.d = rd.Num(r0, "d", "r0");
  p.wind_k = rd.Num(w, "k", "wind");
  p.slope_k = rd.Num(s, "k", "slope");
  p.slope_p = rd.Num(s, "p", "slope");
  // The cap (interpretation wang-slope-cap, docs/fire.md §3): required, so no file runs the exponential unbounded.
  const double grade = rd.Num(s, "max_grade_pct", "slope");
  if (!(grade > 0 && grade <= 1000)) rd.Fail(s["max_grade_pct"], "slope: max_grade_pct must be in (0, 1000] %");
  p.slope_max_deg = std::atan(grade / 100.0) / kRad;
  if (!bl || !bl.IsSequence() || bl.size() == 0) rd.Fail(root, "missing list 'beaufort_lower_limits_ms'");
  for (const auto& v : bl) {
    const double x = v.as<double>();
    if (!p.beaufort_lower.empty() && !(x > p.beaufort_lower.back()))
      rd.Fail(v, "beaufort_lower_limits_ms must increase");
    p.beaufort_lower.push_back(x);
  }
  ReadTypes(rd, root, p);
  ReadModels(rd, root, p);
  return p;
}

std::string WangParamsPath(const std::string& explicit_path) {
  namespace fs = std::filesystem;
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("FIREBREAK_WANG"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path p = exe.parent_path().parent_path() / "share/firebreak/wang-zhengfei.yaml";
    if (fs::exists(p, ec)) return p.string();
  }
  return (fs::path(FIREBREAK_FIRE_SOURCE_DIR) / "data/fire/wang-zhengfei.yaml").string();
}

int BeaufortForce(const WangParams& p, double wind_ms) {
  int n = 0;
  for (double lim : p.beaufort_lower)
    if (wind_ms >= lim) ++n;
  return n;
}

double WangRosInDirection(const WangParams& p, double ks, const WangInputs& in, double dir_deg) {
  const double r0 =
      std::max(0.0, p.a * in.temp_c + p.b * BeaufortForce(p, in.wind_ms) + p.c * (100.0 - in.rh_pct) - p.d);
  const double kw = std::exp(p.wind_k * in.wind_ms * std::cos((dir_deg - in.wind_to_deg) * kRad));
  const double slope = std::min(in.slope_deg, p.slope_max_deg);        // wang-slope-cap
  const double t = std::tan(slope * kRad) * std::cos(dir_deg * kRad);  // slope along dir (0 = upslope)
  const double kphi = std::exp((t >= 0 ? 1.0 : -1.0) * p.slope_k * std::pow(std::fabs(t), p.slope_p));
  return r0 * ks * kw * kphi;
}

WangResult WangSpread(const WangParams& p, int fuel_model, const WangInputs& in) {
  WangResult r;
  r.beaufort = BeaufortForce(p, in.wind_ms);
  r.r0 = std::max(0.0, p.a * in.temp_c + p.b * r.beaufort + p.c * (100.0 - in.rh_pct) - p.d);
  r.type = p.TypeOf(fuel_model);
  r.slope_capped = in.slope_deg > p.slope_max_deg;
  r.slope_capped_at_deg = r.slope_capped ? p.slope_max_deg : 0;
  r.slope_deg = in.slope_deg;
  if (!r.type) return r;
  r.ks = r.type->ks;
  // The head: the fastest direction (1° scan, then golden-section refinement within ±1°).
  double best = -1, best_dir = 0;
  for (int d = 0; d < 360; ++d) {
    const double v = WangRosInDirection(p, r.ks, in, d);
    if (v > best) best = v, best_dir = d;
  }
  double lo = best_dir - 1, hi = best_dir + 1;
  const double g = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 60; ++i) {
    const double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
    if (WangRosInDirection(p, r.ks, in, x1) < WangRosInDirection(p, r.ks, in, x2))
      lo = x1;
    else
      hi = x2;
  }
  r.head_dir_deg = std::fmod((lo + hi) / 2 + 360.0, 360.0);
  r.head_ros = WangRosInDirection(p, r.ks, in, r.head_dir_deg);
  r.kw = std::exp(p.wind_k * in.wind_ms * std::cos((r.head_dir_deg - in.wind_to_deg) * kRad));
  r.kphi = r.r0 > 0 ? r.head_ros / (r.r0 * r.ks * r.kw) : 1.0;
  return r;
}

std::string WangSlopeCapNote(double capped_at_deg, double slope_deg, bool zh) {
  const auto f1 = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return std::string(b);
  };
  const std::string grade = f1(std::tan(capped_at_deg * kRad) * 100.0);
  return zh ? "王正非坡度修正已封顶：坡度 " + f1(slope_deg) + "° 超出模型适用范围，按 " + f1(capped_at_deg) + "°（" +
                  grade + "% 坡比）计算（解释 wang-slope-cap，Kφ 不再增大）"
            : "Wang Zhengfei slope factor capped: slope " + f1(slope_deg) + "° is beyond the model's range, taken as " +
                  f1(capped_at_deg) + "° (" + grade + "% grade; interpretation wang-slope-cap, Kφ held)";
}

}  // namespace firebreak::fire
