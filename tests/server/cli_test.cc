// `firebreak users` and `firebreak serve` as processes (FIREBREAK_BINARY): passwords from stdin, refusals with
// their exit codes, the URL printed, the warning for a non-loopback address, a clean stop on SIGTERM; the desk's
// forecast (geo plugin) is what `firebreak forecast` prints for the same report.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "desk_fixture.h"  // the HTTP client

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("firebreak-cli-users-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = (dir_ / "desk.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs firebreak with `args` and `input` on stdin.
  Result Firebreak(const std::string& args, const std::string& input = "") {
    const fs::path in = dir_ / "in", out = dir_ / "out", err = dir_ / "err";
    std::ofstream(in) << input;
    const std::string cmd =
        std::string(FIREBREAK_BINARY) + " " + args + " <" + in.string() + " >" + out.string() + " 2>" + err.string();
    const int rc = std::system(cmd.c_str());
    Result r;
    r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = Read(out);
    r.err = Read(err);
    return r;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  fs::path dir_;
  std::string store_;
};

TEST_F(CliTest, UsersAddListPasswdDisable) {
  Result r = Firebreak("users add duty1 --role city_hq_office --name 值班员甲 --store " + store_, "a long password\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("市森林防灭火指挥部办公室"), std::string::npos) << r.out;
  r = Firebreak("users list --format json --store " + store_);
  ASSERT_EQ(r.code, 0) << r.err;
  auto users = nlohmann::json::parse(r.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["role"], "city_hq_office");
  EXPECT_EQ(users[0]["display_name"], "值班员甲");
  EXPECT_EQ(r.out.find("a long password"), std::string::npos);
  // Refusals: exit 4 with the place and a hint; exit 2 without a password; exit 8 for an unknown user.
  r = Firebreak("users add duty1 --role city_hq_office --store " + store_, "another password\n");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  r = Firebreak("users add x --role deputy_comander --store " + store_, "another password\n");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("did you mean 'deputy_commander'"), std::string::npos) << r.err;
  r = Firebreak("users add y --role commander --store " + store_, "short\n");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("at least 8"), std::string::npos) << r.err;
  r = Firebreak("users add z --role commander --store " + store_, "");
  EXPECT_EQ(r.code, 2) << r.err;
  r = Firebreak("users passwd nobody --store " + store_, "a long password\n");
  EXPECT_EQ(r.code, 8);
  EXPECT_EQ(Firebreak("users passwd duty1 --store " + store_, "a newer password\n").code, 0);
  EXPECT_EQ(Firebreak("users disable duty1 --store " + store_).code, 0);
  r = Firebreak("users list --lang en --store " + store_);
  EXPECT_NE(r.out.find("[disabled]"), std::string::npos) << r.out;
  EXPECT_EQ(Firebreak("store verify --store " + store_).code, 0);
}

TEST_F(CliTest, ServeRefusesABadListenAddress) {
  Result r = Firebreak("serve --store " + store_ + " --listen 127.0.0.1:99999");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--listen"), std::string::npos) << r.err;
  r = Firebreak("serve --store " + store_ + " --listen not-an-ip:8080");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is not an IP address"), std::string::npos) << r.err;
  r = Firebreak("serve --store " + store_ + " --test-clock yesterday");
  EXPECT_EQ(r.code, 2) << r.err;
}

