// The geo plugin split (cli/geo_plugin.h): the `firebreak` binary does not link GDAL, loads
// libfirebreak_geo.so only for commands that need maps, and errors raised inside the plugin reach main's one
// catch with their kind (exit code), place and hint intact.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "geo_plugin.h"

#include "firebreak/test_support/run.h"

namespace firebreak::cli {
namespace {

const std::string kSrc = FIREBREAK_SOURCE_DIR;
const std::string kReport = kSrc + "/tests/engine/data/iii-area-casualties-night.json";

using CliRun = test_support::RunResult;  // out: stdout and stderr

CliRun Cli(const std::string& args, const std::string& env = "") { return test_support::Run(args, {.env = env}); }

std::filesystem::path TempDir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("firebreak-geo-plugin-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

TEST(GeoPluginCli, BinaryDoesNotLinkGdal) {
  const auto ldd = test_support::Shell("ldd " + std::string(FIREBREAK_BINARY));
  const std::string& out = ldd.out;
  ASSERT_EQ(ldd.code, 0) << out;
  EXPECT_NE(out.find("libc.so"), std::string::npos) << out;  // ldd did list the libraries
  EXPECT_EQ(out.find("gdal"), std::string::npos) << out;
  EXPECT_EQ(out.find("boost_graph"), std::string::npos) << out;
}

// Without a usable plugin, commands that do not need maps still work; those that do fail with kGis (5).
TEST(GeoPluginCli, LoadedOnlyWhenMapsAreNeeded) {
  const std::string missing = "FIREBREAK_GEO_PLUGIN=/nonexistent/libfirebreak_geo.so";
  CliRun plain = Cli("--lang en assess " + kReport, missing);
  EXPECT_EQ(plain.code, 0) << plain.out;
  EXPECT_NE(plain.out.find("III"), std::string::npos) << plain.out;

  CliRun with_dem = Cli("assess --dem /nonexistent/dem.tif " + kReport, missing);
  EXPECT_EQ(with_dem.code, 5) << with_dem.out;
  EXPECT_NE(with_dem.out.find("/nonexistent/libfirebreak_geo.so"), std::string::npos) << with_dem.out;
  EXPECT_NE(with_dem.out.find("reinstall firebreak or set FIREBREAK_GEO_PLUGIN"), std::string::npos) << with_dem.out;

  for (const char* cmd : {"terrain --at 109.3,25.0", "forces", "deploy --at 109.41,24.32 --level III"}) {
    CliRun r = Cli(cmd, missing);
    EXPECT_EQ(r.code, 5) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find("FIREBREAK_GEO_PLUGIN"), std::string::npos) << cmd << "\n" << r.out;
  }
}

TEST(GeoPluginCli, NotASharedObjectIsAGisError) {
  const auto dir = TempDir("bogus");
  const auto bogus = dir / "libfirebreak_geo.so";
  std::ofstream(bogus) << "not an ELF file\n";
  CliRun r = Cli("terrain --at 109.3,25.0", "FIREBREAK_GEO_PLUGIN=" + bogus.string());
  EXPECT_EQ(r.code, 5) << r.out;
  EXPECT_NE(r.out.find(bogus.string()), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// firebreak::Error thrown inside the plugin keeps its kind (exit code), place and message.
TEST(GeoPluginCli, ErrorsFromThePluginKeepTheirExitCode) {
  const auto dir = TempDir("errors");
  struct Case {
    std::string args;
    int code;
    std::string needle;
  } cases[] = {
      {"terrain --dem /nonexistent/dem.tif --at 109.3,25.0", 5, "/nonexistent/dem.tif"},  // kGis
      {"assess --dem /nonexistent/dem.tif " + kReport, 5, "/nonexistent/dem.tif"},        // kGis via Enricher
      {"terrain --at 200,25", 2, "--at"},                                                 // kUsage
      {"forces /nonexistent/forces.yaml", 8, "/nonexistent/forces.yaml"},                 // registry missing
      {"deploy --at 109.41,24.32 --level III --geojson /nonexistent/dir/p.geojson", 8, "/nonexistent/dir/p.geojson"},
      {"deploy --at 109.41,24.32 --level V", 2, "unknown level 'V'"},  // kUsage
  };
  for (const auto& c : cases) {
    CliRun r = Cli(c.args);
    EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find("firebreak: error: "), std::string::npos) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.needle), std::string::npos) << c.args << "\n" << r.out;
    EXPECT_EQ(r.out.find("internal error"), std::string::npos) << c.args << "\n" << r.out;
  }
  std::filesystem::remove_all(dir);
}

TEST(GeoPluginCli, PluginFoundNextToTheBinaryRunsTheWork) {
  const auto dir = TempDir("demo");
  CliRun demo = Cli("--lang en demo-data " + dir.string());
  ASSERT_EQ(demo.code, 0) << demo.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "layers.yaml")) << demo.out;
  CliRun forces = Cli("--lang en forces");
  EXPECT_EQ(forces.code, 0) << forces.out;
  EXPECT_NE(forces.out.find("units"), std::string::npos) << forces.out;
  std::filesystem::remove_all(dir);
}

