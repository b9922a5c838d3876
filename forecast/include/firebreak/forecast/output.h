// Renderings of a forecast (formats: docs/forecast.md). Every threshold is labelled a PROJECTION (预测，非要求).
//   text     the duty officer's sheet, Chinese by default
//   json     for tools: area_curve [{hours, area_ha}], arrivals [{name, kind, hours, ...}],
//            thresholds [{clause, level, hours, p10, p90, probability, ...}] and the inputs echoed
//   html     one self-contained page: inline SVG of the perimeters, places reached and ignition; the area curve with
//            the thresholds on it; the tables
//   geojson  FeatureCollection in WGS84 (RFC 7946): isochrone polygons, places and boundaries reached, the ignition
//   geotiff  band 1 arrival hours after the report (nodata where not burned by the horizon); band 2 the ensemble's
//            burn probability (with --ensemble)
// Files are written to a temporary name in the target directory and renamed once every output is complete: a
// failure leaves no partial file.
#pragma once

#include <string>

#include "firebreak/engine/rule_set.h"
#include "firebreak/forecast/forecast.h"

namespace firebreak::forecast {

std::string ForecastText(const ForecastResult& r, const engine::RuleSet& rules, bool zh);
std::string ForecastJson(const ForecastResult& r, const engine::RuleSet& rules);
std::string ForecastHtml(const ForecastResult& r, const engine::RuleSet& rules, bool zh);
std::string ForecastGeoJson(const ForecastResult& r, const engine::RuleSet& rules);

// The compact forecast section that assess / report / status append (docs/forecast.md, "In assess, report and
// status"): the thresholds and arrivals, labelled projections. Unavailable forecasts say why.
std::string ForecastSummaryText(const ForecastResult& r, const engine::RuleSet& rules, bool zh);
std::string ForecastSummaryJson(const ForecastResult& r, const engine::RuleSet& rules);
std::string ForecastUnavailableText(const std::string& why, bool zh);
std::string ForecastUnavailableJson(const std::string& why);

struct OutputFiles {
  std::string geojson, tif, html;
  bool zh = true;
};
// Writes the requested files (all or none). Throws Error(kInput, path, ...) when one cannot be written.
void WriteOutputs(const ForecastResult& r, const engine::RuleSet& rules, const OutputFiles& files);

// What a threshold starts, in the plan's words (for renderers here and in the timeline).
struct ThresholdText {
  std::string zh, en;            // the rule's text
  std::string what_zh, what_en;  // "Ⅲ级响应" / "level III response", "向上报告" / "upward report", ...
  std::vector<std::string> who;  // role/unit ids: deciders, or reporter + recipients, or leading units
  std::string who_label_zh, who_label_en;  // "决定", "报告", "牵头", "指挥"
};
ThresholdText DescribeThreshold(const engine::RuleSet& rules, const ThresholdId& id);

}  // namespace firebreak::forecast
