// The map, terrain, deployment and drill endpoints (docs/api.md). Maps go through DeskGeo (the geo plugin in
// the firebreak binary), one call at a time; drills replay a scenario file into an in-memory store (RunDrill).
#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "firebreak/store/drill.h"
#include "firebreak/timeline/scenario.h"
#include "json_in.h"
#include "server_impl.h"

namespace firebreak::server {

namespace {

using json = nlohmann::ordered_json;

DeskGeo& NeedMaps(const std::shared_ptr<DeskGeo>& geo, bool ok, const std::string& what, const char* option) {
  if (!geo || !ok)
    throw HttpError(404, "not-found", what, "no " + std::string(option + 2) + " configured on this desk",
                    std::string("start `firebreak serve` with ") + option + " FILE");
  return *geo;
}

// A number from the query string (nullopt if absent); Error(kUsage) if not a finite number in [lo, hi].
std::optional<double> QueryNumber(const Request& req, const std::string& name, double lo, double hi) {
  const std::string s = req.Query(name);
  if (s.empty()) return std::nullopt;
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || !std::isfinite(v) || v < lo || v > hi)
    throw Error(ErrorKind::kUsage, "?" + name,
                "must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + s + "'");
  return v;
}

// The scenario files offered on the drill page: *.yaml directly in the directory, by file stem.
std::vector<std::filesystem::path> ScenarioFiles(const std::string& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void Server::Impl::AddMapRoutes() {
  router.Add({"GET", "/api/map/layers", Access::kUser, Where::kBlocking, [this](Request& req) {
                DeskGeo& g = NeedMaps(geo, geo && geo->has_layers(), req.path, "--layers");
                std::lock_guard<std::mutex> lock(geo_mu);
                if (layers_cache.empty()) layers_cache = g.LayersGeoJson();
                Response r = Response::Json(layers_cache);
                r.content_type = "application/geo+json; charset=utf-8";
                return r;
              }});
  auto hillshade = [this](Request& req) -> const Hillshade& {
    DeskGeo& g = NeedMaps(geo, geo && geo->has_dem(), req.path, "--dem");
    if (!hillshade_cache) hillshade_cache = g.HillshadePng();
    return *hillshade_cache;
  };
  router.Add({"GET", "/api/map/hillshade", Access::kUser, Where::kBlocking, [this, hillshade](Request& req) {
                std::lock_guard<std::mutex> lock(geo_mu);
                const Hillshade& h = hillshade(req);
                return Response::Json(json{
                    {"url", "/api/map/hillshade.png"},
                    {"bounds", {{h.south, h.west}, {h.north, h.east}}},
                    {"bytes",
                     h.png.size()}}.dump());
              }});
  router.Add({"GET", "/api/map/hillshade.png", Access::kUser, Where::kBlocking, [this, hillshade](Request& req) {
                std::lock_guard<std::mutex> lock(geo_mu);
                Response r;
                r.content_type = "image/png";
                r.body = hillshade(req).png;
                r.headers.emplace_back("Cache-Control", "private, max-age=3600");
                return r;
              }});

  router.Add({"GET", "/api/terrain", Access::kUser, Where::kBlocking, [this](Request& req) {
                DeskGeo& g = NeedMaps(geo, geo && (geo->has_dem() || geo->has_layers()), req.path, "--dem");
                TerrainQuery q;
                const auto lon = QueryNumber(req, "lon", -180, 180), lat = QueryNumber(req, "lat", -90, 90);
                if (!lon || !lat)
                  throw Error(ErrorKind::kUsage, "?lon,lat", "give the point as ?lon=…&lat=… (WGS84 degrees)");
                q.at = {*lon, *lat};
                q.wind_from_deg = QueryNumber(req, "wind_from", 0, 360);
                q.wind_speed_ms = QueryNumber(req, "wind_speed", 0, 100);
                q.radius_km = QueryNumber(req, "radius_km", 0.1, 50).value_or(3.0);
                q.night = req.Query("night") == "1" || req.Query("night") == "true";
                std::lock_guard<std::mutex> lock(geo_mu);
                return Response::Json(g.Terrain(q));
              }});

  router.Add(
      {"GET", "/api/deploy", Access::kUser, Where::kBlocking, [this](Request& req) {
         DeskGeo& g = NeedMaps(geo, geo && geo->has_forces(), req.path, "--forces");
         const std::string id = req.Query("incident");
         if (id.empty()) throw Error(ErrorKind::kUsage, "?incident", "name the incident: ?incident=ID");
         std::optional<engine::Level> level;
         if (!req.Query("level").empty()) {
           level = engine::ParseLevel(req.Query("level"));
           if (!level)
             throw Error(ErrorKind::kUsage, "?level", "unknown level '" + req.Query("level") + "'", "IV, III, II or I");
         }
         std::lock_guard<std::mutex> lock(desk_mu);
         engine::Incident inc = desk->LatestState(id);
         if (!level)
           level = engine.Assess(inc, std::max(clock.Now(), inc.reported_at), engine::Concurrency{}).response_level;
         std::lock_guard<std::mutex> glock(geo_mu);
         return Response::Json(g.Deploy(inc, level));
       }});
  AddForecastRoute();
}

// The forecast of an incident's latest state (`firebreak forecast`): a projection, never a requirement. It runs
// under geo_mu (seconds on a large landscape: other map calls wait, the board and reports do not).
void Server::Impl::AddForecastRoute() {
  router.Add({"GET", "/api/forecast", Access::kUser, Where::kBlocking, [this](Request& req) {
                DeskGeo& g = NeedMaps(geo, geo && geo->has_forecast(), req.path, "--landscape");
                const std::string id = req.Query("incident");
                if (id.empty()) throw Error(ErrorKind::kUsage, "?incident", "name the incident: ?incident=ID");
                ForecastQuery q;
                q.hours = QueryNumber(req, "hours", 0.1, 336).value_or(g.forecast_hours());
                const std::optional<double> members = QueryNumber(req, "ensemble", 0, 200);
                if (members && *members != std::floor(*members))
                  throw Error(ErrorKind::kUsage, "?ensemble", "must be a whole number of members");
                q.ensemble = static_cast<int>(members.value_or(0));
                engine::Incident inc;
                std::string key;
                {
                  std::lock_guard<std::mutex> lock(desk_mu);
                  inc = desk->LatestState(id, &key);
                }
                key += '\n' + std::to_string(q.hours) + '\n' + std::to_string(q.ensemble);
                std::lock_guard<std::mutex> glock(geo_mu);
                Response r;
                r.headers.emplace_back("X-Firebreak-Cache", "hit");
                for (const auto& [k, body] : forecast_cache)
                  if (k == key) {
                    r.shared_body = body;
                    return r;
                  }
                r.shared_body = std::make_shared<const std::string>(g.Forecast(inc, q));
                r.headers.back().second = "miss";
                forecast_cache.emplace_back(std::move(key), r.shared_body);
                if (forecast_cache.size() > kForecastCacheSize) forecast_cache.pop_front();
                return r;
              }});
}

// Drills: the scenarios on offer, and one replayed into a fresh in-memory store.
void Server::Impl::AddDrillRoutes() {
  router.Add({"GET", "/api/scenarios", Access::kUser, Where::kBlocking, [this](Request&) {
                json a = json::array();
                for (const auto& p : ScenarioFiles(opt.scenarios_dir)) {
                  json s = {{"name", p.stem().string()}};
                  try {
                    const timeline::Scenario sc = timeline::LoadScenario(p.string(), &rules);
                    s["title"] = {{"zh", sc.title.zh}, {"en", sc.title.en}};
                    s["start"] = FormatIso8601(sc.start);
                    s["expectations"] = sc.expectation_count();
                  } catch (const Error& e) {
                    s["error"] = e.ToString();
                  }
                  a.push_back(std::move(s));
                }
                return Response::Json(a.dump(-1, ' ', false, json::error_handler_t::replace));
              }});
  router.Add({"POST", "/api/drill", Access::kUser, Where::kBlocking, [this](Request& req) {
                JsonObject o = JsonObject::Parse(req.body);
                const std::string name = o.Str("scenario");
                o.Done();
                std::string file;
                std::vector<std::string> names;
                for (const auto& p : ScenarioFiles(opt.scenarios_dir)) {
                  names.push_back(p.stem().string());
                  if (p.stem().string() == name) file = p.string();
                }
                if (file.empty()) {  // only the listed files: a name is never a path
                  const std::string near = ClosestMatch(name, names);
                  throw Error(ErrorKind::kNotFound, "request body: /scenario", "no scenario '" + name + "'",
                              near.empty() ? "GET /api/scenarios lists them" : "did you mean '" + near + "'?");
                }
                const timeline::Scenario sc = timeline::LoadScenario(file, &rules);
                store::DrillOptions dopt;  // a fresh in-memory store: the desk's store is not touched
                std::unique_lock<std::mutex> glock(geo_mu, std::defer_lock);
                if (geo && sc.terrain) {
                  glock.lock();
                  dopt.enrich = geo->ScenarioEnrich(sc);
                }
                const store::DrillResult r = store::RunDrill(sc, engine, dopt);
                return Response::Json(store::DrillToJson(sc, r, rules, -1));
              }});
}

}  // namespace firebreak::server
