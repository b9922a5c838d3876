// Deployment plans: exclusions (6.2.1, 4.1), request channels and tiers (4.2), ETAs over the travel graphs.
#include "firebreak/forces/deploy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "firebreak/common/error.h"
#include "firebreak/common/text.h"

namespace firebreak::forces {

using engine::Level;
using engine::LonLat;
using engine::Text;

const char* LegModeName(LegMode m) {
  switch (m) {
    case LegMode::kRoad:
      return "road";
    case LegMode::kWalk:
      return "walk";
    case LegMode::kStraightDrive:
      return "straight_drive";
    case LegMode::kStraightWalk:
      return "straight_walk";
  }
  return "?";
}

const char* ExclusionName(Exclusion e) {
  switch (e) {
    case Exclusion::kBanned:
      return "banned";
    case Exclusion::kUnknownType:
      return "unknown_type";
    case Exclusion::kUnknownChannel:
      return "unknown_channel";
    case Exclusion::kNoChannel:
      return "no_channel";
    case Exclusion::kLevel:
      return "level";
    case Exclusion::kOutsideMaps:
      return "outside_maps";
    case Exclusion::kUnreachable:
      return "unreachable";
  }
  return "?";
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string Fmt(double v, int prec = 1) { return text::Fixed(v, prec); }

// Point at `frac` of the way from a to b (linear in lon/lat: fine over tens of km).
LonLat Lerp(LonLat a, LonLat b, double frac) {
  return {a.lon + (b.lon - a.lon) * frac, a.lat + (b.lat - a.lat) * frac};
}

bool Covers(const engine::RequestChannel& ch, const std::string& type) {
  return ch.unit_types.empty() || std::find(ch.unit_types.begin(), ch.unit_types.end(), type) != ch.unit_types.end();
}

// Straight-line leg: length x detour at `kmh`.
Leg StraightLeg(LegMode mode, LonLat a, LonLat b, double detour, double kmh) {
  Leg l;
  l.mode = mode;
  l.length = Metres(GreatCircle(a, b).value() * detour);
  l.time = Seconds(l.length.value() / (kmh / 3.6));
  l.path = {a, b};
  l.estimated = true;
  return l;
}

// The walk field: time from every DEM cell to the fire (inward walking graph, one Dijkstra).
struct WalkField {
  const gis::Grid* dem = nullptr;
  std::optional<std::pair<int, int>> fire_cell;
  std::optional<ShortestPaths> sp;  // nullopt: no usable field

  std::optional<std::size_t> CellIndex(LonLat p) const {
    if (!dem) return std::nullopt;
    std::optional<std::pair<int, int>> rc;
    try {
      rc = dem->CellOf(p);
    } catch (const Error&) {
      return std::nullopt;
    }
    if (!rc) return std::nullopt;
    return dem->Index(rc->first, rc->second);
  }
  bool Reached(std::size_t idx) const { return sp && sp->Reached(static_cast<NodeId>(idx)); }
  // The walk from cell `idx` to the fire, starting at `start` (exact point) and ending at `fire`.
  Leg WalkLeg(std::size_t idx, LonLat start, LonLat fire) const {
    Leg l;
    l.mode = LegMode::kWalk;
    l.time = Seconds(sp->time_s[idx]);
    l.path.push_back(start);
    for (NodeId v : sp->ChainFrom(static_cast<NodeId>(idx))) {
      const int r = static_cast<int>(v / dem->cols), c = static_cast<int>(v % dem->cols);
      l.path.push_back(dem->CellCentreWgs84(r, c));
    }
    l.path.push_back(fire);
    double m = 0;
    for (std::size_t i = 1; i < l.path.size(); ++i) m += GreatCircle(l.path[i - 1], l.path[i]).value();
    l.length = Metres(m);
    return l;
  }
};

struct Candidate {
  std::vector<Leg> legs;
  double time_s = kInf;
  bool estimated = false;
  void Finish() {
    time_s = 0;
    estimated = false;
    for (const auto& l : legs) {
      time_s += l.time.value();
      estimated = estimated || l.estimated;
    }
  }
};

Text T(std::string zh, std::string en) { return Text{std::move(zh), std::move(en)}; }

// Citations come from the rule file: the clause of the force categories (4.1) and of the request channels
// (4.2) as the file numbers them; " (clause)" / "（clause）", or nothing when the file has none.
std::string CategoriesClause(const engine::RuleSet& rules) {
  return rules.force_categories.empty() ? "" : rules.force_categories.front().clause;
}
std::string ChannelsClause(const engine::RuleSet& rules) {
  for (const auto& c : rules.request_channels)
    if (c.scope == "local") return c.clause;
  return rules.request_channels.empty() ? "" : rules.request_channels.front().clause;
}
std::string Cite(const std::string& clause, bool zh) {
  if (clause.empty()) return "";
  return zh ? "（" + clause + "）" : " (" + clause + ")";
}

void RequestWarnings(const engine::RuleSet& rules, const Registry& registry, const DeployRequest& req,
                     const DeployInputs& in, DeploymentPlan& plan) {
  const std::string ch = ChannelsClause(rules);
  if (req.county) {
    if (const auto* c = rules.FindCounty(*req.county))
      plan.county = c->name;
    else
      plan.warnings.push_back(
          T("火场所在县（区）\"" + *req.county + "\"不在规则文件的行政区划中：没有队伍按属地力量调动",
            "fire county '" + *req.county + "' is not in the rule file's counties: no unit counts as local"));
  } else {
    plan.warnings.push_back(
        T("未给出火场所在县（区）（--county 或报告中的 county）：没有队伍按属地力量调动" + Cite(ch, true),
          "fire county not given (--county or the report's county): no unit counts as local" + Cite(ch, false)));
  }
  plan.warnings.insert(plan.warnings.end(), in.warnings.begin(), in.warnings.end());
  if (registry.demo)
    plan.warnings.push_back(T("力量名册为演示数据（demo: true），不是真实编成",
                              "the forces registry is DEMO data (demo: true), not a real order of battle"));
}

// What the level calls for: the measures the rule file lists as calling for forces (deployment.force_measures),
// of the level and the levels it builds on, then the situational ones.
void LevelCallsFor(const engine::RuleSet& rules, const DeployRequest& req, DeploymentPlan& plan) {
  const auto& wanted = rules.deployment.force_measures;
  auto listed = [&](const std::string& clause) {
    return std::find(wanted.begin(), wanted.end(), clause) != wanted.end();
  };
  std::optional<Level> l = req.level;
  for (std::size_t step = 0; l && step < rules.levels.size(); ++step) {
    const auto* spec = rules.FindLevel(*l);
    if (!spec) break;
    for (const auto& m : spec->measures)
      if (listed(m.clause)) plan.level_calls_for.push_back({m.clause, m.text});
    l = spec->builds_on;
  }
  for (const auto& m : rules.situational_measures)
    if (listed(m.clause)) plan.level_calls_for.push_back({m.clause, m.text});
}

// The walk field around the fire, if the DEM allows one; warnings say why not.
WalkField BuildWalkField(const DeployInputs& in, LonLat fire, const DeployOptions& opt, DeploymentPlan& plan) {
  WalkField walk;
  if (!in.dem) return walk;
  walk.dem = &*in.dem;
  try {
    walk.fire_cell = in.dem->CellOf(fire);
  } catch (const Error&) {
    walk.fire_cell.reset();
  }
  if (!walk.fire_cell) {
    plan.warnings.push_back(T("火点不在 DEM 窗口内（" + in.dem_source + "）：步行接近段无法按地形计算",
                              "the fire is outside the DEM window (" + in.dem_source + "): no terrain walk-in"));
    return walk;
  }
  if (std::isnan(in.dem->Raw(walk.fire_cell->first, walk.fire_cell->second))) {
    plan.warnings.push_back(T("火点所在 DEM 栅格为无数据：火场按地形不可达，步行段改用直线估算",
                              "the fire's DEM cell is nodata: the fire is unreachable on the walking graph; walk-in "
                              "legs use the straight-line estimate"));
    return walk;
  }
  TravelGraph g = BuildWalkGraph(*in.dem, WalkDirection::kInward, opt.walk);
  const NodeId fc = static_cast<NodeId>(in.dem->Index(walk.fire_cell->first, walk.fire_cell->second));
  ShortestPaths sp = g.Dijkstra({{fc, Seconds(0)}});
  std::size_t reached = 0;
  for (double t : sp.time_s) reached += t < kInf;
  if (reached <= 1) {
    const std::string deg = Fmt(opt.walk.max_edge_slope.value(), 0);
    plan.warnings.push_back(
        T("火场被无数据或不可通行地形（坡度超过 " + deg + "°）包围：按地形步行不可达，步行段改用直线估算",
          "the fire is enclosed by nodata or impassable terrain (slope over " + deg +
              "°): unreachable on foot; walk-in legs use the straight-line estimate"));
    return walk;
  }
  walk.sp = std::move(sp);
  return walk;
}

// Road field: every road node's best time to the fire = drive to a drop-off node + walk-in from there.
struct RoadField {
  std::optional<ShortestPaths> sp;
  std::vector<std::uint8_t> source_walks;  // per node: 1 = DEM walk-in from here, 2 = straight walk-in
};

RoadField BuildRoadField(const DeployInputs& in, const WalkField& walk, LonLat fire, const DeployOptions& opt,
                         DeploymentPlan& plan) {
  RoadField rf;
  if (!in.roads || in.roads->node_count() == 0) return rf;
  const RoadNetwork& roads = *in.roads;
  std::vector<std::pair<NodeId, Seconds>> sources;
  rf.source_walks.assign(roads.node_count(), 0);
  if (walk.sp) {
    for (NodeId n = 0; n < roads.node_count(); ++n) {
      auto idx = walk.CellIndex(roads.NodePosition(n));
      if (idx && walk.Reached(*idx)) {
        sources.emplace_back(n, Seconds(walk.sp->time_s[*idx]));
        rf.source_walks[n] = 1;
      }
    }
  }
  if (sources.empty()) {
    if (auto n = roads.Nearest(fire, opt.max_snap)) {
      const Leg l =
          StraightLeg(LegMode::kStraightWalk, roads.NodePosition(*n), fire, opt.detour_factor, opt.fallback_walk_kmh);
      sources.emplace_back(*n, l.time);
      rf.source_walks[*n] = 2;
    } else {
      const std::string km = Fmt(opt.max_snap.value() / 1000, 1);
      plan.warnings.push_back(T("火点 " + km + " 公里内没有道路（" + roads.source() + "）：道路网无法用于到达火场",
                                "no road within " + km + " km of the fire (" + roads.source() +
                                    "): the road layer cannot be used to reach it"));
    }
  }
  if (!sources.empty()) rf.sp = roads.graph().Dijkstra(sources);
  // Every skipped feature is listed, up to 20; then a count (a large layer may have thousands).
  const auto& probs = roads.problems();
  for (std::size_t i = 0; i < probs.size() && i < 20; ++i)
    plan.warnings.push_back(T("道路图层问题：" + probs[i].where + ": " + probs[i].what,
                              "road layer problem: " + probs[i].where + ": " + probs[i].what));
  if (probs.size() > 20)
    plan.warnings.push_back(T("道路图层另有 " + std::to_string(probs.size() - 20) + " 处问题（要素已跳过）",
                              std::to_string(probs.size() - 20) + " more road layer problems (features skipped)"));
  return rf;
}

// Routes from a unit's base to the fire over the travel fields (docs/forces.md: candidates A-D).
class Router {
 public:
  Router(const DeployInputs& in, const WalkField& walk, const RoadField& road, LonLat fire, const DeployOptions& opt)
      : in_(in), walk_(walk), road_(road), fire_(fire), opt_(opt) {}

  // The best route, or nullopt when the base is on a map but not connected (or beyond the straight-line
  // fallback radius). *on_map: the base lies on the road layer or the DEM.
  std::optional<Candidate> Best(const ForceUnit& u, bool* on_map) const {
    std::vector<Candidate> cands;
    *on_map = false;
    const double dist_fire = GreatCircle(u.base, fire_).value();
    if (auto c = ByRoad(u, on_map)) cands.push_back(std::move(*c));
    // B: walk from the base over the DEM, when the base is within walk_in of the fire.
    std::optional<std::size_t> base_cell = walk_.CellIndex(u.base);
    if (base_cell && !std::isnan(in_.dem->z[*base_cell])) *on_map = true;
    if (walk_.sp && base_cell && dist_fire <= opt_.walk_in.value() && walk_.Reached(*base_cell)) {
      Candidate c;
      c.legs.push_back(walk_.WalkLeg(*base_cell, u.base, fire_));
      c.Finish();
      cands.push_back(std::move(c));
    }
    if (walk_.sp && dist_fire > opt_.walk_in.value())
      if (auto c = DriveThenWalk(u, dist_fire)) cands.push_back(std::move(*c));
    // Best non-estimated candidate, else best estimated one.
    const Candidate* best = nullptr;
    for (int pass = 0; pass < 2 && !best; ++pass)
      for (const auto& c : cands)
        if ((pass == 1 || !c.estimated) && (!best || c.time_s < best->time_s)) best = &c;
    if (best) return *best;
    // Base on a map but not connected to the fire: unreachable (the caller reports it).
    const bool walkable_base_in_reach = base_cell && dist_fire <= opt_.walk_in.value();
    if ((*on_map && (road_.sp || walk_.sp)) || (walkable_base_in_reach && walk_.sp)) return std::nullopt;
    return Straight(u, dist_fire);
  }

 private:
  // A: the road graph (access drive to the nearest node, roads, then the walk-in from the drop-off node).
  std::optional<Candidate> ByRoad(const ForceUnit& u, bool* on_map) const {
    if (!in_.roads || !road_.sp) return std::nullopt;
    const RoadNetwork& roads = *in_.roads;
    auto n = roads.Nearest(u.base, opt_.max_snap);
    if (!n) return std::nullopt;
    *on_map = true;
    if (!road_.sp->Reached(*n)) return std::nullopt;
    Candidate c;
    const LonLat np = roads.NodePosition(*n);
    const double access_m = GreatCircle(u.base, np).value();
    if (access_m > 0.5) {
      Leg a = StraightLeg(LegMode::kStraightDrive, u.base, np, opt_.detour_factor, opt_.fallback_drive_kmh);
      a.estimated = access_m > opt_.access_estimated_above.value();
      c.legs.push_back(a);
    }
    const auto chain = road_.sp->ChainFrom(*n);
    Leg road;
    road.mode = LegMode::kRoad;
    const NodeId drop = chain.back();
    road.time = Seconds(road_.sp->time_s[*n] - road_.sp->time_s[drop]);
    double m = 0;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      road.path.push_back(roads.NodePosition(chain[i]));
      if (i) m += GreatCircle(road.path[i - 1], road.path[i]).value();
    }
    road.length = Metres(m);
    if (chain.size() > 1) c.legs.push_back(road);
    const LonLat dp = roads.NodePosition(drop);
    if (road_.source_walks[drop] == 1) {
      c.legs.push_back(walk_.WalkLeg(*walk_.CellIndex(dp), dp, fire_));
    } else {
      c.legs.push_back(StraightLeg(LegMode::kStraightWalk, dp, fire_, opt_.detour_factor, opt_.fallback_walk_kmh));
    }
    c.Finish();
    return c;
  }

  // C: straight-line drive to a walk-in point, then walk on the DEM. Walk-in points: the point `walk_in` from
  // the fire on the line to the base, and 36 points on the circle of radius `walk_in` (every 10°) — crews
  // approach from the best side. Each point that is off the DEM or not reached moves towards the fire until
  // it is on a reached cell.
  std::optional<Candidate> DriveThenWalk(const ForceUnit& u, double dist_fire) const {
    const double step = std::max(1.0, std::min(in_.dem->cell_x_m, in_.dem->cell_y_m));
    const double kDegLat = 111195.0, kDegLon = 111195.0 * std::cos(fire_.lat * std::numbers::pi / 180.0);
    std::vector<LonLat> dirs;  // unit vectors in degrees per metre
    dirs.push_back({(u.base.lon - fire_.lon) / dist_fire, (u.base.lat - fire_.lat) / dist_fire});
    for (int k = 0; k < 36; ++k) {
      const double a = k * 10.0 * std::numbers::pi / 180.0;
      dirs.push_back({std::sin(a) / kDegLon, std::cos(a) / kDegLat});
    }
    std::optional<Candidate> best;
    for (const LonLat& d : dirs) {
      for (double m = opt_.walk_in.value(); m > 0; m -= step) {
        const LonLat p{fire_.lon + d.lon * m, fire_.lat + d.lat * m};
        auto idx = walk_.CellIndex(p);
        if (!idx || !walk_.Reached(*idx)) continue;
        const Leg drive = StraightLeg(LegMode::kStraightDrive, u.base, p, opt_.detour_factor, opt_.fallback_drive_kmh);
        const double total = drive.time.value() + walk_.sp->time_s[*idx];
        if (!best || total < best->time_s) {
          Candidate c;
          c.legs.push_back(drive);
          c.legs.push_back(walk_.WalkLeg(*idx, p, fire_));
          c.Finish();
          best = std::move(c);
        }
        break;
      }
    }
    return best;
  }

  // D: last resort, straight line to the fire (drive, then walk the last walk_in metres).
  std::optional<Candidate> Straight(const ForceUnit& u, double dist_fire) const {
    if (dist_fire > opt_.fallback_radius.value() * 1000) return std::nullopt;
    Candidate c;
    if (dist_fire > opt_.walk_in.value()) {
      const LonLat p = Lerp(fire_, u.base, opt_.walk_in.value() / dist_fire);
      c.legs.push_back(StraightLeg(LegMode::kStraightDrive, u.base, p, opt_.detour_factor, opt_.fallback_drive_kmh));
      c.legs.push_back(StraightLeg(LegMode::kStraightWalk, p, fire_, opt_.detour_factor, opt_.fallback_walk_kmh));
    } else {
      c.legs.push_back(StraightLeg(LegMode::kStraightWalk, u.base, fire_, opt_.detour_factor, opt_.fallback_walk_kmh));
    }
    c.Finish();
    return c;
  }

  const DeployInputs& in_;
  const WalkField& walk_;
  const RoadField& road_;
  LonLat fire_;
  const DeployOptions& opt_;
};

// Whether a unit may be mobilised for this request, and through which category and channel (6.2.1 bans, 4.1
// categories and their minimum level, 4.2 channels). Excluded units are added to the plan with the reason.
struct Admission {
  const engine::ForceCategory* category = nullptr;
  const engine::RequestChannel* channel = nullptr;
  std::size_t channel_pos = 0;
};

class Admitter {
 public:
  Admitter(const engine::RuleSet& rules, const DeployRequest& req, DeploymentPlan& plan)
      : rules_(rules), req_(req), plan_(plan) {
    lvl_zh_ = req.level ? engine::LevelNameZh(*req.level) + std::string("响应") : "未启动市级响应";
    lvl_en_ = req.level ? std::string("level ") + engine::LevelName(*req.level) : "no city-level response";
  }

