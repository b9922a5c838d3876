// The Server (server.h): life cycle, request dispatch (host allow-list, sessions, CSRF, where a handler runs),
// the embedded page, and the live status snapshot pushed to every open page.
#include "firebreak/server/server.h"

#include <iostream>
#include <set>

#include <boost/asio/post.hpp>

#include "assets.h"
#include "server_impl.h"

namespace firebreak::server {

namespace asio = boost::asio;

namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

Response Call(const Route& route, Request& req) {
  try {
    return route.handler(req);
  } catch (const HttpError& e) {
    return ErrorResponse(e);
  } catch (const Error& e) {
    if (HttpStatusOf(e.kind()) >= 500)
      std::cerr << "firebreak serve: " << req.method << " " << req.path << ": " << e.ToString() << "\n";
    return ErrorResponse(e);
  } catch (const std::exception& e) {
    std::cerr << "firebreak serve: internal error in " << req.method << " " << req.path << ": " << e.what() << "\n";
    return ErrorResponse(Error(ErrorKind::kInternal, req.path, std::string("internal error: ") + e.what(),
                               "please report this with what you did"));
  }
}

Response Asset(const Request& req) {
  const std::string path = req.path == "/" ? "/index.html" : req.path;
  const EmbeddedAsset* a = FindAsset(path);
  if (!a)
    throw HttpError(404, "not-found", req.path, "no such page or file",
                    "the desk's pages start at / (静态文件只有内置的页面与 Leaflet)");
  Response r;
  r.headers.emplace_back("ETag", std::string(a->etag));
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (req.Header("if-none-match") == a->etag) {
    r.status = 304;
    r.content_type = std::string(a->content_type);
    return r;
  }
  r.content_type = std::string(a->content_type);
  r.body.assign(a->data, a->size);
  return r;
}

}  // namespace

Server::Impl::Impl(const engine::RuleSet& r, ServerOptions o, std::shared_ptr<DeskGeo> g)
    : rules(r),
      opt(std::move(o)),
      geo(std::move(g)),
      engine(rules),
      clock(opt.test_clock, opt.utc_offset_min),
      roles(rules),
      sessions(opt.session_idle, opt.session_max),
      work(static_cast<std::size_t>(std::max(1, opt.workers))),
      ticker(ioc) {
  desk = std::make_unique<DeskApi>(rules, engine, opt.store_path, opt.password_cost, geo, geo_mu,
                                   opt.audit_tolerance_min, [this] { return clock.Now(); });
  meta_json = BuildMeta();
  AddApiRoutes();
  AddMapRoutes();
  AddDrillRoutes();
}

store::User Server::Impl::UserOf(const Request& req) {
  return store::User{req.user->username, req.user->role, req.user->display_name, true, {}};
}

void Server::Impl::Require(bool allowed, const Request& req, const std::string& what,
                           const std::string& who_may) const {
  if (allowed) return;
  throw HttpError(403, "forbidden", req.path,
                  rules.NameOf(req.user->role, "en") + " (" + req.user->role + ", signed in as " + req.user->username +
                      ") may not " + what,
                  who_may);
}

void Server::Impl::CheckHost(const Request& req) const {
  const std::string host = req.Header("host");
  std::set<std::string> ok = {"127.0.0.1:" + std::to_string(port), "localhost:" + std::to_string(port),
                              "[::1]:" + std::to_string(port), opt.host + ":" + std::to_string(port)};
  for (const auto& h : opt.allowed_hosts) {
    ok.insert(h);
    if (h.find(':') == std::string::npos) ok.insert(h + ":" + std::to_string(port));
  }
  if (!ok.count(host))
    throw HttpError(
        421, "host", "Host: " + host, "this desk does not answer to the host name '" + host + "'",
        "open it as http://127.0.0.1:" + std::to_string(port) + "/ or start the server with --allow-host NAME");
}

void Server::Impl::CheckWrite(const Request& req, const Route& route) const {
  const std::string origin = req.Header("origin");
  if (!origin.empty() && origin != "http://" + req.Header("host"))
    throw HttpError(403, "csrf", "Origin: " + origin, "a request from another site was refused",
                    "use the desk's own page");
  if (req.Header("sec-fetch-site") == "cross-site")
    throw HttpError(403, "csrf", "Sec-Fetch-Site", "a request from another site was refused",
                    "use the desk's own page");
  if (route.access == Access::kUser && req.Header("x-csrf-token") != req.user->csrf)
    throw HttpError(403, "csrf", "X-CSRF-Token", "missing or wrong CSRF token",
                    "reload the page (the token comes with GET /api/session)");
  const std::string type = req.Header("content-type");
  const bool json = StartsWith(type, "application/json");
  const bool yaml = StartsWith(type, "application/yaml") || StartsWith(type, "text/yaml");
  const bool reports = req.path == "/api/assess" || req.path == "/api/reports";
  if ((!req.body.empty() || req.path == "/api/login") && !(json || (yaml && reports)))
    throw HttpError(
        415, "media-type", "Content-Type: " + type, "the body must be JSON",
        reports ? "Content-Type: application/json (or application/yaml)" : "Content-Type: application/json");
}