// Starts serve on a free port of every interface: it warns, prints the URL and the hint to add users, answers,
// and stops on SIGTERM with exit 0.
TEST_F(CliTest, ServePrintsTheUrlWarnsAndStops) {
  const fs::path out = dir_ / "serve.out", err = dir_ / "serve.err";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(out.c_str(), "w", stdout);
    std::freopen(err.c_str(), "w", stderr);
    ::execl(FIREBREAK_BINARY, FIREBREAK_BINARY, "serve", "--store", store_.c_str(), "--listen", "0.0.0.0:0", "--lang",
            "en", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string text;
  for (int i = 0; i < 200 && text.find("http://") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    text = Read(out);
  }
  EXPECT_NE(text.find("Duty desk: http://127.0.0.1:"), std::string::npos) << text;
  EXPECT_NE(text.find("(listening on 0.0.0.0:"), std::string::npos) << text;
  EXPECT_NE(text.find("firebreak users add"), std::string::npos) << "no users yet: say how to add one";
  EXPECT_NE(Read(err).find("warning: listening on 0.0.0.0"), std::string::npos) << Read(err);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(Read(out).find("stopped"), std::string::npos);
}

// `firebreak serve` with the demo DEM and layers and --forecast: GET /api/forecast for a report entered at the
// desk is exactly `firebreak forecast REPORT --dem --fuel --layers --format json --geojson` (same library call;
// only the wall times differ), perimeters labelled projections; refusals at start and per request.
TEST_F(CliTest, ServeForecastIsTheForecastCommand) {
  const std::string demo = (dir_ / "demo").string();
  ASSERT_EQ(Firebreak("demo-data " + demo).code, 0);
  ASSERT_EQ(Firebreak("users add duty --role city_hq_office --store " + store_, "duty-password\n").code, 0);
  // --forecast needs a fuel raster: without --layers, refused at start (usage, exit 2).
  Result r = Firebreak("serve --store " + store_ + " --listen 127.0.0.1:0 --dem " + demo + "/dem.tif --forecast");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--forecast"), std::string::npos) << r.err;

  const nlohmann::json report = nlohmann::json::parse(R"({"incident_id": "RA-0404",
      "reported_at": "2026-04-04T08:00:00+08:00", "county": "融安县", "location": {"lon": 109.32799, "lat": 24.99108},
      "burned_area_ha": 120, "controlled": false,
      "weather": {"wind_speed_ms": 6, "wind_dir_deg": 225, "temperature_c": 26, "humidity_pct": 35}})");
  std::ofstream(dir_ / "report.json") << report.dump();
  const std::string cli_geojson = (dir_ / "forecast.geojson").string();
  r = Firebreak("forecast " + (dir_ / "report.json").string() + " --dem " + demo + "/dem.tif --fuel " + demo +
                "/fuel.tif --layers " + demo + "/layers.yaml --hours 12 --format json --geojson " + cli_geojson);
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json cli = nlohmann::json::parse(r.out);

  const fs::path out = dir_ / "serve.out";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(out.c_str(), "w", stdout);
    std::freopen((dir_ / "serve.err").c_str(), "w", stderr);
    const std::string dem = demo + "/dem.tif", layers = demo + "/layers.yaml";
    ::execl(FIREBREAK_BINARY, FIREBREAK_BINARY, "serve", "--store", store_.c_str(), "--listen", "127.0.0.1:0", "--lang",
            "en", "--dem", dem.c_str(), "--layers", layers.c_str(), "--forecast", "--forecast-hours", "12",
            "--test-clock", "2026-04-04T08:05:00+08:00", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string text;
  for (int i = 0; i < 200 && text.find("/   (") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    text = Read(out);
  }
  const std::size_t colon = text.find("127.0.0.1:");
  ASSERT_NE(colon, std::string::npos) << text << Read(dir_ / "serve.err");
  firebreak::server::testing::Client c(static_cast<unsigned short>(std::stoi(text.substr(colon + 10))));
  ASSERT_EQ(c.Login("duty", "duty-password").status, 200);
  const auto meta = c.Get("/api/meta").Json();
  EXPECT_EQ(meta["maps"]["forecast"], true);
  EXPECT_EQ(meta["maps"]["forecast_hours"], 12.0);
  const auto recorded = c.Post("/api/reports", report);
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  // The desk decides on the facts `firebreak assess --dem --layers` derives (terrain, places, fire behaviour).
  r = Firebreak("assess " + (dir_ / "report.json").string() + " --dem " + demo + "/dem.tif --layers " + demo +
                "/layers.yaml --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const nlohmann::json assessed = nlohmann::json::parse(r.out);
  ASSERT_TRUE(assessed["facts"].contains("fireline_intensity_kw_m")) << r.out.substr(0, 2000);
  for (const auto& [name, fact] : assessed["facts"].items())
    EXPECT_EQ(recorded.Json()["facts"][name]["value"], fact["value"]) << name;
  EXPECT_EQ(recorded.Json()["response_level"], assessed["response_level"]);
  const auto reply = c.Get("/api/forecast?incident=RA-0404");
  ASSERT_EQ(reply.status, 200) << reply.body;
  nlohmann::json desk = reply.Json();
  for (auto* j : {&desk["forecast"], &cli}) {  // wall times
    j->erase("seconds");
    j->erase("timing_s");
  }
  EXPECT_EQ(desk["forecast"], cli);
  EXPECT_EQ(desk["forecast"]["projection"], true);
  EXPECT_FALSE(desk["forecast"]["isochrones"].empty());
  EXPECT_EQ(desk["geojson"], nlohmann::json::parse(Read(cli_geojson)));
  // One run per incident state and query: the same request again is the cached answer byte for byte; another
  // horizon is another run; a new report of the incident (a new state) runs it again.
  EXPECT_EQ(reply.headers.at("x-firebreak-cache"), "miss");
  const auto again = c.Get("/api/forecast?incident=RA-0404");
  EXPECT_EQ(again.headers.at("x-firebreak-cache"), "hit");
  EXPECT_EQ(again.body, reply.body);
  EXPECT_EQ(c.Get("/api/forecast?incident=RA-0404&hours=6").headers.at("x-firebreak-cache"), "miss");
  nlohmann::json grown = report;
  grown["reported_at"] = "2026-04-04T08:04:00+08:00";
  grown["burned_area_ha"] = 150;
  ASSERT_EQ(c.Post("/api/reports", grown).status, 201);
  const auto after = c.Get("/api/forecast?incident=RA-0404");
  EXPECT_EQ(after.headers.at("x-firebreak-cache"), "miss");
  EXPECT_NE(after.body, reply.body);
  for (const auto& f : desk["geojson"]["features"])
    if (f["properties"]["kind"] == "isochrone") {
      EXPECT_EQ(f["properties"]["projection"], true);
    }
  // The terrain at the point carries the plan's safety advice (site_safety words), as `firebreak terrain` does.
  const auto site = c.Get("/api/terrain?lon=109.32799&lat=24.99108").Json()["site"];
  ASSERT_FALSE(site["safety"]["advice_zh"].empty()) << site.dump();
  EXPECT_NE(site["safety"]["advice_zh"].dump().find("严禁"), std::string::npos) << site["safety"].dump();
  // Per request: the horizon bounded, the incident named and known, a report without wind refused at its path.
  EXPECT_EQ(c.Get("/api/forecast?incident=RA-0404&hours=400").status, 400);
  EXPECT_EQ(c.Get("/api/forecast?incident=RA-0404&ensemble=1.5").status, 400);
  EXPECT_EQ(c.Get("/api/forecast").status, 400);
  EXPECT_EQ(c.Get("/api/forecast?incident=NOPE").status, 404);
  nlohmann::json calm = report;
  calm["incident_id"] = "RA-0405";
  calm.erase("weather");
  ASSERT_EQ(c.Post("/api/reports", calm).status, 201);
  const auto no_wind = c.Get("/api/forecast?incident=RA-0405");
  EXPECT_EQ(no_wind.status, 422) << no_wind.body;
  EXPECT_NE(no_wind.Path().find("weather"), std::string::npos) << no_wind.body;
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