  std::optional<Admission> Admit(const ForceUnit& u) {
    if (Banned(u)) return std::nullopt;
    Admission a;
    a.category = Category(u);
    if (!a.category) return std::nullopt;
    if (!Channel(u, a)) return std::nullopt;
    return a;
  }

  void Exclude(const ForceUnit& u, Exclusion why, std::string clause, Text reason) {
    plan_.excluded.push_back(ExcludedUnit{u.id, u.name, u.type, why, std::move(clause), std::move(reason)});
  }

 private:
  // The plan's mobilisation bans (6.2.1): people who must not be mobilised.
  bool Banned(const ForceUnit& u) {
    for (const auto& ban : rules_.mobilisation_bans)
      for (const auto& a : u.people) {
        if (std::find(ban.attributes.begin(), ban.attributes.end(), a) == ban.attributes.end()) continue;
        Exclude(u, Exclusion::kBanned, ban.clause,
                T("名册注明该队含有\"" + a + "\"人员，" + ban.clause + "：" + ban.text.zh,
                  "the registry says the unit includes '" + a + "' people; " + ban.clause + ": " + ban.text.en));
        return true;
      }
    return false;
  }

  // The force category (4.1) and the lowest level at which it may be mobilised.
  const engine::ForceCategory* Category(const ForceUnit& u) {
    const engine::ForceCategory* cat = nullptr;
    for (const auto& fc : rules_.force_categories)
      if (std::find(fc.unit_types.begin(), fc.unit_types.end(), u.type) != fc.unit_types.end()) {
        cat = &fc;
        break;
      }
    if (!cat) {
      std::string msg = u.where + ": unknown unit type '" + u.type + "'";
      for (const auto& p : u.problems)
        if (p.find("unknown unit type") != std::string::npos) msg = p;
      const std::string clause = CategoriesClause(rules_);
      Exclude(
          u, Exclusion::kUnknownType, clause,
          T("未知队伍类型（不属于" + (clause.empty() ? std::string() : " " + clause + " ") + "任何力量类别）：" + msg,
            msg));
      return nullptr;
    }
    if (cat->min_level && (!req_.level || static_cast<int>(*req_.level) < static_cast<int>(*cat->min_level))) {
      Exclude(u, Exclusion::kLevel, cat->clause,
              T(cat->name.zh + "须" + engine::LevelNameZh(*cat->min_level) + "及以上响应方可调动（" + cat->clause +
                    "），当前为" + lvl_zh_,
                cat->name.en + " is mobilised from level " + engine::LevelName(*cat->min_level) + " up (" +
                    cat->clause + "); now " + lvl_en_));
      return nullptr;
    }
    return cat;
  }

