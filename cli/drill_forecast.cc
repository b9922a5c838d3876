// Drills with a forecast (issue 10; docs/forecast.md, "In drills"): the projection made from each incident's first
// report, beside what the drill later required (from the reported facts) — so a drill director sees how early the
// projection warned. The projection comes from the geo plugin as JSON (Enricher::Forecast); the comparison is made
// here against the drill's timeline. Projections are labelled as such; expectations and the audit are unchanged.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "enrich.h"
#include "firebreak/common/error.h"
#include "firebreak/format/report_io.h"
#include "firebreak/store/drill.h"
#include "firebreak/timeline/scenario.h"

namespace firebreak::cli {

namespace {

using nlohmann::ordered_json;

struct Comparison {
  std::string incident_id;
  Timestamp from;
  ordered_json forecast;  // ForecastSummaryJson / ForecastUnavailableJson
  struct Row {
    std::string clause, kind;
    std::optional<std::string> level;
    std::optional<Timestamp> projected, required;
  };
  std::vector<Row> rows;
  struct Area {
    Timestamp at;
    double reported = 0;
    std::optional<double> projected;
  };
  std::vector<Area> areas;
};

std::optional<Timestamp> FirstRequired(const timeline::IncidentTimeline& it, const std::string& clause,
                                       const std::string& kind) {
  for (const auto& s : it.steps) {
    if (kind == "level" && std::find(s.triggers.begin(), s.triggers.end(), clause) != s.triggers.end()) return s.at;
    if (kind == "report") {
      for (const auto& d : s.reporting) {
        if (d.clause == clause) return s.at;
      }
    }
  }
  return std::nullopt;
}

std::optional<double> ProjectedArea(const ordered_json& curve, double hours) {
  std::optional<double> a;
  for (const auto& p : curve) {
    if (p["hours"].get<double>() <= hours + 1e-9) a = p["area_ha"].get<double>();
  }
  return hours <= curve.back()["hours"].get<double>() + 1e-9 ? a : std::nullopt;
}

std::vector<Comparison> Compare(const timeline::Scenario& sc, const store::DrillResult& r, const engine::RuleSet& rules,
                                Enricher& enricher) {
  std::vector<Comparison> out;
  for (const auto& it : r.timeline.incidents) {
    const timeline::ScenarioReport* first = nullptr;
    for (const auto& rep : sc.reports) {
      if (rep.incident_id == it.incident_id && (!first || rep.at < first->at)) first = &rep;
    }
    if (!first) continue;
    Comparison c;
    c.incident_id = it.incident_id;
    c.from = first->at;
    const engine::Incident incident = format::ParseReports(first->json, first->where, rules).at(0);
    c.forecast = ordered_json::parse(enricher.Forecast(incident, "en", true));
    if (c.forecast.value("available", false)) {
      for (const auto& t : c.forecast["thresholds"]) {
        const std::string kind = t["kind"];
        if (kind != "level" && kind != "report") continue;
        Comparison::Row row{t["clause"], kind, std::nullopt, std::nullopt, FirstRequired(it, t["clause"], kind)};
        if (t["level"].is_string()) row.level = t["level"].get<std::string>();
        if (t["hours"].is_number()) row.projected = Plus(c.from, Seconds(std::round(t["hours"].get<double>() * 3600)));
        c.rows.push_back(row);
      }
      for (const auto& rep : sc.reports) {
        if (rep.incident_id != it.incident_id || rep.at <= c.from) continue;
        const auto j = nlohmann::json::parse(rep.json);
        if (!j.contains("burned_area_ha")) continue;
        const double h = Between(c.from, rep.at).value() / 3600.0;
        c.areas.push_back({rep.at, j["burned_area_ha"].get<double>(), ProjectedArea(c.forecast["area_curve"], h)});
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string Lead(const std::optional<Timestamp>& projected, const std::optional<Timestamp>& required, bool zh) {
  if (!projected || !required) return "—";
  const double h = Between(*projected, *required).value() / 3600.0;
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(1);
  if (h >= 0)
    os << (zh ? "提前 " : "") << h << (zh ? " 小时" : " h earlier");
  else
    os << (zh ? "晚 " : "") << -h << (zh ? " 小时" : " h later");
  return os.str();
}

}  // namespace

std::string DrillProjectionsText(const timeline::Scenario& sc, const store::DrillResult& r,
                                 const engine::RuleSet& rules, Enricher& enricher, const std::string& lang) {
  const bool zh = lang != "en";
  std::ostringstream os;
  for (const Comparison& c : Compare(sc, r, rules, enricher)) {
    os << (zh ? "\n【预测与实况对照】" : "\n[Projection vs reports] ") << c.incident_id
       << (zh ? "：首报 " : ": projected from the first report at ") << FormatShort(c.from)
       << (zh ? " 的预测（预测，非要求）\n" : " (a PROJECTION, not a requirement)\n");
    if (!c.forecast.value("available", false)) {
      os << (zh ? "  无法预测：" : "  not available: ") << c.forecast.value("why", "") << "\n";
      continue;
    }
    os << (zh ? "  条款            预测时刻      按报告应启动  提前量\n"
              : "  clause          projected     required by reports  lead\n");
    for (const auto& row : c.rows) {
      std::string clause = row.clause + (row.level ? " " + *row.level : "");
      clause.resize(std::max<std::size_t>(clause.size() + 1, 16), ' ');
      os << "  " << clause << (row.projected ? FormatShort(*row.projected) : std::string("—          ")) << "   "
         << (row.required ? FormatShort(*row.required) : std::string(zh ? "未启动     " : "never      ")) << "   "
         << Lead(row.projected, row.required, zh) << "\n";
    }
    for (const auto& a : c.areas) {
      std::ostringstream line;
      line.setf(std::ios::fixed);
      line.precision(0);
      line << "  " << FormatShort(a.at) << (zh ? "  报告过火面积 " : "  reported ") << a.reported
           << (zh ? " 公顷，预测 " : " ha, projected ");
      if (a.projected)
        line << *a.projected << (zh ? " 公顷" : " ha");
      else
        line << (zh ? "（超出预测时段）" : "(beyond the horizon)");
      os << line.str() << "\n";
    }
  }
  return os.str();
}

std::string DrillProjectionsJson(const std::string& drill_json, const timeline::Scenario& sc,
                                 const store::DrillResult& r, const engine::RuleSet& rules, Enricher& enricher) {
  ordered_json j = ordered_json::parse(drill_json);
  ordered_json list = ordered_json::array();
  for (const Comparison& c : Compare(sc, r, rules, enricher)) {
    ordered_json rows = ordered_json::array();
    for (const auto& row : c.rows) {
      rows.push_back(
          {{"clause", row.clause},
           {"kind", row.kind},
           {"level", row.level ? ordered_json(*row.level) : ordered_json(nullptr)},
           {"projected_at", row.projected ? ordered_json(FormatIso8601(*row.projected)) : ordered_json(nullptr)},
           {"required_at", row.required ? ordered_json(FormatIso8601(*row.required)) : ordered_json(nullptr)},
           {"lead_hours", row.projected && row.required
                              ? ordered_json(Between(*row.projected, *row.required).value() / 3600.0)
                              : ordered_json(nullptr)}});
    }
    ordered_json areas = ordered_json::array();
    for (const auto& a : c.areas) {
      areas.push_back({{"at", FormatIso8601(a.at)},
                       {"reported_ha", a.reported},
                       {"projected_ha", a.projected ? ordered_json(*a.projected) : ordered_json(nullptr)}});
    }
    list.push_back({{"incident_id", c.incident_id},
                    {"projected_from", FormatIso8601(c.from)},
                    {"projection", true},
                    {"thresholds", rows},
                    {"areas", areas},
                    {"forecast", c.forecast}});
  }
  j["projections"] = list;
  return j.dump(2);
}

}  // namespace firebreak::cli
