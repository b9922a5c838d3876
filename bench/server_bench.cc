// The web desk's costs in-process (results: docs/benchmarks.md, docs/bench/g.md):
//   BM_AssessLibraryCall    what POST /api/assess does, without HTTP: parse the body (ParseReports), assess
//                           (AssessAll), render (DecisionToJson, one line) — "the same library call".
//   BM_AssessLibraryParts   the same split: parse / assess / render (label says which).
//   BM_AssessOverHttp       the same request through the real server on 127.0.0.1 (one keep-alive connection,
//                           session cookie, CSRF header): the difference is the HTTP layer's cost.
//   BM_StatusSnapshot/N     recomputing the status snapshot (board, positions, `status --format json`) for N open
//                           incidents — what every write and every due time costs.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"
#include "firebreak/server/server.h"
#include "firebreak/store/accounts.h"
#include "firebreak/store/desk.h"

namespace {

using namespace firebreak;
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

// The report of bench/engine_bench.cc: III by area and casualties, residential threat, orange warning, night.
const char* kReport =
    R"({"incident_id":"LZ-2026-0314-01","reported_at":"2026-03-14T21:30:00+08:00","county":"融水苗族自治县",)"
    R"("location":{"lon":109.25,"lat":25.07},"open_fire_since":"2026-03-14T08:00:00+08:00",)"
    R"("burned_area_ha":120,"damaged_forest_area_ha":35,"deaths":0,"serious_injuries":2,)"
    R"("threatens":["residential"],"warning_colour":"orange","dangerous":true,)"
    R"("weather":{"temperature_c":31,"humidity_pct":28,"wind_speed_ms":6}})";

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

void BM_AssessLibraryCall(benchmark::State& st) {
  const engine::Engine eng(Rules());
  std::size_t bytes = 0;
  for (auto _ : st) {
    auto incidents = format::ParseReports(kReport, "request body", Rules());
    auto ds = eng.AssessAll(incidents);
    std::string out = format::DecisionToJson(ds[0], Rules(), format::JsonDetail::kFull);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_AssessLibraryCall);

void BM_AssessLibraryParts(benchmark::State& st) {
  const engine::Engine eng(Rules());
  auto incidents = format::ParseReports(kReport, "request body", Rules());
  auto ds = eng.AssessAll(incidents);
  for (auto _ : st) {
    if (st.range(0) == 0) {
      auto x = format::ParseReports(kReport, "request body", Rules());
      benchmark::DoNotOptimize(x);
    } else if (st.range(0) == 1) {
      auto x = eng.AssessAll(incidents);
      benchmark::DoNotOptimize(x);
    } else {
      auto x = format::DecisionToJson(ds[0], Rules(), format::JsonDetail::kFull);
      benchmark::DoNotOptimize(x);
    }
  }
  st.SetLabel(st.range(0) == 0 ? "parse" : st.range(0) == 1 ? "assess" : "render json");
}
BENCHMARK(BM_AssessLibraryParts)->DenseRange(0, 2);

// A desk with one user on a fresh store file; `incidents` open incidents recorded.
struct Desk {
  std::filesystem::path dir;
  std::unique_ptr<server::Server> srv;
  std::string cookie, csrf;

  explicit Desk(int incidents) {
    dir = std::filesystem::temp_directory_path() / ("firebreak-server-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "desk.sqlite").string();
    {
      store::Store s = store::Store::Open(path);
      store::Accounts(s, Rules(), store::PasswordCost::kMinimal)
          .AddUser("bench", "city_hq_office", "", "bench-password", "bench",
                   *ParseIso8601("2026-03-14T00:00:00+08:00"));
      const engine::Engine eng(Rules());
      store::Desk d(s, eng);
      s.Transaction([&] {
        for (int i = 0; i < incidents; ++i) {
          nlohmann::json r = nlohmann::json::parse(kReport);
          r["incident_id"] = "B-" + std::to_string(i);
          d.ReportOne(r.dump(), "bench");
        }
      });
    }
    server::ServerOptions o;
    o.port = 0;
    o.store_path = path;
    o.password_cost = store::PasswordCost::kMinimal;
    o.test_clock = *ParseIso8601("2026-03-14T22:00:00+08:00");
    srv = std::make_unique<server::Server>(Rules(), o);
    srv->Start();
  }
  ~Desk() {
    srv->Stop();
    std::filesystem::remove_all(dir);
  }
};

void BM_AssessOverHttp(benchmark::State& st) {
  Desk desk(0);
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), desk.srv->port()));
  const std::string host = "127.0.0.1:" + std::to_string(desk.srv->port());
  beast::flat_buffer buf;
  auto send = [&](http::verb v, const std::string& target, const std::string& body) {
    http::request<http::string_body> req(v, target, 11);
    req.set(http::field::host, host);
    req.set(http::field::content_type, "application/json");
    if (!desk.cookie.empty()) req.set(http::field::cookie, "fb_session=" + desk.cookie);
    if (!desk.csrf.empty()) req.set("X-CSRF-Token", desk.csrf);
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    return res;
  };
  auto login = send(http::verb::post, "/api/login", R"({"username":"bench","password":"bench-password"})");
  const std::string set = std::string(login[http::field::set_cookie]);
  desk.cookie = set.substr(set.find('=') + 1, set.find(';') - set.find('=') - 1);
  desk.csrf = nlohmann::json::parse(login.body())["csrf"];
  for (auto _ : st) {
    auto res = send(http::verb::post, "/api/assess", kReport);
    if (res.result_int() != 200) st.SkipWithError("assess failed");
    benchmark::DoNotOptimize(res);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AssessOverHttp)->UseRealTime();

void BM_StatusSnapshot(benchmark::State& st) {
  Desk desk(static_cast<int>(st.range(0)));
  // Each POST /api/test/clock recomputes and broadcasts the snapshot; measure through the API (real time).
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), desk.srv->port()));
  const std::string host = "127.0.0.1:" + std::to_string(desk.srv->port());
  beast::flat_buffer buf;
  auto send = [&](const std::string& target, const std::string& body, const std::string& cookie,
                  const std::string& csrf) {
    http::request<http::string_body> req(http::verb::post, target, 11);
    req.set(http::field::host, host);
    req.set(http::field::content_type, "application/json");
    if (!cookie.empty()) req.set(http::field::cookie, "fb_session=" + cookie);
    if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    return res;
  };
  auto login = send("/api/login", R"({"username":"bench","password":"bench-password"})", "", "");
  const std::string set = std::string(login[http::field::set_cookie]);
  const std::string cookie = set.substr(set.find('=') + 1, set.find(';') - set.find('=') - 1);
  const std::string csrf = nlohmann::json::parse(login.body())["csrf"];
  for (auto _ : st) {
    auto res = send("/api/test/clock", R"({"advance_s":60})", cookie, csrf);
    if (res.result_int() != 200) st.SkipWithError("clock failed");
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_StatusSnapshot)->Arg(1)->Arg(10)->Arg(100)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