  // The request channel (4.2): named by the registry, else the first that covers the type and locality.
  bool Channel(const ForceUnit& u, Admission& a) {
    const bool local = !plan_.county.empty() && u.home_county == plan_.county;
    const std::string cc = ChannelsClause(rules_);
    if (u.channel) {
      for (std::size_t i = 0; i < rules_.request_channels.size(); ++i)
        if (rules_.request_channels[i].id == *u.channel) a.channel = &rules_.request_channels[i], a.channel_pos = i;
      if (!a.channel) {
        std::string msg = u.where + ": unknown request channel '" + *u.channel + "'";
        for (const auto& p : u.problems)
          if (p.find("unknown request channel") != std::string::npos) msg = p;
        Exclude(u, Exclusion::kUnknownChannel, cc, T("未知调动渠道：" + msg, msg));
        return false;
      }
    } else {
      for (std::size_t i = 0; i < rules_.request_channels.size() && !a.channel; ++i) {
        const auto& c = rules_.request_channels[i];
        if (Covers(c, u.type) && (c.scope == "local") == local) a.channel = &c, a.channel_pos = i;
      }
    }
    if (!a.channel) {
      const std::string where_zh = plan_.county.empty() ? std::string("（火场县区未知）") : "（" + plan_.county + "）";
      const std::string where_en =
          plan_.county.empty() ? std::string(" (fire county unknown)") : " (" + plan_.county + ")";
      Exclude(u, Exclusion::kNoChannel, cc,
              local ? T("规则文件" + (cc.empty() ? std::string() : " " + cc + " ") + "中没有覆盖类型\"" + u.type +
                            "\"的属地调动渠道",
                        "no local request channel in the rule file" + Cite(cc, false) + " covers type '" + u.type + "'")
                    : T("类型\"" + u.type + "\"只能属地调动，而该队不属于火场所在县（区）" + where_zh,
                        "type '" + u.type + "' is only mobilised locally, and the unit is not from the fire's county" +
                            where_en));
      return false;
    }
    if (!req_.level && a.channel->scope != "local") {
      const engine::DeploymentText& d = rules_.deployment;
      Exclude(u, Exclusion::kLevel, a.channel->clause,
              T("未启动市级响应" + (d.local_only.zh.empty() ? std::string() : "：" + d.local_only.zh) +
                    Cite(d.local_only_clause, true) + "，非属地渠道\"" + a.channel->id + "\"暂不启用",
                "no city-level response" + (d.local_only.en.empty() ? std::string() : ": " + d.local_only.en) +
                    Cite(d.local_only_clause, false) + "; channel '" + a.channel->id + "' is not opened"));
      return false;
    }
    return true;
  }

