// Internal to server/src: the Server's state, shared by server.cc (life cycle, dispatch, live updates),
// api.cc (the desk's API) and api_maps.cc (maps, deployment, drills).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "auth.h"
#include "clock.h"
#include "desk_api.h"
#include "firebreak/engine/engine.h"
#include "firebreak/server/server.h"
#include "http.h"
#include "router.h"

namespace firebreak::server {

struct Server::Impl {
  Impl(const engine::RuleSet& rules, ServerOptions options, std::shared_ptr<DeskGeo> geo);

  const engine::RuleSet& rules;
  ServerOptions opt;
  std::shared_ptr<DeskGeo> geo;
  engine::Engine engine;
  Clock clock;
  Roles roles;
  Sessions sessions;
  LoginThrottle throttle;

  std::mutex desk_mu;  // one store operation at a time (held around every DeskApi call)
  std::mutex geo_mu;   // GDAL datasets: one map call at a time (taken after desk_mu when both are needed)
  std::unique_ptr<DeskApi> desk;

  boost::asio::io_context ioc;
  boost::asio::thread_pool work;
  SseHub hub;
  std::unique_ptr<HttpServer> http;
  std::vector<std::thread> threads;
  boost::asio::steady_timer ticker;
  Router router;
  unsigned short port = 0;
  std::atomic<bool> started{false}, stopped{false};
  std::mutex wait_mu;
  std::condition_variable wait_cv;

  // The latest status snapshot (GET /api/status, the SSE "status" event). Guarded by snap_mu.
  std::mutex snap_mu;
  std::shared_ptr<const std::string> snapshot;  // JSON
  std::shared_ptr<const std::string> snapshot_event;
  std::uint64_t version = 0;
  std::optional<Timestamp> next_wakeup;
  int ticks = 0;

  std::string meta_json;  // GET /api/meta (built once)
  // The map's base layers, computed on first request (guarded by geo_mu).
  std::string layers_cache;
  std::optional<Hillshade> hillshade_cache;
  // Forecasts by incident state and query (DeskApi::LatestState's version, hours, members), the newest
  // kForecastCacheSize kept (guarded by geo_mu): the map, the sheet and every open page share one run.
  static constexpr std::size_t kForecastCacheSize = 16;
  std::deque<std::pair<std::string, std::shared_ptr<const std::string>>> forecast_cache;

  // Recomputes the snapshot and broadcasts it. REQUIRES: desk_mu held.
  void RefreshLocked();
  std::shared_ptr<const std::string> Snapshot();
  std::shared_ptr<const std::string> SnapshotEvent();

  void Dispatch(Request req, std::function<void(Response)> done);
  void CheckHost(const Request& req) const;
  void CheckWrite(const Request& req, const Route& route) const;
  void Tick();

  // The signed-in person as a store::User (role and names from the session).
  static store::User UserOf(const Request& req);
  Permissions PermissionsOf(const Request& req) const { return roles.Of(req.user->role); }
  // HttpError(403) unless `allowed`; `what` names the action ("declare a response level").
  void Require(bool allowed, const Request& req, const std::string& what, const std::string& who_may) const;

  void AddApiRoutes();  // api.cc: the seven below
  void AddSessionRoutes();
  void AddAssessRoutes();
  void AddIncidentRoutes();
  void AddDutyRoutes();
  void AddAuditRoutes();
  void AddShiftRoutes();
  void AddTestRoutes();
  void AddMapRoutes();            // api_maps.cc: maps, terrain, deployment
  void AddForecastRoute();        // api_maps.cc: the forecast (a projection)
  void AddDrillRoutes();          // api_maps.cc: scenarios and drills
  std::string BuildMeta() const;  // api.cc
};

}  // namespace firebreak::server