// assess with --dem/--layers/--forces: the Enricher's session in the plugin adds terrain, places and the
// deployment plan after the decision sheet.
TEST(GeoPluginCli, EnrichedAssessRunsThroughThePlugin) {
  const auto dir = TempDir("enrich");
  ASSERT_EQ(Cli("demo-data " + dir.string()).code, 0);
  CliRun r = Cli("--lang en assess --dem " + (dir / "dem.tif").string() + " --layers " +
                 (dir / "layers.yaml").string() + " --forces " + kSrc + "/data/forces/liuzhou-demo.yaml " + kReport);
  EXPECT_EQ(r.code, 0) << r.out;
  const auto sheet = r.out.find("[Response] level III");
  const auto terrain = r.out.find("[Terrain and places]");
  ASSERT_NE(sheet, std::string::npos) << r.out;
  ASSERT_NE(terrain, std::string::npos) << r.out;
  EXPECT_LT(sheet, terrain) << r.out;  // the plugin's text follows the executable's in one stream
  EXPECT_NE(r.out.find("km_to_county_boundary"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Safety zones and escape routes"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// The same as JSON: the decision's members first, then "site" (facts from the maps) and "deployment".
TEST(GeoPluginCli, EnrichedAssessJsonCarriesSiteAndDeployment) {
  const auto dir = TempDir("enrich-json");
  ASSERT_EQ(Cli("demo-data " + dir.string()).code, 0);
  CliRun r = Cli("assess --format json --dem " + (dir / "dem.tif").string() + " --layers " +
                 (dir / "layers.yaml").string() + " --forces " + kSrc + "/data/forces/liuzhou-demo.yaml " + kReport);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("response_level"), "III");
  ASSERT_TRUE(j.contains("site")) << r.out;
  ASSERT_TRUE(j.contains("deployment")) << r.out;
  EXPECT_FALSE(j.at("deployment").at("units").empty()) << r.out;
  std::filesystem::remove_all(dir);
}

// The factory refuses another interface version; the boundary returns errors as values.
TEST(GeoPluginAbi, FactoryChecksVersionAndErrorsComeBackAsValues) {
  void* h = dlopen(FIREBREAK_GEO_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(h, nullptr) << dlerror();
  auto factory = reinterpret_cast<GeoPluginFactory>(dlsym(h, kGeoPluginFactory));
  ASSERT_NE(factory, nullptr) << dlerror();
  EXPECT_EQ(factory(kGeoPluginVersion + 1), nullptr);
  EXPECT_EQ(factory(kGeoPluginVersion - 1), nullptr);
  GeoPlugin* plugin = factory(kGeoPluginVersion);
  ASSERT_NE(plugin, nullptr);

  TerrainArgs a;
  a.dem = "/nonexistent/dem.tif";
  a.at = "109.3,25.0";
  const engine::RuleSet no_rules;
  GeoError e = plugin->Terrain(a, no_rules, "en");
  ASSERT_TRUE(e);
  EXPECT_EQ(e.type, GeoError::Type::kError);
  EXPECT_EQ(e.kind, ErrorKind::kGis);
  EXPECT_EQ(e.where, "/nonexistent/dem.tif");

  const auto dir = TempDir("abi");
  EXPECT_FALSE(plugin->DemoData(dir.string(), "en"));
  EXPECT_TRUE(std::filesystem::exists(dir / "layers.yaml"));
  std::filesystem::remove_all(dir);
}

TEST(GeoPluginLoader, ThrowIfErrorRethrowsInTheExecutable) {
  EXPECT_NO_THROW(ThrowIfError(GeoError{}));
  try {
    ThrowIfError({GeoError::Type::kError, ErrorKind::kNotFound, "f.yaml", "missing", "check the path"});
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_EQ(e.where(), "f.yaml");
    EXPECT_EQ(e.message(), "missing");
    EXPECT_EQ(e.hint(), "check the path");
  }
  try {
    ThrowIfError({GeoError::Type::kOther, ErrorKind::kInternal, "", "bad_alloc", ""});
    FAIL() << "no throw";
  } catch (const Error&) {
    FAIL() << "a non-firebreak exception must stay internal (exit 10)";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "bad_alloc");
  }
}

// Geo() honours FIREBREAK_GEO_PLUGIN; a failed load throws kGis and is retried on the next call.
TEST(GeoPluginLoader, EnvPathThenRetry) {
  setenv("FIREBREAK_GEO_PLUGIN", "/nonexistent/libfirebreak_geo.so", 1);
  try {
    Geo();
    FAIL() << "loaded a missing plugin";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_EQ(e.where(), "/nonexistent/libfirebreak_geo.so");
    EXPECT_EQ(e.hint(), "reinstall firebreak or set FIREBREAK_GEO_PLUGIN");
  }
  setenv("FIREBREAK_GEO_PLUGIN", FIREBREAK_GEO_PLUGIN_PATH, 1);
  const GeoError e = Geo().DemoData("/proc/forbidden/dir", "en");  // an error value, not an exception
  EXPECT_EQ(e.type, GeoError::Type::kError) << e.what;
  unsetenv("FIREBREAK_GEO_PLUGIN");
}

}  // namespace
}  // namespace firebreak::cli