  const engine::RuleSet& rules_;
  const DeployRequest& req_;
  DeploymentPlan& plan_;
  std::string lvl_zh_, lvl_en_;
};

struct Sortable {
  PlannedUnit pu;
  std::size_t channel_pos = 0;
  int priority = 0;
};

PlannedUnit Planned(const ForceUnit& u, const Admission& a, Candidate best) {
  PlannedUnit p;
  p.id = u.id;
  p.name = u.name;
  p.type = u.type;
  p.home_county = u.home_county;
  p.strength = u.strength;
  p.capabilities = u.capabilities;
  p.category_id = a.category->id;
  p.category_name = a.category->name;
  p.category_clause = a.category->clause;
  p.channel_id = a.channel->id;
  p.channel_clause = a.channel->clause;
  p.channel_text = a.channel->text;
  p.requested_by = a.channel->requested_by;
  p.requested_from = a.channel->requested_from;
  p.organised_by = a.channel->organised_by;
  p.readiness = u.readiness;
  p.legs = std::move(best.legs);
  p.estimated = best.estimated;
  p.travel = Seconds(best.time_s);
  p.eta = u.readiness + *p.travel;
  return p;
}

// Deployment order: tier by (channel order, category priority), then arrival time, then id.
void OrderIntoTiers(std::vector<Sortable>& planned, DeploymentPlan& plan) {
  std::stable_sort(planned.begin(), planned.end(), [](const Sortable& a, const Sortable& b) {
    if (a.channel_pos != b.channel_pos) return a.channel_pos < b.channel_pos;
    if (a.priority != b.priority) return a.priority < b.priority;
    const double ea = a.pu.eta ? a.pu.eta->value() : kInf, eb = b.pu.eta ? b.pu.eta->value() : kInf;
    if (ea != eb) return ea < eb;
    return a.pu.id < b.pu.id;
  });
  int tier = 0;
  std::pair<std::size_t, int> last{SIZE_MAX, 0};
  for (auto& s : planned) {
    if (std::make_pair(s.channel_pos, s.priority) != last) {
      ++tier;
      last = {s.channel_pos, s.priority};
    }
    s.pu.tier = tier;
    plan.units.push_back(std::move(s.pu));
  }
}

void ExcludeUnrouted(Admitter& adm, const ForceUnit& u, bool on_map, const WalkField& walk, LonLat fire,
                     const DeployOptions& opt) {
  const double km = GreatCircle(u.base, fire).value() / 1000;
  if (on_map || (walk.sp && walk.CellIndex(u.base))) {
    adm.Exclude(u, Exclusion::kUnreachable, "",
                T("驻地在图上但与火场不连通（道路网/地形步行图）：请核对道路图层或驻地坐标",
                  "the base is on the map but not connected to the fire (road / walking graph): check the road layer "
                  "or the base coordinates"));
    return;
  }
  adm.Exclude(
      u, Exclusion::kOutsideMaps, "",
      T("驻地不在任何地图范围内，且距火场 " + Fmt(km, 0) + " 公里，超过直线估算上限 " +
            Fmt(opt.fallback_radius.value(), 0) + " 公里：请核对坐标（经纬度是否颠倒）",
        "the base is on no map and " + Fmt(km, 0) + " km from the fire, beyond the " +
            Fmt(opt.fallback_radius.value(), 0) + " km straight-line limit: check its coordinates (lon/lat swapped?)"));
}

}  // namespace