void Server::Impl::Dispatch(Request req, std::function<void(Response)> done) {
  try {
    CheckHost(req);
    if (req.method == "GET" && !StartsWith(req.path, "/api/")) return done(Asset(req));
    bool known = false;
    const Route* route = router.Match(req.method, req.path, req.params, &known);
    if (!route) {
      if (known) throw HttpError(405, "method", req.path, req.method + " is not allowed here");
      throw HttpError(404, "not-found", req.path, "no such API endpoint", "docs/api.md lists them");
    }
    if (route->access == Access::kUser) {
      req.user = sessions.Find(CookieValue(req.Header("cookie"), kSessionCookie));
      if (!req.user)
        throw HttpError(401, "unauthenticated", req.path, "not signed in, or the session has expired",
                        "sign in again (登录已过期，请重新登录; what you typed is kept)");
    }
    if (req.method != "GET") CheckWrite(req, *route);
    if (route->where == Where::kInline) return done(Call(*route, req));
    asio::post(work, [route, req = std::move(req), done = std::move(done)]() mutable { done(Call(*route, req)); });
  } catch (const HttpError& e) {
    done(ErrorResponse(e));
  } catch (const Error& e) {
    done(ErrorResponse(e));
  }
}

void Server::Impl::RefreshLocked() {
  DeskSnapshot snap = desk->Snapshot(clock.Now());
  std::lock_guard<std::mutex> lock(snap_mu);
  ++version;
  auto body = std::make_shared<std::string>("{\"version\":" + std::to_string(version) + ",\"test_clock\":" +
                                            (clock.test_mode() ? "true" : "false") + "," + snap.json.substr(1));
  snapshot = body;
  snapshot_event = std::make_shared<const std::string>("event: status\ndata: " + *body + "\n\n");
  next_wakeup = snap.next_wakeup;
  hub.Broadcast("status", snapshot_event);
}

std::shared_ptr<const std::string> Server::Impl::Snapshot() {
  std::lock_guard<std::mutex> lock(snap_mu);
  return snapshot;
}
std::shared_ptr<const std::string> Server::Impl::SnapshotEvent() {
  std::lock_guard<std::mutex> lock(snap_mu);
  return snapshot_event;
}

// Every second: recompute when a clock-driven due time has passed (and every minute anyway); every 15 s a
// comment line keeps idle event streams open through proxies.
void Server::Impl::Tick() {
  if (stopped) return;
  ++ticks;
  bool due = ticks % 60 == 0;
  {
    std::lock_guard<std::mutex> lock(snap_mu);
    due = due || (next_wakeup && clock.Now() >= *next_wakeup);
    if (due) next_wakeup.reset();  // one recompute per due time
  }
  if (due)
    asio::post(work, [this] {
      try {
        std::lock_guard<std::mutex> lock(desk_mu);
        RefreshLocked();
      } catch (const std::exception& e) {
        std::cerr << "firebreak serve: status refresh failed: " << e.what() << "\n";
      }
    });
  if (ticks % 15 == 0) hub.Broadcast("ping", std::make_shared<const std::string>(": ping\n\n"));
  ticker.expires_after(std::chrono::seconds(1));
  ticker.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

Server::Server(const engine::RuleSet& rules, ServerOptions options, std::shared_ptr<DeskGeo> geo)
    : impl_(std::make_unique<Impl>(rules, std::move(options), std::move(geo))) {}

Server::~Server() { Stop(); }

void Server::Start() {
  Impl& s = *impl_;
  HttpLimits limits;
  limits.max_body_bytes = s.opt.max_body_bytes;
  limits.max_sse_clients = s.opt.max_sse_clients;
  s.http = std::make_unique<HttpServer>(
      s.ioc, [&s](Request req, std::function<void(Response)> done) { s.Dispatch(std::move(req), std::move(done)); },
      [&s] { return s.SnapshotEvent(); }, s.hub, limits);
  s.port = s.http->Listen(s.opt.host, s.opt.port);
  {
    std::lock_guard<std::mutex> lock(s.desk_mu);
    s.RefreshLocked();
  }
  s.ticker.expires_after(std::chrono::seconds(1));
  s.ticker.async_wait([&s](const boost::system::error_code& ec) {
    if (!ec) s.Tick();
  });
  for (int i = 0; i < std::max(1, s.opt.threads); ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
  s.started = true;
}

unsigned short Server::port() const { return impl_->port; }

std::string Server::url() const {
  // Listening on every interface: the URL to open on this machine is the loopback one.
  const std::string& host = impl_->opt.host == "0.0.0.0" || impl_->opt.host == "::" ? "127.0.0.1" : impl_->opt.host;
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + h + ":" + std::to_string(impl_->port) + "/";
}

void Server::Stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped.exchange(true)) return;
  if (s.http) s.http->Stop();
  asio::post(s.ioc, [&s] { s.ticker.cancel(); });
  s.work.join();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  { std::lock_guard<std::mutex> lock(s.wait_mu); }
  s.wait_cv.notify_all();
}

void Server::Wait() {
  std::unique_lock<std::mutex> lock(impl_->wait_mu);
  impl_->wait_cv.wait(lock, [this] { return impl_->stopped.load(); });
}

}  // namespace firebreak::server
