// Shared fixtures for the forces tests: a small in-memory rule set with the plan's 4.1/4.2/6.2.1 structure
// (stable ids, independent of the real rule file) and synthetic DEM grids in UTM 49N near Liuzhou.
#pragma once

#include <cmath>
#include <functional>
#include <string>

#include "firebreak/engine/rule_set.h"
#include "firebreak/gis/raster.h"

namespace firebreak::forces::testing {

inline engine::RuleSet MakeRules() {
  engine::RuleSet r;
  r.meta.id = "test-plan";
  r.source_file = "test-plan.yaml";
  r.counties = {{"柳城县", "450222", "柳城", "Liucheng County"}, {"鹿寨县", "450223", "鹿寨", "Luzhai County"}};
  r.roles = {{"county_hq", {"县级指挥机构", "county HQ"}, "3.1", {}},
             {"city_hq", {"市指挥部", "city HQ"}, "3.1", {}},
             {"city_hq_office", {"市指挥部办公室", "city HQ office"}, "3.1", {}},
             {"region_hq", {"自治区指挥部", "region HQ"}, "3.1", {}}};
  engine::ForceCategory main{"main", {"主力", "main"}, "4.1", 1, {"pro", "fire_rescue", "aviation"}, {}, "", {}};
  engine::ForceCategory support{
      "support", {"辅助", "support"}, "4.1", 2, {"pla", "armed_police"}, engine::Level::kII, "", {}};
  engine::ForceCategory assisting{"assisting", {"协助", "assisting"}, "4.1", 4, {"villagers"}, {}, "必要时", {}};
  r.force_categories = {main, support, assisting};
  auto ch = [](std::string id, std::string clause, std::vector<std::string> types, std::string scope, std::string by,
               std::vector<std::string> from) {
    engine::RequestChannel c;
    c.id = std::move(id);
    c.clause = std::move(clause);
    c.text = {c.id + "渠道", c.id + " channel"};
    c.unit_types = std::move(types);
    c.scope = std::move(scope);
    c.requested_by = std::move(by);
    c.requested_from = std::move(from);
    return c;
  };
  r.request_channels = {
      ch("local", "4.2", {"pro", "villagers"}, "local", "county_hq", {}),
      ch("cross_county", "4.2", {"pro"}, "cross_county", "city_hq", {"sending_county_hq"}),
      ch("city_fire_rescue", "4.2", {"fire_rescue"}, "city", "city_hq_office", {"detachment"}),
      ch("army", "4.2", {"pla", "armed_police"}, "army", "city_hq_office", {"柳州军分区", "武警柳州支队"}),
      ch("region", "6.2.1", {"aviation"}, "region", "city_hq", {"region_hq"})};
  r.mobilisation_bans = {{"6.2.1",
                          {"不得动员残疾人、孕妇和未成年人", "no disabled, pregnant or minors"},
                          {"disabled", "pregnant", "minor", "unfit"},
                          {}}};
  engine::SafetyRule s;
  s.id = "十个严禁(9)";
  s.clause = "3.3";
  s.group = "十个严禁";
  s.text = {"严禁在未预设安全区域和安全撤离路线情况下组织队伍扑火",
            "never fight without a safety zone and escape route"};
  r.safety = {s};
  r.deployment.escape_rule = s.id;  // the rule file names the safety-zone rule (deployment.escape_rule)
  return r;
}

// A rows x cols DEM in UTM 49N (EPSG:32649) with `cell` metre cells, top-left at (300000, 2700000) — near
// 109.03E 24.40N. z(r, c) gives the elevation (NaN = nodata).
inline gis::Grid MakeDem(int rows, int cols, double cell, const std::function<float(int, int)>& z) {
  gis::Grid g = gis::MakeGrid(rows, cols, {300000.0, cell, 0.0, 2700000.0, 0.0, -cell}, "EPSG:32649");
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) g.z[g.Index(r, c)] = z(r, c);
  return g;
}

// A plane rising eastwards at `deg` degrees.
inline gis::Grid TiltedDem(int rows, int cols, double cell, double deg) {
  const double k = std::tan(deg * 3.14159265358979323846 / 180.0) * cell;
  return MakeDem(rows, cols, cell, [k](int, int c) { return static_cast<float>(100.0 + k * c); });
}

}  // namespace firebreak::forces::testing