DeploymentPlan PlanDeployment(const engine::RuleSet& rules, const Registry& registry, const DeployRequest& req,
                              const DeployInputs& in, const DeployOptions& opt) {
  DeploymentPlan plan;
  plan.request = req;
  plan.rules_id = rules.meta.id;
  plan.registry_source = registry.source;
  plan.registry_demo = registry.demo;
  RequestWarnings(rules, registry, req, in, plan);
  LevelCallsFor(rules, req, plan);

  const WalkField walk = BuildWalkField(in, req.fire, opt, plan);
  const RoadField road = BuildRoadField(in, walk, req.fire, opt, plan);
  plan.travel_basis = road.sp ? (walk.sp ? "roads+dem" : "roads") : (walk.sp ? "dem" : "");
  if (plan.travel_basis.empty()) {
    plan.travel_basis = "straight-line";
    plan.warnings.push_back(
        T("没有可用的道路图层或 DEM：所有行程均为直线距离×绕行系数 " + Fmt(opt.detour_factor, 2) + " 的估算",
          "no usable road layer or DEM: every trip is a straight line x detour factor " + Fmt(opt.detour_factor, 2) +
              " (estimate)"));
  }

  const Router router(in, walk, road, req.fire, opt);
  Admitter adm(rules, req, plan);
  std::vector<Sortable> planned;
  for (const ForceUnit& u : registry.units) {
    const auto a = adm.Admit(u);
    if (!a) continue;
    bool on_map = false;
    auto best = router.Best(u, &on_map);
    if (!best) {
      ExcludeUnrouted(adm, u, on_map, walk, req.fire, opt);
      continue;
    }
    planned.push_back(Sortable{Planned(u, *a, std::move(*best)), a->channel_pos, a->category->priority});
  }
  OrderIntoTiers(planned, plan);
  if (plan.units.empty())
    plan.warnings.push_back(
        T("没有可调动的队伍：见被排除队伍及原因", "no unit can be deployed: see the excluded units and why"));

  plan.safety = AssessSafety(rules, req.fire, in, opt);
  return plan;
}

}  // namespace firebreak::forces
