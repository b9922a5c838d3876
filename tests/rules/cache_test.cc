// The compiled rule cache (rules/cache.h): a cached RuleSet decides exactly as the parsed one; a corrupt,
// truncated, foreign or stale cache is never trusted (a miss, then the file is parsed and the cache rewritten).
#include "firebreak/rules/cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "firebreak/common/error.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"

namespace firebreak::rules {
namespace {

namespace fs = std::filesystem;

const std::string kLiuzhou = FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml";
const std::string kCounty = FIREBREAK_SOURCE_DIR "/tests/rules/data/fictional-county.yaml";

std::string Read(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Everything the engine decides from a rule set, for the bundled reports, in the full JSON form.
std::string Decisions(const engine::RuleSet& rs) {
  std::string out;
  engine::Engine eng(rs);
  for (const char* f :
       {"iii-area-casualties-night.json", "sensitive-clock.yaml", "concurrent-three.json", "controlled-small.yaml"})
    for (const auto& in : format::ReadReportFile(FIREBREAK_SOURCE_DIR "/tests/engine/data/" + std::string(f), rs))
      out += format::DecisionToJson(eng.Assess(in), rs, format::JsonDetail::kFull);
  return out;
}

TEST(RuleCache, RoundTripDecidesTheSame) {
  for (const std::string& path : {kLiuzhou, kCounty}) {
    const engine::RuleSet parsed = LoadRuleFile(path);
    const std::string bytes = EncodeRuleCache(parsed);
    auto cached = DecodeRuleCache(bytes, parsed.source_sha256, path);
    ASSERT_TRUE(cached) << path;
    EXPECT_EQ(EncodeRuleCache(*cached), bytes);  // every encoded field read back
    EXPECT_EQ(cached->source_file, path);
    EXPECT_EQ(cached->levels.at(0).triggers.at(0).loc.ToString(), parsed.levels.at(0).triggers.at(0).loc.ToString());
    EXPECT_EQ(cached->site_safety.size(), parsed.site_safety.size());
    if (path == kLiuzhou) EXPECT_EQ(Decisions(*cached), Decisions(parsed));
  }
}

TEST(RuleCache, NeverTrustsABrokenCache) {
  const engine::RuleSet parsed = LoadRuleFile(kCounty);
  const std::string good = EncodeRuleCache(parsed);
  const std::string& sha = parsed.source_sha256;
  ASSERT_TRUE(DecodeRuleCache(good, sha, "x"));
  EXPECT_FALSE(DecodeRuleCache(good, std::string(64, '0'), "x"));  // another file's content
  for (std::size_t n = 0; n < good.size(); n += 7) EXPECT_FALSE(DecodeRuleCache(good.substr(0, n), sha, "x")) << n;
  EXPECT_FALSE(DecodeRuleCache(good + "x", sha, "x"));
  std::mt19937 rng(std::getenv("FIREBREAK_SEED") ? std::atoi(std::getenv("FIREBREAK_SEED")) : 3);
  for (int i = 0; i < 300; ++i) {  // any flipped byte is caught (header fields or the payload's SHA-256)
    std::string bad = good;
    const std::size_t at = rng() % bad.size();
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    EXPECT_FALSE(DecodeRuleCache(bad, sha, "x")) << "byte " << at;
  }
}

TEST(RuleCache, LoadThroughTheCacheDirectory) {
  const fs::path dir = fs::temp_directory_path() / ("firebreak-rule-cache-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ::setenv("FIREBREAK_CACHE_DIR", dir.c_str(), 1);
  const engine::RuleSet parsed = LoadRuleFile(kLiuzhou);
  const engine::RuleSet first = LoadRuleFileCached(kLiuzhou);  // a miss: parses and writes the cache
  const fs::path cache = dir / (parsed.source_sha256 + ".rules");
  ASSERT_TRUE(fs::exists(cache));
  const engine::RuleSet second = LoadRuleFileCached(kLiuzhou);  // a hit
  EXPECT_EQ(EncodeRuleCache(second), EncodeRuleCache(parsed));
  // A corrupt cache file: the rules are parsed again (same result) and the cache is rewritten whole.
  std::string bytes = Read(cache.string());
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(cache, std::ios::binary | std::ios::trunc) << bytes;
  const engine::RuleSet third = LoadRuleFileCached(kLiuzhou);
  EXPECT_EQ(EncodeRuleCache(third), EncodeRuleCache(parsed));
  EXPECT_EQ(Read(cache.string()), EncodeRuleCache(parsed));
  // A broken rule file is reported exactly as without the cache.
  const fs::path broken = dir / "broken.yaml";
  std::ofstream(broken) << "meta: [";
  EXPECT_THROW(LoadRuleFileCached(broken.string()), Error);
  ::setenv("FIREBREAK_CACHE_DIR", "off", 1);
  EXPECT_EQ(RuleCacheDir(), "");
  ::unsetenv("FIREBREAK_CACHE_DIR");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace firebreak::rules
