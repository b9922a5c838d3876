// Rule-file loading (helper a1): parse + validate + hash of the bundled Liuzhou plan and of the small fictional
// county plan, from memory (no file I/O), and from disk. Every `firebreak` command pays this once per process.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include <yaml-cpp/yaml.h>

#include "firebreak/rules/loader.h"

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kLiuzhou = std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml";
const std::string kCounty = std::string(FIREBREAK_SOURCE_DIR) + "/tests/rules/data/fictional-county.yaml";

void BM_LoadLiuzhouText(benchmark::State& state) {
  const std::string text = ReadAll(kLiuzhou);
  for (auto _ : state) {
    auto rs = firebreak::rules::LoadRuleText(text, kLiuzhou);
    benchmark::DoNotOptimize(rs);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_LoadLiuzhouText)->Unit(benchmark::kMillisecond);

// The YAML parse alone (yaml-cpp), for the share of loading that is validation and model building.
void BM_YamlCppParseOnlyLiuzhou(benchmark::State& state) {
  const std::string text = ReadAll(kLiuzhou);
  for (auto _ : state) {
    YAML::Node n = YAML::Load(text);
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_YamlCppParseOnlyLiuzhou)->Unit(benchmark::kMillisecond);

void BM_LoadLiuzhouFile(benchmark::State& state) {
  for (auto _ : state) {
    auto rs = firebreak::rules::LoadRuleFile(kLiuzhou);
    benchmark::DoNotOptimize(rs);
  }
}
BENCHMARK(BM_LoadLiuzhouFile)->Unit(benchmark::kMillisecond);

void BM_LoadFictionalCountyText(benchmark::State& state) {
  const std::string text = ReadAll(kCounty);
  for (auto _ : state) {
    auto rs = firebreak::rules::LoadRuleText(text, kCounty);
    benchmark::DoNotOptimize(rs);
  }
}
BENCHMARK(BM_LoadFictionalCountyText)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
